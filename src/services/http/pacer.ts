import type { HttpClient } from "../../core/http/client";
import { delay } from "../../core/http/delay";

/**
 * Spaces the starts of one resource's requests to `maxRequestsPerSecond`, for endpoints that publish a
 * limit but send no rate-limit headers. Retries wait their own backoff on top. Bounded by the purge's
 * deadline: a wait that would pass it fails instead.
 */
export class Pacer {
    private nextStartMs = 0;
    private readonly intervalMs: number;

    constructor(private readonly http: HttpClient, perSecond: number | undefined, private readonly now: () => number = Date.now) {
        this.intervalMs = perSecond === undefined ? 0 : 1000 / perSecond;
    }

    async turn(what: () => string): Promise<void> {
        if (this.intervalMs === 0) {
            return;
        }
        const now = this.now();
        const start = Math.max(now, this.nextStartMs);
        this.nextStartMs = start + this.intervalMs;
        const waitMs = start - now;
        if (waitMs > 0) {
            this.http.checkDeadline(waitMs, what);
            await delay(waitMs);
        }
    }
}
