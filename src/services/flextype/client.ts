import type { HttpClient, HttpResponse } from "../../core/http/client";
import { endpointUrl } from "../../core/http/url";

/** The path of Flextype's cache-clear endpoint since 1.0.0-alpha.1 (2022-06). */
export const CLEAR_PATH = ["api", "v1", "cache", "clear"] as const;

export function clearUrl(baseUrl: string): URL {
    return endpointUrl(baseUrl, CLEAR_PATH);
}

/**
 * Clears the whole Flextype cache: `POST /api/v1/cache/clear` with both tokens in a JSON body (the body
 * keeps them out of access logs, which record the query string). Flextype deletes its cache folder before
 * answering, so a 2xx means done. Released code answers 204; the docs show 200; both are success.
 */
export async function clearCache(http: HttpClient, baseUrl: string, token: string, accessToken: string): Promise<void> {
    await http.send({ method: "POST", url: clearUrl(baseUrl), json: { token, access_token: accessToken } });
}

/**
 * Flextype's error body is `{"title","message","http_status_code"}`. Its 400 covers several causes that
 * the body does not tell apart, so the message lists them.
 */
export function flextypeErrorMessage(response: HttpResponse): string {
    const body = response.json as { message?: unknown; title?: unknown } | undefined;
    const message = typeof body?.message === "string" ? body.message : response.text.trim().slice(0, 200);
    if (response.status === 400) {
        return `${message} (Flextype answers 400 when the token is disabled, its limit_calls is used up, or api.cache.enabled is false)`;
    }
    if (response.status === 401) {
        return `${message} (the token does not exist or the access token does not match it)`;
    }
    return message;
}
