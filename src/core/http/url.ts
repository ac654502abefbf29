/**
 * Base URLs and endpoint paths. A purge sends credentials, so plain http is allowed only to this machine
 * (local emulators and tests), and every path segment is encoded so an id can never reach another path.
 */

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopbackHost(hostname: string): boolean {
    return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Why a base URL is refused, or undefined when it is fine. */
export function baseUrlProblem(raw: string): string | undefined {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        return `expected an absolute URL such as https://example.com, got ${JSON.stringify(raw)}`;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        return `expected an https:// URL, got ${JSON.stringify(raw)}`;
    }
    if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
        return `expected an https:// URL (http:// is allowed only for localhost), got ${JSON.stringify(raw)}`;
    }
    if (url.username || url.password) {
        return `credentials do not belong in the URL; pass them as inputs, got a URL with a user name`;
    }
    if (url.search || url.hash) {
        return `expected a URL without ?query or #fragment, got ${JSON.stringify(raw)}`;
    }
    return undefined;
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
