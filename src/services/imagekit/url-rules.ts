import { shownUrl, userinfoProblem } from "../../core/http/url";

/**
 * ImageKit's rules for the `url` of a purge, from its purge API reference and SDKs, as pure functions so
 * `check` refuses a bad URL before any request. The emulator has its own reading of the same docs, so a
 * mistake here is not repeated there.
 */

/** ImageKit's default URL endpoint host; its first path segment is the account's ImageKit id. */
const IMAGEKIT_HOST = "ik.imagekit.io";

/** Prefixes ImageKit never purges with a wildcard, whatever their length or depth. */
const NEVER_WILDCARD = new Set(["media/catalog/", "s/files/"]);

/** A wildcard path this long is specific enough for ImageKit even at one level. */
const MIN_WILDCARD_PATH_CHARS = 15;

/**
 * One spelling per URL, so one file written four ways is purged once: lower-case scheme and host (the
 * URL parser's work), no default port, `%xx` of an unreserved character decoded (`%61` is `a`) and every
 * other `%xx` in upper case. Undefined when the text is not a URL.
 */
export function canonicalPurgeUrl(raw: string): string | undefined {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        return undefined;
    }
    url.pathname = url.pathname.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
        const char = String.fromCharCode(parseInt(hex, 16));
        return /[A-Za-z0-9\-._~]/.test(char) ? char : escape.toUpperCase();
    });
    return url.href;
}

/**
 * A URL the URL parser would give back unchanged and that passes every form rule: http(s), a lower-case
 * host name whose last label starts with a letter (never an IP address, which the parser rewrites), no
 * port, user, query, fragment or `%` escape, and an optional `*` at the very end. Such a URL is its own
 * canonical form, so the parser need not run: hashFiles' URLs are all like this, and a map of 50,000 of
 * them was parsed five times over in every check.
 */
const ALREADY_CANONICAL = /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z](?:[a-z0-9-]*[a-z0-9])?\/[A-Za-z0-9\-._~/!$&'()+,;=]*\*?$/;
/** Path segments "." and "..", which the parser resolves away, and punycode labels, which it validates. */
const PARSER_REWRITES = /\/\.{1,2}(?=\/|\*?$)|^https?:\/\/[^/]*xn--/;

/** The URL's canonical form (see `canonicalPurgeUrl`), or why ImageKit refuses it; the URL is parsed once at most. */
export function inspectPurgeUrl(raw: string): { readonly canonical: string; readonly problem?: undefined } | { readonly canonical?: undefined; readonly problem: string } {
    if (ALREADY_CANONICAL.test(raw) && !PARSER_REWRITES.test(raw)) {
        return { canonical: raw };
    }
    const problem = urlFormProblem(raw);
    return problem === undefined ? { canonical: canonicalPurgeUrl(raw) ?? raw } : { problem };
}

/** Why a purge URL is refused, or undefined when ImageKit accepts it. Never quotes a password, query or fragment. */
export function purgeUrlProblem(raw: string, urlEndpoint?: string): string | undefined {
    return urlFormProblem(raw) ?? wildcardRuleProblem(raw, urlEndpoint);
}

/** The rules that need nothing but the URL: no credentials, absolute http(s), no blanks, a `*` only at the very end. */
export function urlFormProblem(raw: string): string | undefined {
    const withCredentials = userinfoProblem(raw);
    if (withCredentials !== undefined) {
        return withCredentials;
    }
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        return `expected an absolute http(s) URL such as https://ik.imagekit.io/your_id/image.jpg, got ${shownUrl(raw)}`;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        return `expected an http:// or https:// URL, got ${shownUrl(raw)}`;
    }
    if (raw.trim() !== raw) {
        return `must not start or end with blanks, got ${shownUrl(raw)}`;
    }
    const star = raw.indexOf("*");
    if (star === -1) {
        return undefined;
    }
    if (star !== raw.length - 1) {
        return `a wildcard * is allowed only as the last character, got ${shownUrl(raw)}`;
    }
    if (url.search !== "" || url.hash !== "") {
        return `a wildcard * is allowed only at the end of the path, not in a query, got ${shownUrl(raw)}`;
    }
    return undefined;
}

/** Why a URL endpoint cannot be one, or undefined: an absolute http(s) URL with no query, fragment or `*`. */
export function urlEndpointProblem(raw: string): string | undefined {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        return `expected the URL endpoint as the dashboard shows it, such as https://ik.imagekit.io/your_id or https://ik.imagekit.io/your_id/pattern, got ${shownUrl(raw)}`;
    }
    if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search !== "" || url.hash !== "" || raw.includes("*")) {
        return `expected an http(s) URL without query, fragment or *, such as https://ik.imagekit.io/your_id/pattern, got ${shownUrl(raw)}`;
    }
    return undefined;
}

/**
 * The path ImageKit judges a wildcard on: the URL's path "excluding your imagekitId and URL pattern"
 * (docs, media-api purge-cache). Under `urlEndpoint` that is everything after the endpoint; elsewhere on
 * ik.imagekit.io everything after the first segment (the id); on any other host the whole path.
 */
export function pathAfterEndpoint(url: URL, urlEndpoint?: string): string {
    const segments = decodeLoosely(url.pathname).replace(/\*$/, "").split("/").slice(1);
    if (urlEndpoint !== undefined) {
        const endpoint = new URL(urlEndpoint);
        const prefix = decodeLoosely(endpoint.pathname).split("/").filter((s) => s !== "");
        const under = endpoint.host === url.host && prefix.every((segment, i) => segments[i] === segment) && segments.length > prefix.length;
        if (under) {
            return segments.slice(prefix.length).join("/");
        }
    }
    return (url.hostname === IMAGEKIT_HOST ? segments.slice(1) : segments).join("/");
}

/** `decodeURI`, except that a malformed `%` escape (`100%`, `%ZZ`) stays as written instead of throwing. */
function decodeLoosely(path: string): string {
    return path.replace(/(%[0-9A-Fa-f]{2})+/g, (run) => {
        try {
            return decodeURI(run);
        } catch {
            return run;
        }
    });
}

/**
 * ImageKit accepts a trailing `*` when the path before it (after the ImageKit id and the URL pattern)
 * has two levels or more, is at least 15 characters long, or names a file with an extension; never for
 * `media/catalog/*` or `s/files/*`.
 */
export function wildcardRuleProblem(raw: string, urlEndpoint?: string): string | undefined {
    if (!raw.endsWith("*") || urlFormProblem(raw) !== undefined) {
        return undefined;
    }
    const path = pathAfterEndpoint(new URL(raw), urlEndpoint);
    if (NEVER_WILDCARD.has(path)) {
        return `ImageKit never accepts a wildcard purge of ${path}*, got ${shownUrl(raw)}`;
    }
    const levels = path.split("/").filter((s) => s !== "").length;
    const lastSegment = path.split("/").pop() ?? "";
    const hasExtension = /\.[A-Za-z0-9]+$/.test(lastSegment);
    if (levels >= 2 || path.length >= MIN_WILDCARD_PATH_CHARS || hasExtension) {
        return undefined;
    }
    const judged = urlEndpoint === undefined ? "" : ` (ImageKit judges the path after the URL endpoint ${urlEndpoint}: ${JSON.stringify(`${path}*`)})`;
    return `a wildcard * needs a path of two levels or more (/images/upload*), of at least ${MIN_WILDCARD_PATH_CHARS} characters, `
        + `or a file name with an extension (/sample.jpg*) before it, got ${shownUrl(raw)}${judged}`;
}
