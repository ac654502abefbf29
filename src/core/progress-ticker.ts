import type { ProgressLog } from "./progress-log";

const EVERY_MS = 5_000;

/**
 * Reports long work in the log the Pulumi CLI shows: at each tenth of the way, at least every 5 s
 * (also while nothing moves, so a long wait never looks like a hang), and once at the end, so a big
 * batch is never silent and a short one is not noisy.
 */
export class ProgressTicker {
    private lastTenth = 0;
    private lastAtMs: number;
    private finished = false;

    constructor(private readonly log: ProgressLog, private readonly total: number, private readonly now: () => number = Date.now) {
        this.lastAtMs = now();
    }

    /** Call after each step with how many are done; `describe` builds the line only when one is due. */
    tick(done: number, describe: () => string): void {
        const tenth = this.total === 0 ? 10 : Math.floor((done * 10) / this.total);
        const now = this.now();
        const atEnd = done >= this.total && !this.finished;
        if (atEnd || tenth > this.lastTenth || now - this.lastAtMs >= EVERY_MS) {
            this.finished ||= atEnd;
            this.lastTenth = Math.max(this.lastTenth, tenth);
            this.lastAtMs = now;
            this.log.info(describe());
        }
    }
}
