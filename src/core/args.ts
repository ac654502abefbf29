import type * as pulumi from "@pulumi/pulumi";

/** The arguments every purge resource takes. */
export interface CommonPurgeArgs {
    /**
     * Content hashes that decide when to purge. The purge runs when the resource is created and again
     * whenever any value changes, is added or is removed; `pulumi preview` lists the keys that changed.
     *
     * Derive them from what you deploy (a digest of the build output), never from a timestamp, or every
     * `pulumi up` will purge.
     *
     * @default - purge on create only
     * @example triggers: { site: purge.hashFiles("dist") }
     */
    readonly triggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;

    /**
     * Whether creating the resource purges. Turn it off when adopting the resource on a stack whose caches
     * are already fresh: the first purge then waits for the first change of a trigger.
     *
     * @default true
     */
    readonly purgeOnCreate?: pulumi.Input<boolean>;

    /**
     * Whether deleting the resource (`pulumi destroy`, or removing it from the program) purges once more.
     *
     * @default false
     */
    readonly purgeOnDelete?: pulumi.Input<boolean>;

    /**
     * A string, number or boolean; every new value purges all targets, whatever the triggers say. It
     * is compared as text (`1` and `"1"` are the same). Useful for a manual purge from the command line:
     * `pulumi config set purgeNonce $(date +%s)`. Removing it (or setting it to `""`) purges nothing.
     *
     * @default - no forced purge
     * @example forcePurge: cfg.get("purgeNonce")
     */
    readonly forcePurge?: pulumi.Input<string | number | boolean>;

    /**
     * How long one request may take, from sending it to reading the whole answer. A request that times
     * out is not retried: the purge fails with a message that says so.
     *
     * @default 30000
     */
    readonly timeoutMs?: pulumi.Input<number>;

    /**
     * How many times a request is retried after a transient failure: 408, 429, a 5xx status, or a
     * connection that failed. Other 4xx statuses are never retried.
     *
     * @default 4
     */
    readonly maxRetries?: pulumi.Input<number>;

    /**
     * The longest wait between attempts that the purge accepts, in milliseconds, including a wait the
     * service asks for with `Retry-After` or its rate-limit headers. A service asking for more fails the
     * purge at once rather than stalling the deployment.
     *
     * @default 60000
     */
    readonly maxRetryDelayMs?: pulumi.Input<number>;

    /**
     * The longest one purge may take, in milliseconds, from its first request to its last answer, waits
     * for rate limits and for asynchronous purges included. Past it the purge stops and fails; what was
     * purged before is recorded, so the next `pulumi up` purges only what is left.
     *
     * @default 1800000
     */
    readonly purgeTimeoutMs?: pulumi.Input<number>;
}
