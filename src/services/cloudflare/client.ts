import type { Headers } from "node-fetch";
import { PurgeError } from "../../core/errors";
import type { HttpClient, HttpResponse } from "../../core/http/client";
import type { RateLimitInfo } from "../../core/http/rate-gate";
import { endpointUrl } from "../../core/http/url";
import { nonJsonErrorMessage, unexpectedAnswer } from "../answer";

export function purgeEndpoint(baseUrl: string, zoneId: string): URL {
    return endpointUrl(baseUrl, ["zones", zoneId, "purge_cache"]);
}

/** One `files` entry: a URL, or a URL with the request headers its cache key was computed from. */
export type FileEntry = string | { readonly url: string; readonly headers: Readonly<Record<string, string>> };

/** The body of one purge: exactly one kind, as the SDK's `CachePurgeParams` union allows. */
export type PurgeBody =
    | { readonly files: readonly FileEntry[] }
    | { readonly tags: readonly string[] }
    | { readonly hosts: readonly string[] }
    | { readonly prefixes: readonly string[] }
    | { readonly purge_everything: true };

const CHECK_BASE_URL = "check that baseUrl is Cloudflare's API (https://api.cloudflare.com/client/v4), not a login page or proxy in front of it";

/**
 * One purge: `POST /zones/{zone_id}/purge_cache` with `Authorization: Bearer <token>`, as the API reference
 * and cloudflare-typescript (`resources/cache/cache.ts`) send it. Success is the v4 envelope with
 * `"success": true`, not any 2xx; `result.id` is the purge's id, kept for the receipt.
 */
export async function purgeCache(http: HttpClient, baseUrl: string, zoneId: string, apiToken: string, body: PurgeBody): Promise<string | undefined> {
    const url = purgeEndpoint(baseUrl, zoneId);
    const response = await http.send({ method: "POST", url, headers: { authorization: `Bearer ${apiToken}` }, json: body });
    const envelope = response.json as { success?: unknown; result?: { id?: unknown } | null } | undefined;
    if (envelope === null || typeof envelope !== "object" || typeof envelope.success !== "boolean") {
        throw unexpectedAnswer("cloudflare", "POST", url.toString(), response, "200 with Cloudflare's JSON envelope {\"success\": true, …}", CHECK_BASE_URL);
    }
    if (!envelope.success) {
        const said = cloudflareErrorMessage(response);
        throw new PurgeError(`cloudflare: POST ${url.toString()} returned ${response.status} ${response.statusText} with "success": false`
            + (said === "" ? " and no errors[]; the purge is not taken as done" : `: ${JSON.stringify(said)}`));
    }
    const id = envelope.result?.id;
    return typeof id === "string" && id !== "" ? id : undefined;
}

/** What to do about the codes a purge meets; Cloudflare's own words rarely say. */
const HINTS: Readonly<Record<number, string>> = {
    // Authentication error: a token unknown, revoked, or without the permission for this zone.
    10000: "check the API token: it needs the Zone > Cache Purge permission on this zone",
    // Could not route to /zones/…: the zone id names no zone this token can see.
    7003: "check zoneId: the zone's id from its Overview page, not the account id",
    // Unable to purge, rate limit reached.
    1134: "the account's purge rate limit; lower how often purges run, or set plan to the zone's plan so requests are paced",
};

/**
 * The envelope's `errors[]` as one sentence: `code 10000: Authentication error`, with a hint for the codes
 * met in practice; a body that is not the envelope (a proxy's page) by its first line.
 */
export function cloudflareErrorMessage(response: HttpResponse): string {
    const body = response.json as { errors?: unknown } | undefined;
    if (Array.isArray(body?.errors)) {
        return body.errors.slice(0, 5).map((e: unknown) => {
            const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
            const text = typeof message === "string" ? message : "";
            const hint = typeof code === "number" && HINTS[code] !== undefined ? ` (${HINTS[code]})` : "";
            return typeof code === "number" ? `code ${code}: ${text}${hint}` : `${text}${hint}`;
        }).join("; ");
    }
    return nonJsonErrorMessage(response);
}

/**
 * Cloudflare's REST rate-limit header (changelog "Introducing new headers for rate limiting on Cloudflare's
 * API", 2025): `Ratelimit: "default";r=50;t=30`, `r` requests left, `t` seconds until the window resets.
 */
export function cloudflareRateLimit(headers: Headers, nowMs: number): RateLimitInfo {
    const value = headers.get("ratelimit");
    if (value === null) {
        return {};
    }
    const remaining = /(?:^|;)\s*r=(\d+)/.exec(value)?.[1];
    const reset = /(?:^|;)\s*t=(\d+)/.exec(value)?.[1];
    return {
        ...(remaining === undefined ? {} : { remaining: Number(remaining) }),
        ...(reset === undefined ? {} : { resetAtMs: nowMs + Number(reset) * 1000 }),
    };
}
