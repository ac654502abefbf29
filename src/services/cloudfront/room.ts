import { HttpStatusError, PurgeError } from "../../core/errors";
import { delay } from "../../core/http/delay";
import { formatSeconds } from "../../core/http/retry-timing";
import type { ProgressLog } from "../../core/progress-log";
import { formatCount } from "../../core/count";
import { cloudfrontErrorCode, type Invalidation } from "./client";
import { MAX_FILE_PATHS_IN_PROGRESS, MAX_WILDCARD_PATHS_IN_PROGRESS } from "./paths";

/** In-progress invalidations finish in minutes: look again after 5 s, then less often, 60 s at most. */
export const FIRST_ROOM_WAIT_MS = 5_000;
export const MAX_ROOM_WAIT_MS = 60_000;

export interface RoomOptions {
    readonly create: () => Promise<Invalidation>;
    readonly distributionId: string;
    /** How long to wait for room, already capped by the purge's own deadline. */
    readonly timeoutMs: number;
    readonly boundName: string;
    readonly log: ProgressLog;
    readonly now?: () => number;
    readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Sends the invalidation; while CloudFront answers `TooManyInvalidationsInProgress` (400: the
 * distribution already has 3,000 file paths or 15 wildcard paths in progress; Developer Guide,
 * "Concurrent invalidation request maximum"), waits for earlier ones to finish and sends it again, the
 * same CallerReference and all, until `timeoutMs`; then fails naming the limit.
 */
export async function createWhenRoom(options: RoomOptions): Promise<{ invalidation: Invalidation; waitedMs: number }> {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? delay;
    const started = now();
    for (let attempt = 0; ; attempt++) {
        try {
            return { invalidation: await options.create(), waitedMs: now() - started };
        } catch (error) {
            if (!(error instanceof HttpStatusError) || cloudfrontErrorCode(error.response) !== "TooManyInvalidationsInProgress") {
                throw error;
            }
            const waitMs = Math.min(FIRST_ROOM_WAIT_MS * 2 ** attempt, MAX_ROOM_WAIT_MS);
            const waited = now() - started;
            if (waited + waitMs > options.timeoutMs) {
                throw new PurgeError(`${error.message}; distribution ${options.distributionId} already has CloudFront's maximum of invalidations in progress `
                    + `(${formatCount(MAX_FILE_PATHS_IN_PROGRESS)} file paths or ${MAX_WILDCARD_PATHS_IN_PROGRESS} wildcard paths at one time), and waited `
                    + `${formatSeconds(waited)} for room, the limit set by ${options.boundName}; nothing was invalidated: the next pulumi up tries again. `
                    + "Wait for the invalidations in progress to complete, or set collapseAbove so one /* replaces many paths");
            }
            options.log.info(`cloudfront: distribution ${options.distributionId} has too many invalidations in progress `
                + `(CloudFront allows ${formatCount(MAX_FILE_PATHS_IN_PROGRESS)} file paths and ${MAX_WILDCARD_PATHS_IN_PROGRESS} wildcard paths at one time); `
                + `trying again in ${formatSeconds(waitMs)} (waited ${formatSeconds(waited)} of ${formatSeconds(options.timeoutMs)})`);
            await sleep(waitMs);
        }
    }
}
