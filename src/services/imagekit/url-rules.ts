/**
 * ImageKit's rules for the `url` of a purge, from its purge API reference, as pure functions so `check`
 * refuses a bad URL before any request and the emulator answers it the way the service does.
 */

/** ImageKit's default URL endpoint; its first path segment is the account's ImageKit id. */
const IMAGEKIT_HOST = "ik.imagekit.io";

/** Prefixes ImageKit never purges with a wildcard, whatever their length or depth. */
const NEVER_WILDCARD = new Set(["media/catalog/", "s/files/"]);

/** A wildcard path this long is specific enough for ImageKit even at one level. */
const MIN_WILDCARD_PATH_CHARS = 15;

/** Why a purge URL is refused, or undefined when ImageKit accepts it. */
export function purgeUrlProblem(raw: string): string | undefined {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        return `expected an absolute http(s) URL such as https://ik.imagekit.io/your_id/image.jpg, got ${JSON.stringify(raw)}`;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        return `expected an http:// or https:// URL, got ${JSON.stringify(raw)}`;
    }
    if (raw.trim() !== raw) {
        return `must not start or end with blanks, got ${JSON.stringify(raw)}`;
    }
    const star = raw.indexOf("*");
    if (star === -1) {
        return undefined;
    }
    if (star !== raw.length - 1) {
        return `a wildcard * is allowed only as the last character, got ${JSON.stringify(raw)}`;
    }
    return wildcardProblem(url, raw);
}

/**
 * ImageKit accepts a trailing `*` when the path before it (after the ImageKit id) has two levels or
 * more, is at least 15 characters long, or names a file with an extension; never for `media/catalog/*`
 * or `s/files/*`.
 */
function wildcardProblem(url: URL, raw: string): string | undefined {
    if (url.search !== "" || url.hash !== "") {
        return `a wildcard * is allowed only at the end of the path, not in a query, got ${JSON.stringify(raw)}`;
    }
    const segments = decodeURI(url.pathname).replace(/\*$/, "").split("/").slice(1);
    const path = (url.hostname === IMAGEKIT_HOST ? segments.slice(1) : segments).join("/");
    if (NEVER_WILDCARD.has(path)) {
        return `ImageKit never accepts a wildcard purge of ${path}*, got ${JSON.stringify(raw)}`;
    }
    const levels = path.split("/").filter((s) => s !== "").length;
    const lastSegment = path.split("/").pop() ?? "";
    const hasExtension = /\.[A-Za-z0-9]+$/.test(lastSegment);
    if (levels >= 2 || path.length >= MIN_WILDCARD_PATH_CHARS || hasExtension) {
        return undefined;
    }
    return `a wildcard * needs a path of two levels or more (/images/upload*), of at least ${MIN_WILDCARD_PATH_CHARS} characters, `
        + `or a file name with an extension (/sample.jpg*) before it, got ${JSON.stringify(raw)}`;
}
