/*
 * What a purge reports, apart from the service machinery in service.ts: the receipt is public API, and
 * its typings must not pull in the HTTP client's or zod's (a user's project has neither's types).
 */

/** How sure the receipt is that the cache is gone. */
export type Completion =
    /** The service did the purge before answering. */
    | "synchronous"
    /** The service accepted an asynchronous purge; nobody waited for it to finish. */
    | "accepted"
    /** The purge was asynchronous and was watched until the service reported it done. */
    | "confirmed"
    /** The service had nothing to purge for any planned target (a workflow with no cache): nothing was purged. */
    | "nothing";

/** What a service reports back from a purge, for the receipt. */
export interface PurgeOutcome {
    /** The service's ids per target: request ids, cache ids. */
    readonly ids?: Readonly<Record<string, readonly string[]>>;
    readonly completion: Completion;
    /** Anything else worth keeping: bytes freed, the API path that answered. */
    readonly details?: Readonly<Record<string, unknown>>;
    /**
     * Planned targets the service found nothing to purge for (a workflow key that matches no cache). They
     * are not counted as purged; they are not left pending either, as the next up would find nothing too.
     */
    readonly notPurged?: readonly string[];
}
