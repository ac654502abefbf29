import { PurgeError } from "../../core/errors";
import { delay } from "../../core/http/delay";
import { formatSeconds } from "../../core/http/retry-timing";
import type { ProgressLog } from "../../core/progress-log";
import type { CodemagicCache } from "./client";
import { ProgressTicker } from "../../core/progress-ticker";

/** The first poll comes soon (small caches go in a second); later ones back off to stay within the hourly budget. */
export const FIRST_POLL_MS = 250;
export const MAX_POLL_MS = 5_000;
const MAX_IDS_NAMED = 10;

export interface WaitOptions {
    /** Lists the app's caches; each call is one `GET /apps/:id/caches`. */
    readonly list: () => Promise<readonly CodemagicCache[]>;
    readonly ids: readonly string[];
    readonly timeoutMs: number;
    readonly log: ProgressLog;
    /** The list URL, for messages. */
    readonly url: string;
    readonly now?: () => number;
    readonly sleep?: (ms: number) => Promise<void>;
}

/** The pause before each poll: doubling from `FIRST_POLL_MS`, capped, and never past the deadline. */
export function pollDelayMs(poll: number, msLeft: number): number {
    return Math.max(0, Math.min(FIRST_POLL_MS * 2 ** poll, MAX_POLL_MS, msLeft));
}

/**
 * Codemagic deletes caches after answering 202 and has no status endpoint: the list is the only
 * witness. Polls it until none of `ids` is listed; past the deadline, fails naming the ids still there.
 */
export async function waitUntilGone(options: WaitOptions): Promise<void> {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? delay;
    const started = now();
    const deadline = started + options.timeoutMs;
    const waitingFor = new Set(options.ids);
    if (waitingFor.size === 0) {
        return;
    }
    const ticker = new ProgressTicker(options.log, waitingFor.size, now);
    options.log.info(`codemagic: waiting for ${waitingFor.size} cache(s) to be deleted (up to ${formatSeconds(options.timeoutMs)})`);
    for (let poll = 0; ; poll++) {
        await sleep(pollDelayMs(poll, deadline - now()));
        const listed = new Set((await options.list()).map((c) => c._id));
        const still = [...waitingFor].filter((id) => listed.has(id));
        const gone = waitingFor.size - still.length;
        if (still.length === 0) {
            options.log.info(`codemagic: all ${waitingFor.size} cache(s) deleted after ${formatSeconds(now() - started)}`);
            return;
        }
        if (now() >= deadline) {
            throw new PurgeError(`codemagic: ${still.length} of ${waitingFor.size} deleted cache(s) still listed by GET ${options.url} `
                + `after waiting ${formatSeconds(options.timeoutMs)}: ${nameIds(still)}; Codemagic may still finish deleting them. `
                + `The next pulumi up deletes and waits again; raise waitTimeoutMs to wait longer`);
        }
        ticker.tick(gone, () => `codemagic: ${gone} of ${waitingFor.size} cache(s) deleted after ${formatSeconds(now() - started)}; `
            + `waiting for ${nameIds(still)}`);
    }
}

function nameIds(ids: readonly string[]): string {
    const named = ids.slice(0, MAX_IDS_NAMED).join(", ");
    return ids.length > MAX_IDS_NAMED ? `${named} and ${ids.length - MAX_IDS_NAMED} more` : named;
}
