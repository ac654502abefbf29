import type { Headers } from "node-fetch";
import { PurgeError } from "../../core/errors";
import { expectJsonBody, type HttpClient, type HttpResponse } from "../../core/http/client";
import type { RateLimitInfo } from "../../core/http/rate-gate";
import { endpointUrl } from "../../core/http/url";

export function purgeEndpoint(baseUrl: string): URL {
    return endpointUrl(baseUrl, ["v1", "files", "purge"]);
}

export function statusEndpoint(baseUrl: string, requestId: string): URL {
    return endpointUrl(baseUrl, ["v1", "files", "purge", requestId]);
}

/** HTTP Basic with the private key as user and an empty password, as ImageKit's docs and older SDKs send it. */
export function authorization(privateKey: string): Record<string, string> {
    return { authorization: `Basic ${Buffer.from(`${privateKey}:`).toString("base64")}` };
}

/**
 * Asks ImageKit to purge one URL: `POST /v1/files/purge {url}`. ImageKit answers 201 today (200 in older
 * docs; both are success) with the request id to poll. The id is optional in ImageKit's own types, so a
 * body without one is accepted and the purge counts as done.
 */
export async function purgeUrl(http: HttpClient, baseUrl: string, privateKey: string, url: string): Promise<string | undefined> {
    const endpoint = purgeEndpoint(baseUrl);
    const response = await http.send({ method: "POST", url: endpoint, headers: authorization(privateKey), json: { url } });
    const body = expectJsonBody("imagekit", "POST", endpoint.toString(), response) as { requestId?: unknown };
    return typeof body.requestId === "string" && body.requestId !== "" ? body.requestId : undefined;
}

export type PurgeStatus = "Pending" | "Completed";

/** Reads a purge request's status: `GET /v1/files/purge/:requestId`. */
export async function purgeStatus(http: HttpClient, baseUrl: string, privateKey: string, requestId: string): Promise<PurgeStatus> {
    const endpoint = statusEndpoint(baseUrl, requestId);
    const response = await http.send({ method: "GET", url: endpoint, headers: authorization(privateKey) });
    const body = expectJsonBody("imagekit", "GET", endpoint.toString(), response) as { status?: unknown };
    if (body.status === "Pending" || body.status === "Completed") {
        return body.status;
    }
    throw new PurgeError(`imagekit: GET ${endpoint.toString()} returned status ${JSON.stringify(body.status)}; expected "Pending" or "Completed"`);
}

/** ImageKit's error body is `{"message","help"}`; old gateways answer plain text. */
export function imagekitErrorMessage(response: HttpResponse): string {
    const body = response.json as { message?: unknown } | undefined;
    if (typeof body?.message === "string" && body.message !== "") {
        return body.message;
    }
    return response.text.trim().slice(0, 200);
}

/**
 * ImageKit's account-wide limit: `X-RateLimit-Limit` requests per `X-RateLimit-Interval` milliseconds,
 * and `X-RateLimit-Reset`, the milliseconds to wait (not an epoch, unlike most services).
 */
export function imagekitRateLimit(headers: Headers, nowMs: number): RateLimitInfo {
    const limit = readNumber(headers.get("x-ratelimit-limit"));
    const intervalMs = readNumber(headers.get("x-ratelimit-interval"));
    const resetMs = readNumber(headers.get("x-ratelimit-reset"));
    return {
        ...(limit === undefined ? {} : { limit }),
        ...(intervalMs === undefined ? {} : { intervalMs }),
        ...(resetMs === undefined ? {} : { resetAtMs: nowMs + resetMs }),
    };
}

function readNumber(value: string | null): number | undefined {
    if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) {
        return undefined;
    }
    return Number(value);
}
