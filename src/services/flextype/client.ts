import type { HttpClient, HttpResponse } from "../../core/http/client";
import { endpointUrl } from "../../core/http/url";
import type { CredentialSource } from "../../core/service";
import { nonJsonErrorMessage, unexpectedAnswer } from "../answer";

/** The path of Flextype's cache-clear endpoint since 1.0.0-alpha.1 (2022-06). */
export const CLEAR_PATH = ["api", "v1", "cache", "clear"] as const;

export function clearUrl(baseUrl: string): URL {
    return endpointUrl(baseUrl, CLEAR_PATH);
}

/**
 * Flextype's `Api.php` saves `calls + 1` for the token before `Cache.php` deletes the cache, so every
 * attempt that reaches it spends one of the token's `limit_calls`, whatever it answers: a 500 (or a 504,
 * where the proxy gave up on an answer that may still come) is not retried. A 502 or 503 from a proxy
 * means the request never reached Flextype.
 */
export function isRetryableStatus(status: number): boolean {
    return status === 408 || status === 429 || status === 502 || status === 503;
}

/**
 * Clears the whole Flextype cache: `POST /api/v1/cache/clear` with both tokens in a JSON body (the body
 * keeps them out of access logs, which record the query string). Flextype deletes its cache folder before
 * answering 204 with an empty body (`Cache.php`, `Api.php getApiResponse`). Anything else with a 2xx
 * status is not a clear: a 200 carrying PHP's "Fatal error: Uncaught …" (a wrong base path, or a Flextype
 * without `/api/v1`, with `display_errors` on), or a login page from a gateway in front of the site.
 */
export async function clearCache(http: HttpClient, baseUrl: string, token: string, accessToken: string): Promise<void> {
    const url = clearUrl(baseUrl);
    const response = await http.send({ method: "POST", url, json: { token, access_token: accessToken } });
    if (response.status !== 204 || response.text.trim() !== "") {
        throw unexpectedAnswer("flextype", "POST", url.toString(), response, "204 with an empty body",
            /fatal error/i.test(response.text)
                ? "PHP failed before Flextype's API answered: check that baseUrl is the site root (plus its base_path) and that the site runs Flextype 1.0.0-alpha.1 or later, which has /api/v1/cache/clear"
                : "check that baseUrl points at the Flextype site itself, not a login page or proxy in front of it");
    }
}

/**
 * Flextype's error body is `{"title","message","http_status_code"}`. Its 400 covers several causes that
 * the body does not tell apart, so the message lists them.
 */
export function flextypeErrorMessage(response: HttpResponse): string {
    const body = response.json as { message?: unknown } | undefined;
    return typeof body?.message === "string" ? body.message : nonJsonErrorMessage(response);
}

/** Flextype's error body carries its status as `http_status_code`; another server's body does not. */
function isFlextypeError(response: HttpResponse): boolean {
    const body = response.json as { http_status_code?: unknown } | undefined;
    return body?.http_status_code === response.status;
}

const SITE_ROOT = "check that baseUrl is the Flextype site root (plus its base_path), under which /api/v1/cache/clear lives";

/**
 * What to check after a failed clear. Flextype's cache API answers 400, 401 or (with no route) a bare
 * 500, nothing else (Flextype's Api.php, validateApiRequest): any other status, or a 401 in another
 * server's words, came from something that is not Flextype.
 */
export function flextypeErrorHint(response: HttpResponse, source: CredentialSource): string {
    const token = `the token (from ${source("token")})`;
    const accessToken = `the access token (from ${source("accessToken")})`;
    if (response.status === 400) {
        return `Flextype answers 400 when ${token} is disabled, its limit_calls is used up `
            + `(a token created with limit_calls=0 on the command line counts as a limit of 0 and is refused every call), `
            + `or api.cache.enabled is false`;
    }
    if (response.status === 401 && isFlextypeError(response)) {
        return `${token} does not exist on the site, or ${accessToken} does not match it`;
    }
    if (response.status === 500 && response.json === undefined) {
        return `Flextype answers a bare 500 to a path it has no route for: ${SITE_ROOT}; not retried, as each attempt may spend one of the token's limit_calls`;
    }
    if (response.status >= 401 && response.status < 500) {
        return `Flextype's cache API never answers ${response.status}: ${SITE_ROOT}, not another service; `
            + `then check ${token} and ${accessToken}`;
    }
    return "";
}
