import type { Headers } from "node-fetch";
import { PurgeError } from "../../core/errors";
import type { HttpClient, HttpRequest, HttpResponse } from "../../core/http/client";
import type { RateLimitInfo } from "../../core/http/rate-gate";
import { isTransientStatus } from "../../core/http/retry-timing";
import { endpointUrl } from "../../core/http/url";
import type { CredentialSource } from "../../core/service";
import { nonJsonErrorMessage, unexpectedAnswer } from "../answer";

export function purgeEndpoint(baseUrl: string): URL {
    return endpointUrl(baseUrl, ["v1", "files", "purge"]);
}

export function statusEndpoint(baseUrl: string, requestId: string): URL {
    return endpointUrl(baseUrl, ["v1", "files", "purge", requestId]);
}

/** HTTP Basic with the private key as user and an empty password, as ImageKit's docs and older SDKs send it. */
function authorization(privateKey: string): Record<string, string> {
    return { authorization: `Basic ${Buffer.from(`${privateKey}:`).toString("base64")}` };
}

export type PurgeStatus = "Pending" | "Completed";

/**
 * ImageKit's purge API for one account, with what every request shares (the endpoint and the
 * authorization header) built once for a batch rather than once per URL.
 */
export class ImageKitApi {
    private readonly purgeEndpoint: URL;
    private readonly headers: Record<string, string>;

    constructor(private readonly http: HttpClient, private readonly baseUrl: string, privateKey: string) {
        this.purgeEndpoint = purgeEndpoint(baseUrl);
        this.headers = authorization(privateKey);
    }

    /**
     * Asks ImageKit to purge one URL: `POST /v1/files/purge {url}`. ImageKit answers 201 today (200 in
     * older docs; both are success) with the request id to poll. The id is optional in ImageKit's own
     * types, so a JSON body without one is accepted, but then there is nothing to poll: `undefined`. A body
     * that is not JSON (a gateway's page) is not a purge. `beforeAttempt` sees every attempt, retries
     * included, since each may count against the monthly quota.
     */
    async purgeUrl(url: string, beforeAttempt?: HttpRequest["beforeAttempt"]): Promise<string | undefined> {
        const endpoint = this.purgeEndpoint;
        const response = await this.http.send({ method: "POST", url: endpoint, headers: this.headers, json: { url }, beforeAttempt });
        const body = jsonObject("POST", endpoint, response, "201 with JSON {\"requestId\": …}") as { requestId?: unknown };
        return typeof body.requestId === "string" && body.requestId !== "" ? body.requestId : undefined;
    }

    /**
     * Lists at most one file of the media library, `GET /v1/files?limit=1` (ImageKit's "List and search
     * assets", the SDKs' `assets.list`): a read that proves the key authenticates the account.
     */
    async listOneFile(): Promise<number> {
        const endpoint = endpointUrl(this.baseUrl, ["v1", "files"]);
        endpoint.searchParams.set("limit", "1");
        const response = await this.http.send({ method: "GET", url: endpoint, headers: this.headers });
        if (response.status !== 200 || !Array.isArray(response.json)) {
            throw unexpectedAnswer("imagekit", "GET", endpoint.toString(), response, "200 with a JSON list of files",
                "check that baseUrl is ImageKit's API (https://api.imagekit.io), not a login page or proxy in front of it");
        }
        return response.json.length;
    }

    /** Reads a purge request's status: `GET /v1/files/purge/:requestId`. */
    async purgeStatus(requestId: string): Promise<PurgeStatus> {
        const endpoint = statusEndpoint(this.baseUrl, requestId);
        const response = await this.http.send({ method: "GET", url: endpoint, headers: this.headers });
        const body = jsonObject("GET", endpoint, response, "200 with JSON {\"status\": …}") as { status?: unknown };
        if (body.status === "Pending" || body.status === "Completed") {
            return body.status;
        }
        throw new PurgeError(`imagekit: GET ${endpoint.toString()} returned status ${JSON.stringify(body.status)}; expected "Pending" or "Completed"`);
    }
}

function jsonObject(method: string, url: URL, response: HttpResponse, expected: string): object {
    if (response.json === null || typeof response.json !== "object") {
        throw unexpectedAnswer("imagekit", method, url.toString(), response, expected,
            "check that baseUrl is ImageKit's API (https://api.imagekit.io), not a login page or proxy in front of it");
    }
    return response.json;
}

/**
 * Whether an answer says the account's monthly purge quota is spent. ImageKit does not document the
 * status (403 or 429); its message is what tells a spent quota from a passing rate limit.
 */
export function isQuotaSpent(response: HttpResponse): boolean {
    if (response.status !== 403 && response.status !== 429) {
        return false;
    }
    return /\bquota\b|\bmonthly\b|\bper month\b|purge request limit/i.test(vendorMessage(response));
}

/** 408, 429 and 5xx, except a 429 that says the monthly quota is spent: no retry brings it back this month. */
export function isRetryableAnswer(status: number, response: HttpResponse): boolean {
    return isTransientStatus(status) && !isQuotaSpent(response);
}

/** ImageKit's error body is `{"message","help"}`; old gateways answer plain text, proxies HTML. */
export function imagekitErrorMessage(response: HttpResponse): string {
    return vendorMessage(response);
}

/**
 * What to check after a failed answer. ImageKit answers 401 to a missing key and 403 to a key that
 * cannot authenticate the account (api-overview); its purge API has no 404 but for a wrong path.
 */
export function imagekitErrorHint(response: HttpResponse, source: CredentialSource): string {
    const key = `the private key (from ${source("privateKey")})`;
    if (isQuotaSpent(response)) {
        return "the account's monthly purge quota is used up: ImageKit counts every purge request, retries included; "
            + "not retried. Wait for the next month, or ask ImageKit support to raise the quota";
    }
    switch (response.status) {
        case 401:
        case 403:
            return `check ${key}: it must be the account's private key (private_…, not the public one), not expired, `
                + "and the account active; copy it again from ImageKit's dashboard > Developer options";
        case 404:
        case 405:
            return "ImageKit's purge API never answers this status: check that baseUrl is ImageKit's API (https://api.imagekit.io), not the URL endpoint that serves the images";
        default:
            return "";
    }
}

function vendorMessage(response: HttpResponse): string {
    const body = response.json as { message?: unknown } | undefined;
    if (typeof body?.message === "string" && body.message !== "") {
        return body.message;
    }
    return nonJsonErrorMessage(response);
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
