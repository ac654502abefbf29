import * as http from "http";
import * as https from "https";
import type { Headers } from "node-fetch";
import { HttpStatusError, NetworkError, PurgeError } from "../errors";
import type { ProgressLog } from "../progress-log";
import type { Redactor } from "../redact";
import { delay } from "./delay";
import type { RateGate, RateLimitInfo } from "./rate-gate";
import { backoffMs, formatSeconds, isTransientStatus, retryAfterMs } from "./retry-timing";

/** A response, read whole. `json` is undefined when the body is empty or not JSON. */
export interface HttpResponse {
    readonly status: number;
    readonly statusText: string;
    readonly headers: Headers;
    readonly text: string;
    readonly json: unknown;
}

export interface HttpRequest {
    readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    readonly url: URL;
    readonly headers?: Readonly<Record<string, string>>;
    /** Sent as `application/json`. */
    readonly json?: unknown;
    /** Sent as `application/x-www-form-urlencoded`. */
    readonly form?: Readonly<Record<string, string>>;
    /** Statuses returned to the caller instead of thrown, for callers that handle them (a 404 fallback). */
    readonly accept?: (status: number) => boolean;
    /**
     * Whether a failed attempt may be sent again. Off for a request that must not happen twice (a login
     * opens a new session each time it reaches the server).
     *
     * @default true
     */
    readonly retry?: boolean;
    /**
     * Called before every attempt, the first included; throwing a `PurgeError` stops the request. For
     * services that count attempts against a quota, since a retried request may be counted as well.
     */
    readonly beforeAttempt?: (attempt: number) => void;
}

/** Everything about one service that shapes how its requests are sent, retried and explained. */
export interface HttpPolicy {
    readonly service: string;
    /** Each attempt's deadline, from sending the request to reading the whole body. */
    readonly timeoutMs: number;
    /** Retries after the first attempt. */
    readonly maxRetries: number;
    /** The longest wait honoured between attempts; a server asking for more fails the purge at once. */
    readonly maxRetryDelayMs: number;
    /** The first backoff; later ones double. */
    readonly baseRetryDelayMs: number;
    readonly redactor: Redactor;
    readonly log: ProgressLog;
    /** Reads the service's error body into one sentence. */
    readonly errorMessage: (response: HttpResponse) => string;
    /** Whether a failed answer is worth another attempt; the answer is there for services whose body tells (a quota spent). */
    readonly retryStatus?: (status: number, response: HttpResponse) => boolean;
    readonly rateLimit?: { readonly gate: RateGate; readonly read: (headers: Headers, nowMs: number) => RateLimitInfo };
}

/** node-fetch on first request: the provider process loads this module also for runs that send none. */
function nodeFetch(): typeof import("node-fetch").default {
    return (require("node-fetch") as typeof import("node-fetch")).default;
}

// Keep-alive: a batch of a thousand purges to one host should not open a thousand connections.
const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgent = new https.Agent({ keepAlive: true });

/**
 * The one place requests leave this package: timeouts on every attempt, retries on transient failures
 * with backoff and the server's own wait hints, rate-limit pacing, and errors built only from redacted
 * text. It counts requests and retries for the purge receipt.
 */
export class HttpClient {
    requests = 0;
    retries = 0;

    constructor(private readonly policy: HttpPolicy) {}

    async send(request: HttpRequest): Promise<HttpResponse> {
        const { policy } = this;
        const retryable = request.retry === false ? () => false : policy.retryStatus ?? isTransientStatus;
        const shownUrl = policy.redactor.redact(request.url.toString());
        for (let attempt = 1; ; attempt++) {
            let response: HttpResponse;
            request.beforeAttempt?.(attempt);
            try {
                response = await this.attempt(request);
            } catch (error) {
                const failure = this.networkFailure(error, request.method, shownUrl, attempt);
                if (failure.final || attempt > policy.maxRetries || request.retry === false) {
                    throw failure.error;
                }
                await this.wait(backoffMs(attempt, policy.baseRetryDelayMs, policy.maxRetryDelayMs), failure.error.reason, request.method, shownUrl, attempt);
                continue;
            }

            const ok = response.status >= 200 && response.status < 300;
            if (ok || request.accept?.(response.status)) {
                return response;
            }
            const statusError = (note = "") => new HttpStatusError(
                policy.service, request.method, shownUrl, response.status, response.statusText,
                policy.redactor.redact(policy.errorMessage(response)), attempt, note, response);
            if (!retryable(response.status, response) || attempt > policy.maxRetries) {
                throw statusError();
            }
            const asked = this.serverWaitMs(response);
            if (asked !== undefined && asked > policy.maxRetryDelayMs) {
                throw statusError(`server asked to wait ${formatSeconds(asked)}, more than maxRetryDelayMs allows`);
            }
            const waitMs = asked ?? backoffMs(attempt, policy.baseRetryDelayMs, policy.maxRetryDelayMs);
            await this.wait(waitMs, `${response.status} ${response.statusText}`, request.method, shownUrl, attempt);
        }
    }

    private async attempt(request: HttpRequest): Promise<HttpResponse> {
        const { policy } = this;
        const gate = policy.rateLimit?.gate;
        if (gate) {
            await gate.acquire((waitMs, why) => policy.log.info(`${policy.service}: ${why} (${formatSeconds(waitMs)})`));
        }
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), policy.timeoutMs);
        this.requests++;
        try {
            const headers: Record<string, string> = { accept: "application/json", ...request.headers };
            let body: string | undefined;
            if (request.json !== undefined) {
                headers["content-type"] = "application/json";
                body = JSON.stringify(request.json);
            } else if (request.form !== undefined) {
                headers["content-type"] = "application/x-www-form-urlencoded";
                body = new URLSearchParams(request.form).toString();
            }
            const res = await nodeFetch()(request.url.toString(), {
                method: request.method,
                headers,
                body,
                // A redirect could carry credentials to another origin; a purge API has no reason to send one.
                redirect: "manual",
                signal: abort.signal,
                agent: request.url.protocol === "https:" ? httpsAgent : httpAgent,
            });
            const text = await res.text();
            if (policy.rateLimit) {
                policy.rateLimit.gate.observe(policy.rateLimit.read(res.headers, Date.now()));
            }
            return { status: res.status, statusText: res.statusText, headers: res.headers, text, json: parseJson(text) };
        } finally {
            clearTimeout(timer);
            gate?.release();
        }
    }

    /** The wait the server asked for: `Retry-After` first, then the service's rate-limit reset. */
    private serverWaitMs(response: HttpResponse): number | undefined {
        const now = Date.now();
        const retryAfter = retryAfterMs(response.headers.get("retry-after"), now);
        if (retryAfter !== undefined) {
            return retryAfter;
        }
        if (response.status === 429 && this.policy.rateLimit) {
            const reset = this.policy.rateLimit.read(response.headers, now).resetAtMs;
            // A reset already past (headers in whole seconds, rounded down) is no guidance: back off
            // instead, or every retry would fire at once and be spent in milliseconds.
            return reset !== undefined && reset > now ? reset - now : undefined;
        }
        return undefined;
    }

    private async wait(waitMs: number, why: string, method: string, shownUrl: string, attempt: number): Promise<void> {
        this.retries++;
        this.policy.log.info(`${this.policy.service}: ${method} ${shownUrl}: ${why}; retrying in ${formatSeconds(waitMs)} `
            + `(attempt ${attempt + 1} of ${this.policy.maxRetries + 1})`);
        await delay(waitMs);
    }

    private networkFailure(error: unknown, method: string, shownUrl: string, attempt: number): { error: NetworkError; final: boolean } {
        const { service, timeoutMs, redactor } = this.policy;
        const name = (error as { name?: string }).name;
        if (name === "AbortError") {
            // A server that did not answer in time will rarely answer the next attempt sooner; fail fast and say how to wait longer.
            return {
                error: new NetworkError(service, method, shownUrl, `no answer within ${timeoutMs} ms`, attempt, "raise timeoutMs if the service is slow"),
                final: true,
            };
        }
        if (error instanceof PurgeError) {
            throw error;
        }
        const code = (error as { code?: string }).code;
        const reason = code ? `${describeCode(code)} (${code})` : redactor.redact(String((error as Error).message ?? error));
        return { error: new NetworkError(service, method, shownUrl, reason, attempt), final: false };
    }
}

function describeCode(code: string): string {
    switch (code) {
        case "ECONNRESET": return "connection reset";
        case "ECONNREFUSED": return "connection refused";
        case "ENOTFOUND": return "host not found";
        case "EPIPE": return "connection closed while sending";
        case "ETIMEDOUT": return "connection timed out";
        default: return "network error";
    }
}

function parseJson(text: string): unknown {
    if (text.trim() === "") {
        return undefined;
    }
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/**
 * The body of a successful response as the JSON a caller needs, or an error that says what came instead.
 * Services whose purge depends on the body (an id to poll) call this; the others ignore the body.
 */
export function expectJsonBody(service: string, method: string, url: string, response: HttpResponse): unknown {
    if (response.json === undefined) {
        const snippet = response.text.length > 80 ? `${response.text.slice(0, 80)}…` : response.text;
        throw new PurgeError(`${service}: ${method} ${url} returned ${response.status} with a body that is not JSON: ${JSON.stringify(snippet)}`);
    }
    return response.json;
}
