import type { ProgressLog } from "../../core/progress-log";

const EVERY_MS = 5_000;

/**
 * Reports long work in the log the Pulumi CLI shows: at each tenth of the way and at least every 5 s,
 * so a big batch or a long wait is never silent and a short one is not noisy.
 */
export class ProgressTicker {
    private lastTenth = 0;
    private lastAtMs: number;

    constructor(private readonly log: ProgressLog, private readonly total: number, private readonly now: () => number = Date.now) {
        this.lastAtMs = now();
    }

    /** Call after each step with how many are done; `describe` builds the line only when one is due. */
    tick(done: number, describe: () => string): void {
        const tenth = this.total === 0 ? 10 : Math.floor((done * 10) / this.total);
        const now = this.now();
        if (tenth > this.lastTenth || now - this.lastAtMs >= EVERY_MS) {
            this.lastTenth = Math.max(this.lastTenth, tenth);
            this.lastAtMs = now;
            this.log.info(describe());
        }
    }
}
