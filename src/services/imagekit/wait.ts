import { PurgeError } from "../../core/errors";
import { delay } from "../../core/http/delay";
import { formatSeconds } from "../../core/http/retry-timing";
import type { PurgeContext } from "../../core/service";
import { runBatch } from "./batch";
import type { ImageKitApi } from "./client";
import { ProgressTicker } from "../../core/progress-ticker";
import type { ImageKitInputs } from "./schema";

/** Purges usually finish within seconds; the first look comes soon, later ones back off. */
export const FIRST_POLL_DELAY_MS = 500;
const MAX_POLL_DELAY_MS = 10_000;

/**
 * Polls `GET /v1/files/purge/:requestId` for every request until each reads `Completed`, in rounds with
 * a doubling pause, until `waitTimeoutMs`. A request id that completed is not asked about again.
 */
export async function waitForCompletion(ctx: PurgeContext<ImageKitInputs>, api: ImageKitApi, requestIds: readonly string[], concurrency: number): Promise<void> {
    const { inputs, http, log } = ctx;
    // The purge's own deadline (purgeTimeoutMs) bounds the wait too.
    const deadline = Math.min(Date.now() + inputs.waitTimeoutMs, Date.now() + http.deadlineLeftMs());
    let pending = [...new Set(requestIds)];
    const total = pending.length;
    const ticker = new ProgressTicker(log, total);
    const report = (done: number) => ticker.tick(done, () => `imagekit: ${done} of ${total} purge requests completed`);
    let pause = FIRST_POLL_DELAY_MS;
    log.info(`imagekit: waiting for ${total} purge request(s) to complete (up to ${formatSeconds(inputs.waitTimeoutMs)})`);
    while (pending.length > 0) {
        const left = deadline - Date.now();
        if (left <= 0) {
            const shown = pending.slice(0, 5).join(", ") + (pending.length > 5 ? `, and ${pending.length - 5} more` : "");
            throw new PurgeError(`imagekit: ${pending.length} of ${total} purge requests still Pending after waiting ${formatSeconds(inputs.waitTimeoutMs)} `
                + `(request ids ${shown}); ImageKit accepted them and will finish on its own: raise waitTimeoutMs or set wait: false`);
        }
        await delay(Math.min(pause, left));
        pause = Math.min(pause * 2, MAX_POLL_DELAY_MS);
        const round = await runBatch(pending, concurrency, (id) => api.purgeStatus(id), () => undefined);
        if (round.firstError) {
            throw round.firstError;
        }
        pending = pending.filter((id) => round.done.get(id) !== "Completed");
        report(total - pending.length);
    }
}
