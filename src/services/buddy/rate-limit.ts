import type { Headers } from "node-fetch";
import type { RateLimitInfo } from "../../core/http/rate-gate";

/**
 * Buddy states the reset in whole epoch seconds and does not say whether it rounds down. Waiting to the
 * end of the named second is right either way; the cost is at most one second per spent budget.
 */
export const RESET_MARGIN_MS = 1000;

/** Reads `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (epoch seconds); absent or unreadable headers say nothing. */
export function buddyRateLimit(headers: Headers, _nowMs: number): RateLimitInfo {
    const remaining = wholeNumber(headers.get("x-rate-limit-remaining"));
    const reset = wholeNumber(headers.get("x-rate-limit-reset"));
    return {
        ...(remaining === undefined ? {} : { remaining }),
        ...(reset === undefined ? {} : { resetAtMs: reset * 1000 + RESET_MARGIN_MS }),
    };
}

function wholeNumber(value: string | null): number | undefined {
    if (value === null || !/^\s*\d+\s*$/.test(value)) {
        return undefined;
    }
    return Number(value);
}
