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

/**
 * Thrown by `acquire` instead of waiting longer than the caller allows: a wait the server asks for
 * (an hour's reset, a reset in the wrong unit) must never stall a deployment that cannot be cancelled.
 */
export class RateGateWaitRefused extends Error {
    constructor(readonly waitMs: number, readonly limitMs: number, readonly why: string) {
        super(`${why}: would wait ${waitMs} ms, more than ${limitMs} ms`);
    }
}

/** What the gate reports when it holds a request back, so the wait shows in the Pulumi log. */
export type WaitReporter = (waitMs: number, why: string) => void;

/**
 * A server counts its window from a request's arrival, a little after the client sent it, and arrival
 * delays vary; starting the next window's first request this much late (a share of the interval, within
 * bounds) keeps a full window from looking like one too many.
 */
function windowMarginMs(intervalMs: number): number {
    return Math.min(50, Math.max(25, intervalMs * 0.025));
}

/**
 * The requests to start per window. One request that reaches the server late (a slow network or a busy
 * server) can open the server's next window itself; leaving one place free in larger windows absorbs it.
 */
function usableLimit(limit: number): number {
    return limit >= 10 ? limit - 1 : limit;
}

/** Starts remembered while no limit is known: more than any published limit allows in one interval. */
const MAX_REMEMBERED_STARTS = 10_000;

/**
 * Paces every request to one service account in this process. The provider host runs every dynamic
 * resource of a deployment in one process, so one gate per service and credential keeps a whole stack
 * within the account's limits rather than each resource on its own.
 *
 * It holds requests back when the last response said the budget is spent (until the reset); when the
 * service publishes a limit per interval, it spaces request starts evenly and never starts more than the
 * limit within any interval; and it bounds concurrency. Until a first response has told the limits, one
 * request at a time: a burst sent blind could spend a window before the server has said how big it is.
 */
export class RateGate {
    private remaining: number | undefined;
    private resetAtMs: number | undefined;
    private limit: number | undefined;
    private intervalMs: number | undefined;
    private limitsKnown = false;
    private nextStartMs = 0;
    /** Start times within the last interval, oldest first: sorted, so counts are binary searches. */
    private readonly starts: number[] = [];
    private active = 0;
    private readonly queue: Array<() => void> = [];
    /** Serializes the pacing decision so concurrent callers take turns and none jump the budget. */
    private turn: Promise<void> = Promise.resolve();

    constructor(private readonly maxConcurrent: number, private readonly now: () => number = Date.now) {}

    /**
     * Waits until a request may start; call `release` when its response has arrived. A wait longer than
     * `limitMs` is refused at once with `RateGateWaitRefused` (the slot is given back).
     */
    async acquire(report: WaitReporter, limitMs = Infinity): Promise<void> {
        await this.slot();
        const myTurn = this.turn.then(() => this.pace(report, limitMs));
        this.turn = myTurn.catch(() => undefined);
        try {
            await myTurn;
        } catch (error) {
            this.release();
            throw error;
        }
    }

    release(): void {
        this.active--;
        this.pump();
    }

    /** Feeds what a response's headers said into the pacing of the next requests. */
    observe(info: RateLimitInfo): void {
        const newWindow = info.resetAtMs !== undefined && (this.resetAtMs === undefined || info.resetAtMs > this.resetAtMs);
        const staleWindow = info.resetAtMs !== undefined && this.resetAtMs !== undefined && info.resetAtMs < this.resetAtMs;
        if (info.remaining !== undefined && !staleWindow) {
            // Answers arrive out of order: one sent earlier may report more left than a later one did, and
            // requests still in flight are not counted yet. Within a window only a lower count is believed;
            // a new window's count is lowered by the other requests in flight, which may land in it.
            const inFlightOthers = Math.max(0, this.active - 1);
            this.remaining = newWindow || this.remaining === undefined
                ? Math.max(0, info.remaining - inFlightOthers)
                : Math.min(this.remaining, info.remaining);
        }
        if (info.resetAtMs !== undefined && !staleWindow) {
            this.resetAtMs = info.resetAtMs;
        }
        if (info.limit !== undefined && info.intervalMs !== undefined && info.limit > 0 && info.intervalMs > 0) {
            this.limit = info.limit;
            this.intervalMs = info.intervalMs;
        }
        this.limitsKnown = true;
        this.pump();
    }

    private get concurrency(): number {
        return this.limitsKnown ? this.maxConcurrent : 1;
    }

    private async slot(): Promise<void> {
        if (this.active < this.concurrency) {
            this.active++;
            return;
        }
        await new Promise<void>((resolve) => this.queue.push(resolve));
    }

    /** Lets queued requests in while there is room; each takes its place before it resumes. */
    private pump(): void {
        while (this.active < this.concurrency && this.queue.length > 0) {
            this.active++;
            this.queue.shift()!();
        }
    }

    private async pace(report: WaitReporter, limitMs: number): Promise<void> {
        const now = this.now();
        if (this.remaining !== undefined && this.remaining <= 0 && this.resetAtMs !== undefined && this.resetAtMs > now) {
            const waitMs = this.resetAtMs - now;
            if (waitMs > limitMs) {
                throw new RateGateWaitRefused(waitMs, limitMs, "rate limit budget spent until its reset");
            }
            report(waitMs, "rate limit budget spent; waiting for its reset");
            await delay(waitMs);
            // The budget after a reset is unknown until the next response says it.
            this.remaining = undefined;
        }
        if (this.remaining !== undefined) {
            this.remaining--;
        }
        if (this.limit === undefined || this.intervalMs === undefined) {
            // Kept for a limit a later answer may publish, which is judged on the starts of its own
            // interval; only the pacing trims by interval, so without a limit the list is cut here.
            this.recordStart(this.now());
            if (this.starts.length > 2 * MAX_REMEMBERED_STARTS) {
                this.starts.splice(0, this.starts.length - MAX_REMEMBERED_STARTS);
            }
            return;
        }
        const startAt = this.scheduledStart(usableLimit(this.limit), this.intervalMs);
        if (startAt - this.now() > limitMs) {
            throw new RateGateWaitRefused(startAt - this.now(), limitMs, `the service allows ${this.limit} request(s) per ${this.intervalMs} ms`);
        }
        await delay(startAt - this.now());
        // The window counts when the request really leaves (a busy process fires timers late), while the
        // even spacing runs from the scheduled time, so that lateness does not add up over a batch.
        this.recordStart(Math.max(startAt, this.now()));
        this.nextStartMs = startAt + this.intervalMs / this.limit;
    }

    /**
     * The earliest start that keeps the even spacing, at most `limit` starts within any interval, and at
     * most `limit` in the server's own current window when its headers said when that window resets.
     */
    private scheduledStart(limit: number, intervalMs: number): number {
        const now = this.now();
        const margin = windowMarginMs(intervalMs);
        while (this.starts.length > 0 && this.starts[0] <= now - intervalMs - margin) {
            this.starts.shift();
        }
        const { starts } = this;
        // The starts within the last interval are the list's tail; at a thousand requests a second, a
        // filter would copy a thousand of them for every request.
        const recent = starts.length - firstIndexWhere(starts, (s) => s > now - intervalMs);
        const slidingFullUntil = recent >= limit ? starts[starts.length - limit] + intervalMs + margin : 0;
        let serverFullUntil = 0;
        if (this.resetAtMs !== undefined && this.resetAtMs > now) {
            // Requests sent just before the server's window began may arrive inside it: count them too.
            const windowStart = this.resetAtMs - intervalMs - margin;
            const inServerWindow = starts.length - firstIndexWhere(starts, (s) => s >= windowStart);
            serverFullUntil = inServerWindow >= limit ? this.resetAtMs + margin : 0;
        }
        return Math.max(now, this.nextStartMs, slidingFullUntil, serverFullUntil);
    }

    /** Keeps `starts` sorted even if the clock steps back: a start is never recorded before the last. */
    private recordStart(atMs: number): void {
        const last = this.starts.length > 0 ? this.starts[this.starts.length - 1] : -Infinity;
        this.starts.push(Math.max(atMs, last));
    }
}

/** The first index of a sorted list where `holds` is true (it must be false before it, true after), or its length. */
function firstIndexWhere(sorted: readonly number[], holds: (value: number) => boolean): number {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
        const mid = (low + high) >>> 1;
        if (holds(sorted[mid])) {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    return low;
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
