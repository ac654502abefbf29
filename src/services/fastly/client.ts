import type { Headers } from "node-fetch";
import { PurgeError } from "../../core/errors";
import type { HttpClient, HttpResponse } from "../../core/http/client";
import type { RateLimitInfo } from "../../core/http/rate-gate";
import { endpointUrl } from "../../core/http/url";
import { nonJsonErrorMessage, unexpectedAnswer } from "../answer";

const CHECK_BASE_URL = "check that baseUrl is Fastly's API (https://api.fastly.com), not a login page or proxy in front of it";

export function keysEndpoint(baseUrl: string, serviceId: string): URL {
    return endpointUrl(baseUrl, ["service", serviceId, "purge"]);
}

export function purgeAllEndpoint(baseUrl: string, serviceId: string): URL {
    return endpointUrl(baseUrl, ["service", serviceId, "purge_all"]);
}

/**
 * `POST /purge/{cached_url}`: the cached URL without its scheme, its path kept as it is (fastly-js sends
 * `cached_url` with `allowReserved`). The URL was parsed, so no `.` or `..` segment is left to climb out.
 */
export function urlEndpoint(baseUrl: string, cachedUrl: string): URL {
    const url = new URL(cachedUrl);
    const purge = endpointUrl(baseUrl, ["purge", url.host]);
    return new URL(`${purge.toString()}${url.pathname}${url.search}`);
}

/** What every purge request carries: the token as `Fastly-Key`, and `Fastly-Soft-Purge: 1` for a soft purge. */
export function purgeHeaders(apiToken: string, soft: boolean): Record<string, string> {
    return { "fastly-key": apiToken, ...(soft ? { "fastly-soft-purge": "1" } : {}) };
}

function jsonObject(url: URL, response: HttpResponse, expected: string): Record<string, unknown> {
    if (response.json === null || typeof response.json !== "object" || Array.isArray(response.json)) {
        throw unexpectedAnswer("fastly", "POST", url.toString(), response, expected, CHECK_BASE_URL);
    }
    return response.json as Record<string, unknown>;
}

/**
 * Purges up to 256 surrogate keys: `POST /service/{id}/purge` with `{"surrogate_keys": [...]}` (the JSON body
 * the API reference offers beside the `Surrogate-Key` header, fastly-api's `PurgeKeys`: no header-size limit). Fastly answers
 * each key with its purge id: `{"key": "108-1391560174-974124"}`. A key without one is not taken as purged.
 */
export async function purgeKeys(http: HttpClient, baseUrl: string, serviceId: string, headers: Record<string, string>, keys: readonly string[]): Promise<Record<string, string>> {
    const url = keysEndpoint(baseUrl, serviceId);
    const response = await http.send({ method: "POST", url, headers, json: { surrogate_keys: keys } });
    const body = jsonObject(url, response, "200 with JSON {\"<key>\": \"<purge id>\", …}");
    const missing = keys.filter((key) => typeof body[key] !== "string");
    if (missing.length > 0) {
        throw new PurgeError(`fastly: POST ${url.toString()} returned ${response.status} without a purge id for ${missing.length} of ${keys.length} keys `
            + `(${missing.slice(0, 3).map((k) => JSON.stringify(k)).join(", ")}${missing.length > 3 ? ", …" : ""}); they are not taken as purged`);
    }
    return Object.fromEntries(keys.map((key) => [key, body[key] as string]));
}

/** Purges one URL: `POST /purge/{cached_url}`; Fastly answers `{"status": "ok", "id": "…"}` (fastly-js `PurgeResponse`). */
export async function purgeUrl(http: HttpClient, baseUrl: string, headers: Record<string, string>, cachedUrl: string): Promise<string> {
    const url = urlEndpoint(baseUrl, cachedUrl);
    const response = await http.send({ method: "POST", url, headers });
    const body = jsonObject(url, response, "200 with JSON {\"status\": \"ok\", \"id\": …}");
    if (body.status !== "ok") {
        throw new PurgeError(`fastly: POST ${url.toString()} returned ${response.status} with status ${JSON.stringify(body.status)}, not "ok"; the URL is not taken as purged`);
    }
    return typeof body.id === "string" ? body.id : "";
}

/** Purges everything the service cached: `POST /service/{id}/purge_all`; Fastly answers `{"status": "ok"}`. */
export async function purgeAll(http: HttpClient, baseUrl: string, serviceId: string, headers: Record<string, string>): Promise<void> {
    const url = purgeAllEndpoint(baseUrl, serviceId);
    const response = await http.send({ method: "POST", url, headers });
    const body = jsonObject(url, response, "200 with JSON {\"status\": \"ok\"}");
    if (body.status !== "ok") {
        throw new PurgeError(`fastly: POST ${url.toString()} returned ${response.status} with status ${JSON.stringify(body.status)}, not "ok"; nothing is taken as purged`);
    }
}

/** What to do, by status: Fastly's own words (`msg`) rarely say. */
const HINTS: Readonly<Record<number, string>> = {
    401: "the API token is missing, expired or revoked",
    403: "the API token needs the purge_select scope (keys and URLs) or purge_all (everything) on this service",
    404: "check serviceId: the service's id, not its name",
};

/** Fastly's error body: `{"msg": …, "detail": …}`; a body that is not JSON by its first line. */
export function fastlyErrorMessage(response: HttpResponse): string {
    const body = response.json as { msg?: unknown; detail?: unknown } | undefined;
    const msg = typeof body?.msg === "string" ? body.msg : "";
    const detail = typeof body?.detail === "string" && body.detail !== "" ? `: ${body.detail}` : "";
    const said = msg !== "" ? `${msg}${detail}` : nonJsonErrorMessage(response);
    const hint = HINTS[response.status];
    return hint === undefined ? said : `${said} (${hint})`;
}

/**
 * `Fastly-RateLimit-Remaining` and `Fastly-RateLimit-Reset` (epoch seconds), read by every official SDK
 * (go-fastly, fastly-php, fastly-rust) after each request that is not a GET or HEAD.
 */
export function fastlyRateLimit(headers: Headers, _nowMs: number): RateLimitInfo {
    const remaining = wholeNumber(headers.get("fastly-ratelimit-remaining"));
    const reset = wholeNumber(headers.get("fastly-ratelimit-reset"));
    return {
        ...(remaining === undefined ? {} : { remaining }),
        // Whole seconds: wait to the end of the named second.
        ...(reset === undefined ? {} : { resetAtMs: reset * 1000 + 1000 }),
    };
}

function wholeNumber(value: string | null): number | undefined {
    return value === null || !/^\s*\d+\s*$/.test(value) ? undefined : Number(value);
}
