import type { Headers } from "node-fetch";
import { PurgeError } from "../../core/errors";
import type { HttpClient, HttpResponse } from "../../core/http/client";
import type { RateLimitInfo } from "../../core/http/rate-gate";
import { endpointUrl } from "../../core/http/url";
import type { CredentialSource } from "../../core/service";
import { nonJsonErrorMessage, unexpectedAnswer } from "../answer";

/** One cache as `GET /apps/:id/caches` lists it. */
export interface CodemagicCache {
    readonly _id: string;
    readonly workflowId: string;
    /** Bytes; 0 when the service leaves it out. */
    readonly size: number;
    /** Kept as the service wrote it (`2022-02-18T13:29:05.541+0000`): only shown, never compared. */
    readonly lastUsed?: string;
}

export function cachesUrl(baseUrl: string, appId: string): URL {
    return endpointUrl(baseUrl, ["apps", appId, "caches"]);
}

export function cacheUrl(baseUrl: string, appId: string, cacheId: string): URL {
    return endpointUrl(baseUrl, ["apps", appId, "caches", cacheId]);
}

function authHeaders(token: string): Record<string, string> {
    return { "x-auth-token": token };
}

/** `GET /apps/:id/caches`: every cache of the app, those being deleted included until they are gone. */
export async function listCaches(http: HttpClient, baseUrl: string, appId: string, token: string): Promise<CodemagicCache[]> {
    const url = cachesUrl(baseUrl, appId);
    const response = await http.send({ method: "GET", url, headers: authHeaders(token) });
    const body = jsonOf("GET", url, response, "200 with JSON {\"caches\": […]}") as { caches?: unknown };
    if (!Array.isArray(body.caches)) {
        throw unexpectedBody("GET", url, response);
    }
    return body.caches.map((raw: unknown) => {
        const cache = raw as Partial<Record<keyof CodemagicCache, unknown>> | null;
        if (cache === null || typeof cache !== "object" || typeof cache._id !== "string") {
            throw unexpectedBody("GET", url, response);
        }
        return {
            _id: cache._id,
            workflowId: typeof cache.workflowId === "string" ? cache.workflowId : "",
            size: typeof cache.size === "number" && Number.isFinite(cache.size) ? cache.size : 0,
            ...(typeof cache.lastUsed === "string" ? { lastUsed: cache.lastUsed } : {}),
        };
    });
}

/**
 * What Codemagic said it started deleting. `named` is false when the 202 came with an empty body: then
 * nobody knows which caches it is deleting, and a wait has nothing to watch.
 */
export interface Accepted {
    readonly ids: string[];
    readonly named: boolean;
}

/**
 * `DELETE /apps/:id/caches`: starts deleting every cache of the app. Codemagic answers 202 with the ids
 * it is about to delete; they stay in the list until the deletion is done.
 */
export async function deleteAllCaches(http: HttpClient, baseUrl: string, appId: string, token: string): Promise<Accepted> {
    const url = cachesUrl(baseUrl, appId);
    const response = await http.send({ method: "DELETE", url, headers: authHeaders(token) });
    return acceptedIds("DELETE", url, response);
}

/**
 * `DELETE /apps/:id/caches/:cacheId`: starts deleting one cache. Answers `undefined` when the cache is
 * not there (404): it went between listing and deleting, which is what the purge wanted.
 */
export async function deleteCache(http: HttpClient, baseUrl: string, appId: string, cacheId: string, token: string): Promise<Accepted | undefined> {
    const url = cacheUrl(baseUrl, appId, cacheId);
    const response = await http.send({ method: "DELETE", url, headers: authHeaders(token), accept: (status) => status === 404 });
    if (response.status === 404) {
        return undefined;
    }
    const accepted = acceptedIds("DELETE", url, response);
    return accepted.ids.length > 0 ? accepted : { ids: [cacheId], named: false };
}

function acceptedIds(method: string, url: URL, response: HttpResponse): Accepted {
    // Only the ids matter, and an empty body still means "accepted"; a body that says otherwise is a defect.
    if (response.text.trim() === "") {
        return { ids: [], named: false };
    }
    const body = jsonOf(method, url, response, "202 with JSON {\"caches\": […]}") as { caches?: unknown };
    if (!Array.isArray(body.caches) || !body.caches.every((id) => typeof id === "string")) {
        throw unexpectedBody(method, url, response);
    }
    return { ids: body.caches as string[], named: true };
}

/** The JSON of a success, or a failure that quotes what came instead (a gateway's page, a proxy's). */
function jsonOf(method: string, url: URL, response: HttpResponse, expected: string): unknown {
    if (response.json === undefined || response.json === null || typeof response.json !== "object") {
        throw unexpectedAnswer("codemagic", method, url.toString(), response, expected,
            "check that baseUrl is Codemagic's API (https://api.codemagic.io), not a login page or proxy in front of it");
    }
    return response.json;
}

function unexpectedBody(method: string, url: URL, response: HttpResponse): PurgeError {
    const snippet = response.text.length > 120 ? `${response.text.slice(0, 120)}…` : response.text;
    return new PurgeError(`codemagic: ${method} ${url.toString()} returned ${response.status} with a body that has no "caches" list: ${JSON.stringify(snippet)}`);
}

/** Codemagic documents no error body; the emulator and observed answers use `{"error": "..."}`. */
export function codemagicErrorMessage(response: HttpResponse): string {
    const body = response.json as { error?: unknown; message?: unknown } | undefined;
    return typeof body?.error === "string" ? body.error
        : typeof body?.message === "string" ? body.message
            : nonJsonErrorMessage(response);
}

/** What to check for the statuses Codemagic's API answers to a bad token or app id. */
export function codemagicErrorHint(response: HttpResponse, source: CredentialSource): string {
    const token = `the API token (from ${source("token")})`;
    switch (response.status) {
        case 401:
            return `check ${token}: copy it again from Codemagic's Account settings > API token`;
        case 403:
            return `${token} belongs to a user with no access to this app; use a token of a team member who can see it`;
        case 404:
            return "no app with this id, or the token's user cannot see it: the id is in the app's URL on codemagic.io, "
                + "and baseUrl must be Codemagic's API (https://api.codemagic.io)";
        default:
            return "";
    }
}

/**
 * Codemagic's rate-limit headers, in either form: the v3 API's `ratelimit-remaining` and
 * `ratelimit-reset` (seconds until the reset, as its OpenAPI description documents them), or the legacy
 * `X-RateLimit-Remaining` and `X-RateLimit-Reset` (epoch seconds; removed from the docs in 2025-09).
 * The limit is a budget per hour, not a pace, so it does not space requests out.
 */
export function codemagicRateLimit(headers: Headers, nowMs: number): RateLimitInfo {
    const v3Remaining = numberHeader(headers, "ratelimit-remaining");
    const v3Reset = numberHeader(headers, "ratelimit-reset");
    const remaining = v3Remaining ?? numberHeader(headers, "x-ratelimit-remaining");
    const legacyReset = numberHeader(headers, "x-ratelimit-reset");
    const resetAtMs = v3Reset !== undefined ? nowMs + v3Reset * 1000 : legacyReset === undefined ? undefined : legacyReset * 1000;
    return {
        ...(remaining === undefined ? {} : { remaining }),
        ...(resetAtMs === undefined ? {} : { resetAtMs }),
    };
}

function numberHeader(headers: Headers, name: string): number | undefined {
    const value = headers.get(name);
    if (value === null || !/^\d+(\.\d+)?$/.test(value.trim())) {
        return undefined;
    }
    return Number(value.trim());
}
