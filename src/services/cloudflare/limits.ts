import { createHash } from "crypto";

export type CloudflarePlan = "free" | "pro" | "business" | "enterprise";

/** One plan's purge limits, per account. */
export interface PlanLimits {
    /** Purge requests the bucket refills per second. */
    readonly requestsPerSecond: number;
    /** Requests the bucket holds: a burst after a quiet spell. */
    readonly bucketSize: number;
    /** Operations one request may carry (tags, hosts, prefixes). */
    readonly operationsPerRequest: number;
    /** URLs one request may carry (files). */
    readonly filesPerRequest: number;
    /** URLs purged per second, a moving average. */
    readonly urlsPerSecond: number;
}

/**
 * Cloudflare's purge limits, from "Purge cache" > purge limits (developers.cloudflare.com/cache/how-to/purge-cache/,
 * updated 29 Jul 2026): requests per plan (Free 5 a minute, Pro 5/s, Business 10/s, Enterprise 50/s), bucket
 * sizes 25/25/50/500, 100 operations per request on every plan except 500 URLs on Enterprise, and URLs per
 * second 800/1,500/1,500/3,000. The SDK's doc comment (cloudflare-typescript `cache.ts`) still says 30 URLs
 * and 30 tags, hosts or prefixes per call: an older limit the docs page has replaced.
 */
export const PLAN_LIMITS: Readonly<Record<CloudflarePlan, PlanLimits>> = {
    free: { requestsPerSecond: 5 / 60, bucketSize: 25, operationsPerRequest: 100, filesPerRequest: 100, urlsPerSecond: 800 },
    pro: { requestsPerSecond: 5, bucketSize: 25, operationsPerRequest: 100, filesPerRequest: 100, urlsPerSecond: 1500 },
    business: { requestsPerSecond: 10, bucketSize: 50, operationsPerRequest: 100, filesPerRequest: 100, urlsPerSecond: 1500 },
    enterprise: { requestsPerSecond: 50, bucketSize: 500, operationsPerRequest: 100, filesPerRequest: 500, urlsPerSecond: 3000 },
};

/** Added to every wait for the bucket: the server's count of a request starts when it arrives. */
export const PACING_MARGIN_MS = 50;

/**
 * How late a request may arrive after it was counted here, kept free in the bucket. The first requests of
 * a burst can reach Cloudflare after later ones were paced: in the nine-service load test, 26 purges
 * arrived within 175 ms while this bucket, refilling since the first was counted, had let the 26th go
 * (a 429, retried). Half a second of the refill is held back: 2.5 requests on Pro, 0.04 on Free.
 */
export const ARRIVAL_SKEW_MS = 500;

/**
 * A token bucket as Cloudflare describes its own: `capacity` tokens, refilled at `perSecond`; a request
 * costs one (or its URLs). Pure: the caller waits what `take` returns.
 */
export class TokenBucket {
    private tokens: number;
    private updatedMs: number;

    /** `headroom`: tokens of Cloudflare's bucket this count never spends (see ARRIVAL_SKEW_MS). */
    constructor(readonly capacity: number, readonly perSecond: number, nowMs: number, private readonly headroom = 0) {
        this.tokens = capacity - headroom;
        this.updatedMs = nowMs;
    }

    /**
     * Milliseconds to wait before `cost` tokens are there; 0 when they are. Does not take them. A wait ends
     * `PACING_MARGIN_MS` late: Cloudflare's bucket counts a request when it arrives, a little after it left.
     */
    waitMs(cost: number, nowMs: number): number {
        this.refill(nowMs);
        const missing = Math.min(cost, this.capacity - this.headroom) - this.tokens;
        return missing <= 0 ? 0 : Math.ceil((missing / this.perSecond) * 1000) + PACING_MARGIN_MS;
    }

    /** Takes `cost` tokens (the caller waited `waitMs` first); the bucket may go below zero by a cost above capacity. */
    take(cost: number, nowMs: number): void {
        this.refill(nowMs);
        this.tokens -= cost;
    }

    /** The server said the bucket is empty (a 429): believe it over the count kept here. */
    drain(nowMs: number): void {
        this.refill(nowMs);
        this.tokens = Math.min(this.tokens, 0);
    }

    private refill(nowMs: number): void {
        const elapsed = Math.max(0, nowMs - this.updatedMs);
        this.tokens = Math.min(this.capacity - this.headroom, this.tokens + (elapsed / 1000) * this.perSecond);
        this.updatedMs = nowMs;
    }
}

/** The buckets of one account, kept per process: the provider host serves every resource of a stack. */
export interface AccountBuckets {
    readonly requests: TokenBucket;
    readonly urls: TokenBucket;
}

const accounts = new Map<string, AccountBuckets>();

/** The buckets for one API token and plan; the key is a digest, never the token. */
export function accountBuckets(apiToken: string, plan: CloudflarePlan, nowMs = Date.now()): AccountBuckets {
    const key = `${plan}:${createHash("sha256").update(apiToken).digest("hex")}`;
    let buckets = accounts.get(key);
    if (buckets === undefined) {
        const limits = PLAN_LIMITS[plan];
        buckets = {
            requests: new TokenBucket(limits.bucketSize, limits.requestsPerSecond, nowMs, limits.requestsPerSecond * ARRIVAL_SKEW_MS / 1000),
            // One second's worth: the docs give only the rate, as a moving average.
            urls: new TokenBucket(limits.urlsPerSecond, limits.urlsPerSecond, nowMs),
        };
        accounts.set(key, buckets);
    }
    return buckets;
}
