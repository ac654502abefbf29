import type { Headers } from "node-fetch";
import type { RateLimitInfo } from "../../core/http/rate-gate";

/** A reset above this is an epoch in seconds (as GitHub's `X-RateLimit-Reset`), below it seconds to wait. */
const EPOCH_SECONDS_FROM = 1_000_000_000;

/**
 * The rate-limit headers an arbitrary API may send, read in its own terms: the IETF draft's
 * `RateLimit-Limit`/`-Remaining`/`-Reset` (reset in seconds from now) or its later single
 * `RateLimit: limit=…, remaining=…, reset=…`, and the older `X-RateLimit-*` family, whose reset is
 * seconds from now or, when it is that large, an epoch in seconds.
 */
export function readRateLimitHeaders(headers: Headers, nowMs: number): RateLimitInfo {
    const combined = parseCombined(headers.get("ratelimit"));
    const limit = combined.limit ?? number(headers.get("ratelimit-limit")) ?? number(headers.get("x-ratelimit-limit"));
    const remaining = combined.remaining ?? number(headers.get("ratelimit-remaining")) ?? number(headers.get("x-ratelimit-remaining"));
    const reset = combined.reset ?? number(headers.get("ratelimit-reset")) ?? number(headers.get("x-ratelimit-reset"));
    const resetAtMs = reset === undefined ? undefined : reset >= EPOCH_SECONDS_FROM ? reset * 1000 : nowMs + reset * 1000;
    return {
        ...(limit === undefined ? {} : { limit }),
        ...(remaining === undefined ? {} : { remaining }),
        ...(resetAtMs === undefined ? {} : { resetAtMs }),
    };
}

function parseCombined(value: string | null): { limit?: number; remaining?: number; reset?: number } {
    if (value === null) {
        return {};
    }
    const out: Record<string, number> = {};
    for (const part of value.split(/[,;]/)) {
        const match = /^\s*(limit|remaining|reset)\s*=\s*(\d+(\.\d+)?)\s*$/i.exec(part);
        if (match !== null) {
            out[match[1].toLowerCase()] = Number(match[2]);
        }
    }
    return out;
}

function number(value: string | null): number | undefined {
    if (value === null) {
        return undefined;
    }
    // A list ("100, 100;w=60") names several policies: the first is the one in force.
    const first = value.split(",")[0].trim();
    return /^\d+(\.\d+)?$/.test(first) ? Number(first) : undefined;
}
