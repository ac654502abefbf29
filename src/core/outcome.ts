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
    | "confirmed";

/** What a service reports back from a purge, for the receipt. */
export interface PurgeOutcome {
    /** The service's ids per target: request ids, cache ids. */
    readonly ids?: Readonly<Record<string, readonly string[]>>;
    readonly completion: Completion;
    /** Anything else worth keeping: bytes freed, the API path that answered. */
    readonly details?: Readonly<Record<string, unknown>>;
}
