import type { ProgressLog } from "../../core/progress-log";

const STEP_FRACTION = 0.1;
const STEP_MS = 5000;

/**
 * Reports a long batch in the Pulumi log about every 10 % or 5 s, whichever comes first, and once at
 * the end, so a thousand purges or a long wait never look like a hang.
 */
export function progressReporter(log: ProgressLog, total: number, describe: (done: number, total: number) => string, now: () => number = Date.now) {
    let lastLoggedDone = 0;
    let lastLoggedAt = now();
    return (done: number): void => {
        const t = now();
        const stepReached = done - lastLoggedDone >= Math.max(1, Math.ceil(total * STEP_FRACTION));
        if (done === total || stepReached || t - lastLoggedAt >= STEP_MS) {
            if (done === lastLoggedDone && done !== 0) {
                return;
            }
            lastLoggedDone = done;
            lastLoggedAt = t;
            log.info(describe(done, total));
        }
    };
}
