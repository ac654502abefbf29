import { delay } from "./delay";

/** What a service's rate-limit headers said, in absolute terms. Every field is optional: services differ. */
export interface RateLimitInfo {
    /** Requests left in the current window. */
    readonly remaining?: number;
    /** When the window resets, as epoch milliseconds. */
    readonly resetAtMs?: number;
    /** Requests allowed per interval, and the interval: together they give a steady pace. */
    readonly limit?: number;
    readonly intervalMs?: number;
}

/** What the gate reports when it holds a request back, so the wait shows in the Pulumi log. */
export type WaitReporter = (waitMs: number, why: string) => void;

/**
 * Paces every request to one service account in this process. The provider host runs every dynamic
 * resource of a deployment in one process, so one gate per service and credential keeps a whole stack
 * within the account's limits rather than each resource on its own.
 *
 * It holds requests back when the last response said the budget is spent (until the reset), spaces
 * request starts when the service publishes a limit per interval, and bounds concurrency.
 */
export class RateGate {
    private remaining: number | undefined;
    private resetAtMs: number | undefined;
    private spacingMs = 0;
    private nextStartMs = 0;
    private active = 0;
    private readonly queue: Array<() => void> = [];
    /** Serializes the pacing decision so concurrent callers take turns and none jump the budget. */
    private turn: Promise<void> = Promise.resolve();

    constructor(private readonly maxConcurrent: number, private readonly now: () => number = Date.now) {}

    /** Waits until a request may start; call `release` when its response has arrived. */
    async acquire(report: WaitReporter): Promise<void> {
        await this.slot();
        const myTurn = this.turn.then(() => this.pace(report));
        this.turn = myTurn.catch(() => undefined);
        await myTurn;
    }

    release(): void {
        this.active--;
        this.queue.shift()?.();
    }

    /** Feeds what a response's headers said into the pacing of the next requests. */
    observe(info: RateLimitInfo): void {
        if (info.remaining !== undefined) {
            this.remaining = info.remaining;
        }
        if (info.resetAtMs !== undefined) {
            this.resetAtMs = info.resetAtMs;
        }
        if (info.limit !== undefined && info.intervalMs !== undefined && info.limit > 0) {
            this.spacingMs = info.intervalMs / info.limit;
        }
    }

    private async slot(): Promise<void> {
        if (this.active < this.maxConcurrent) {
            this.active++;
            return;
        }
        await new Promise<void>((resolve) => this.queue.push(resolve));
        this.active++;
    }

    private async pace(report: WaitReporter): Promise<void> {
        const now = this.now();
        if (this.remaining !== undefined && this.remaining <= 0 && this.resetAtMs !== undefined && this.resetAtMs > now) {
            const waitMs = this.resetAtMs - now;
            report(waitMs, "rate limit budget spent; waiting for its reset");
            await delay(waitMs);
            // The budget after a reset is unknown until the next response says it.
            this.remaining = undefined;
        } else if (this.spacingMs > 0 && this.nextStartMs > now) {
            await delay(this.nextStartMs - now);
        }
        if (this.remaining !== undefined) {
            this.remaining--;
        }
        this.nextStartMs = Math.max(this.now(), this.nextStartMs) + this.spacingMs;
    }
}

const gates = new Map<string, RateGate>();

/** The process-wide gate for one service account (the key should not contain the credential itself). */
export function sharedRateGate(key: string, maxConcurrent: number): RateGate {
    let gate = gates.get(key);
    if (gate === undefined) {
        gate = new RateGate(maxConcurrent);
        gates.set(key, gate);
    }
    return gate;
}
