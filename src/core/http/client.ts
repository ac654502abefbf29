import * as http from "http";
import * as https from "https";
import type { Headers } from "node-fetch";
import { HttpStatusError, PurgeError } from "../errors";
import { DeadlineError } from "../errors/deadline-error";
import type { ProgressLog } from "../progress-log";
import type { Redactor } from "../redact";
import { delay } from "./delay";
import { type RateGate, RateGateWaitRefused, type RateLimitInfo } from "./rate-gate";
import { readCappedBody } from "./read-body";
import { backoffMs, formatSeconds, isTransientStatus, retryAfterMs } from "./retry-timing";
import { networkFailure } from "./network-failure";
import { type HttpRequest, wireHeadersAndBody } from "./request";
import { parseJson, redactedResponse } from "./response-body";
import { formatCount } from "../count";
import type { HttpResponse } from "./response";

export type { HttpResponse } from "./response";
export type { HttpRequest } from "./request";
export { expectJsonBody } from "./response-body";

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
    /** Reads the service's error body into one sentence: the service's words only. */
    readonly errorMessage: (response: HttpResponse) => string;
    /**
     * What the user can check for a failed answer, in the package's words, quoted apart from the
     * service's (which input, which credential source).
     * @default - no hint
     */
    readonly errorHint?: (response: HttpResponse) => string;
    /** Whether a failed answer is worth another attempt; the answer is there for services whose body tells (a quota spent). */
    readonly retryStatus?: (status: number, response: HttpResponse) => boolean;
    readonly rateLimit?: { readonly gate: RateGate; readonly read: (headers: Headers, nowMs: number) => RateLimitInfo };
    /**
     * When the whole purge must be over, epoch milliseconds: no wait, retry or request runs past it.
     * @default - no deadline beyond the per-attempt timeout and retry limits
     */
    readonly deadlineAtMs?: number;
    /** The input that set the deadline, for messages: `purgeTimeoutMs (1800 s)`. */
    readonly deadlineName?: string;
    /**
     * The largest answer read, in bytes. Past it the client stops reading and fails at once, without a
     * retry: the same request would get the same answer.
     * @default 16 MiB
     */
    readonly maxResponseBytes?: number;
}

/** No rate limit resets a week ahead: a reset that far is in the wrong unit (epoch ms read as seconds). */
const IMPLAUSIBLE_WAIT_MS = 7 * 86_400_000;

/** Far above any answer of a purge API (a project list, a purge status), far below what hurts the host. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

type Fetch = typeof import("node-fetch").default;
let loadedFetch: Fetch | undefined;

/**
 * node-fetch on first request: the provider process loads this module also for runs that send none.
 * Kept once loaded, since a `require` per request costs a module lookup each time.
 */
function nodeFetch(): Fetch {
    loadedFetch ??= (require("node-fetch") as typeof import("node-fetch")).default;
    return loadedFetch;
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
        // Only errors and retry lines show the URL: redacted when one needs it, not for every request.
        let shown: string | undefined;
        const shownUrl = () => (shown ??= policy.redactor.redact(request.url.toString()));
        for (let attempt = 1; ; attempt++) {
            let response: HttpResponse;
            request.beforeAttempt?.(attempt);
            try {
                response = await this.attempt(request, shownUrl);
            } catch (error) {
                const at = { service: policy.service, method: request.method, shownUrl: shownUrl(), attempt, timeoutMs: policy.timeoutMs };
                const failure = networkFailure(error, at, policy.redactor);
                if (failure.final || attempt > policy.maxRetries || request.retry === false) {
                    throw failure.error;
                }
                const waitMs = backoffMs(attempt, policy.baseRetryDelayMs, policy.maxRetryDelayMs);
                this.checkDeadline(waitMs, () => `${request.method} ${shownUrl()} failed (${failure.error.reason})`);
                await this.wait(waitMs, failure.error.reason, request.method, shownUrl(), attempt);
                continue;
            }

            const ok = response.status >= 200 && response.status < 300;
            if (ok || request.accept?.(response.status)) {
                return response;
            }
            // Redacted before the service's message is cut to length: a secret cut in half is still a secret.
            const shown = redactedResponse(response, policy.redactor);
            const statusError = (note = "") => new HttpStatusError(
                policy.service, request.method, shownUrl(), response.status, response.statusText,
                policy.redactor.redact(policy.errorMessage(shown)), attempt, note, shown,
                policy.redactor.redact(policy.errorHint?.(shown) ?? ""));
            if (!retryable(response.status, shown) || attempt > policy.maxRetries) {
                throw statusError();
            }
            const asked = this.serverWaitMs(response);
            if (asked !== undefined && asked > policy.maxRetryDelayMs) {
                throw statusError(`server asked to wait ${formatSeconds(asked)}, more than maxRetryDelayMs allows`);
            }
            const waitMs = asked ?? backoffMs(attempt, policy.baseRetryDelayMs, policy.maxRetryDelayMs);
            if (this.deadlineLeftMs() < waitMs) {
                throw statusError(`${policy.deadlineName ?? "the purge deadline"} would pass before the retry`);
            }
            await this.wait(waitMs, `${response.status} ${response.statusText}`, request.method, shownUrl(), attempt);
        }
    }

    /** One attempt; `shownUrl` is the request's URL as messages may show it, redacted once for all attempts. */
    private async attempt(request: HttpRequest, shownUrl: () => string): Promise<HttpResponse> {
        const { policy } = this;
        const gate = policy.rateLimit?.gate;
        if (gate) {
            const limitMs = Math.min(policy.maxRetryDelayMs, this.deadlineLeftMs());
            try {
                await gate.acquire((waitMs, why) => policy.log.info(`${policy.service}: ${why} (${formatSeconds(waitMs)})`), limitMs);
            } catch (error) {
                if (error instanceof RateGateWaitRefused) {
                    throw this.refusedWait(request.method, shownUrl(), error);
                }
                throw error;
            }
        }
        this.checkDeadline(0, () => `${request.method} ${shownUrl()} was not sent`);
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), Math.max(1, Math.min(policy.timeoutMs, this.deadlineLeftMs())));
        this.requests++;
        try {
            const { headers, body } = wireHeadersAndBody(request);
            const maxBytes = policy.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
            const res = await nodeFetch()(request.url.toString(), {
                method: request.method,
                headers,
                body,
                // A redirect could carry credentials to another origin; a purge API has no reason to send one.
                redirect: "manual",
                signal: abort.signal,
                agent: request.url.protocol === "https:" ? httpsAgent : httpAgent,
                size: maxBytes,
            });
            const text = await readCappedBody(res, maxBytes, () => abort.abort(), (limit, seen) => new PurgeError(
                `${policy.service}: ${request.method} ${shownUrl()} returned ${res.status} with a body larger than `
                + `${formatBytes(limit)} (${seen}); stopped reading it and did not retry: no answer of this API is that large, so the base URL may point at something else`));
            if (policy.rateLimit) {
                policy.rateLimit.gate.observe(policy.rateLimit.read(res.headers, Date.now()));
            }
            return { status: res.status, statusText: res.statusText, headers: res.headers, text, json: parseJson(text) };
        } finally {
            clearTimeout(timer);
            gate?.release();
        }
    }

    /** Milliseconds until the purge's deadline; Infinity without one. */
    deadlineLeftMs(): number {
        const at = this.policy.deadlineAtMs;
        return at === undefined ? Infinity : at - Date.now();
    }

    /** Throws when waiting `waitMs` more would pass the purge's deadline; `what` says what was stopped. */
    checkDeadline(waitMs: number, what: () => string): void {
        if (this.deadlineLeftMs() < waitMs || this.deadlineLeftMs() <= 0) {
            throw new DeadlineError(`${this.policy.service}: ${what()}: ${this.policy.deadlineName ?? "the purge deadline"} has passed or would pass while waiting; `
                + `what was purged before it is recorded, the rest is left for the next pulumi up`);
        }
    }

    private refusedWait(method: string, shownUrl: string, refused: RateGateWaitRefused): PurgeError {
        const { policy } = this;
        const bound = refused.limitMs === policy.maxRetryDelayMs
            ? `more than maxRetryDelayMs (${formatSeconds(policy.maxRetryDelayMs)}) allows`
            : `past ${policy.deadlineName ?? "the purge deadline"}`;
        const shownWait = refused.waitMs > IMPLAUSIBLE_WAIT_MS ? `a reset ${formatSeconds(refused.waitMs)} away, not a plausible time` : formatSeconds(refused.waitMs);
        return new DeadlineError(`${policy.service}: ${method} ${shownUrl} was not sent: ${refused.why} `
            + `(${shownWait}), ${bound}; what was purged before it is recorded, the rest is left for the next pulumi up`);
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
}

function formatBytes(bytes: number): string {
    return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${formatCount(bytes)} bytes`;
}
