/**
 * Base URLs and endpoint paths. A purge sends credentials, so plain http is allowed only to this machine
 * (local emulators and tests), and every path segment is encoded so an id can never reach another path.
 */

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopbackHost(hostname: string): boolean {
    return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * A URL as a message may quote it: without user name and password, and with any query or fragment
 * replaced by `?…` / `#…`, since those are where tokens travel (`?token=`, `#access_token=`). Works on
 * text that is not a valid URL too (a bad port, a missing scheme), which is when it is quoted most.
 */
export function shownUrl(raw: string): string {
    return JSON.stringify(urlTextWithoutSecrets(raw));
}

/** `shownUrl` without the quotes, for text that is quoted on its own (a map key in a path). */
export function urlTextWithoutSecrets(raw: string): string {
    const query = raw.search(/[?#]/);
    let text = query < 0 ? raw : `${raw.slice(0, query)}${raw[query]}…`;
    // Every "…@" run: the authority's user name and password of a URL, and in text that is no URL any
    // "user:password@" (a bad port or scheme makes the parser give up before it finds the authority).
    const authority = (parses(raw) ? AUTHORITY_WITH_USERINFO : UNPARSED_USERINFO).exec(text);
    if (authority !== null) {
        const scheme = /^\s*([a-z][a-z\d+.-]*:)?\/\//i.exec(text)![0];
        text = scheme + text.slice(authority[0].length);
    }
    text = text.split("@").map((part, i, parts) => {
        if (i === parts.length - 1) {
            return part;
        }
        const start = Math.max(part.lastIndexOf("/"), part.lastIndexOf(" ")) + 1;
        return part.slice(start).includes(":") ? part.slice(0, start) : `${part}@`;
    }).join("");
    return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** Whether URL text carries a user name or password (`https://user:pass@host`), valid URL or not. */
export function hasUserinfo(raw: string): boolean {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        // Not a URL: judge by the text. A password may hold "/" (AWS secret keys often do): the parser then
        // takes the user name and the password's start for a host and port and gives up, so the user
        // information runs to the last "@" before a query.
        return UNPARSED_USERINFO.test(raw);
    }
    return url.username !== "" || url.password !== "" || AUTHORITY_WITH_USERINFO.test(raw);
}

/** "scheme://user:password@" where the URL parses: the authority stops at the first "/". */
const AUTHORITY_WITH_USERINFO = /^\s*([a-z][a-z\d+.-]*:)?\/\/[^/?#]*@/i;
/** The same in text the parser refused: anything up to the last "@" before a query may be user information. */
const UNPARSED_USERINFO = /^\s*([a-z][a-z\d+.-]*:)?\/\/[^?#]*@/i;

function parses(raw: string): boolean {
    try {
        new URL(raw);
        return true;
    } catch {
        return false;
    }
}

const USERINFO_REFUSED = "credentials do not belong in the URL; pass them as inputs, got a URL with a user name";

/** Why a base URL is refused, or undefined when it is fine. Never quotes a user name, password, query or fragment. */
export function baseUrlProblem(raw: string): string | undefined {
    if (hasUserinfo(raw)) {
        return USERINFO_REFUSED;
    }
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        return `expected an absolute URL such as https://example.com, got ${shownUrl(raw)}`;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        return `expected an https:// URL, got ${shownUrl(raw)}`;
    }
    if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
        return `expected an https:// URL (http:// is allowed only for localhost), got ${shownUrl(raw)}`;
    }
    if (url.search || url.hash) {
        return `expected a URL without ?query or #fragment, got ${shownUrl(raw)}`;
    }
    return undefined;
}

/** The message for a URL input with a user name or password in it. */
export function userinfoProblem(raw: string): string | undefined {
    return hasUserinfo(raw) ? USERINFO_REFUSED : undefined;
}

/**
 * The canonical form of a base URL: lower-case scheme and host, no default port, no trailing slash.
 * Two spellings of one endpoint compare equal, so reformatting `baseUrl` never purges.
 */
export function normalizeBaseUrl(raw: string): string {
    const url = new URL(raw);
    const path = url.pathname.replace(/\/+$/, "");
    return `${url.protocol}//${url.host}${path}`;
}

/**
 * The URL of an endpoint under a base URL. Each segment is percent-encoded, and `.`/`..` are refused, so
 * a value such as `../admin` or `a/b` stays one segment below the base path.
 */
export function endpointUrl(baseUrl: string, segments: readonly (string | number)[], query?: Readonly<Record<string, string>>): URL {
    const encoded = segments.map((segment) => {
        const text = String(segment);
        if (text === "" || text === "." || text === "..") {
            throw new Error(`refusing to build a URL with the path segment ${JSON.stringify(text)}`);
        }
        return encodeURIComponent(text);
    });
    const url = new URL(`${normalizeBaseUrl(baseUrl)}/${encoded.join("/")}`);
    for (const [key, value] of Object.entries(query ?? {})) {
        url.searchParams.set(key, value);
    }
    return url;
}
