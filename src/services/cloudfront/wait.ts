import { PurgeError } from "../../core/errors";
import { delay } from "../../core/http/delay";
import { formatSeconds } from "../../core/http/retry-timing";
import type { ProgressLog } from "../../core/progress-log";
import { ProgressTicker } from "../../core/progress-ticker";
import type { Invalidation } from "./client";

/** Invalidations take from seconds to minutes: the first look comes soon, later ones every 20 s at most. */
export const FIRST_POLL_MS = 1_000;
export const MAX_POLL_MS = 20_000;

/** The pause before poll `n` (from 0): doubling from `FIRST_POLL_MS`, capped, never past the deadline. */
export function pollDelayMs(poll: number, msLeft: number): number {
    return Math.max(0, Math.min(FIRST_POLL_MS * 2 ** poll, MAX_POLL_MS, msLeft));
}

export interface WaitOptions {
    readonly read: () => Promise<Invalidation>;
    readonly id: string;
    readonly distributionId: string;
    /** The status CreateInvalidation answered with. */
    readonly status: string;
    /** How long to wait, already capped by the purge's own deadline. */
    readonly timeoutMs: number;
    /** The input that set the bound, for the message: `waitTimeoutMs (900 s)`. */
    readonly boundName: string;
    readonly log: ProgressLog;
    readonly now?: () => number;
    readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Polls `GetInvalidation` until the invalidation reads `Completed` (API Reference, Invalidation: "When the
 * invalidation batch is finished, the status is Completed"); past the deadline, fails naming it.
 */
export async function waitUntilCompleted(options: WaitOptions): Promise<number> {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? delay;
    const started = now();
    const deadline = started + options.timeoutMs;
    const ticker = new ProgressTicker(options.log, 1, now);
    options.log.info(`cloudfront: waiting for invalidation ${options.id} on distribution ${options.distributionId} to complete (up to ${formatSeconds(options.timeoutMs)})`);
    let status = options.status;
    for (let poll = 0; ; poll++) {
        await sleep(pollDelayMs(poll, deadline - now()));
        // Judged before the read, not after: at the purge's own deadline the client would refuse the read
        // with a message about the deadline, not about the invalidation.
        if (now() >= deadline) {
            throw new PurgeError(`cloudfront: invalidation ${options.id} on distribution ${options.distributionId} still ${status} after waiting `
                + `${formatSeconds(now() - started)}, the limit set by ${options.boundName}; CloudFront accepted it and will finish on its own: `
                + "raise waitTimeoutMs or set wait: false");
        }
        status = (await options.read()).status;
        if (status === "Completed") {
            options.log.info(`cloudfront: invalidation ${options.id} completed after ${formatSeconds(now() - started)}`);
            return poll + 1;
        }
        ticker.tick(0, () => `cloudfront: invalidation ${options.id} still ${status} after ${formatSeconds(now() - started)}`);
    }
}
