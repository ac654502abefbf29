import type * as pulumi from "@pulumi/pulumi";
import type { CommonPurgeArgs } from "../../core/args";
import { PurgeResource } from "../../core/resource";

export interface CachePurgeArgs extends CommonPurgeArgs {
    /**
     * The Codemagic application whose build caches are purged: the 24-character id in the app's URL on
     * codemagic.io (`https://codemagic.io/app/<appId>`).
     *
     * @example appId: "60ddd0b747960e00124747cb"
     */
    readonly appId: pulumi.Input<string>;

    /**
     * The workflows whose caches are purged, each with a content hash: workflow id (its key in
     * `codemagic.yaml`) -> hash. Each workflow is purged when the resource is created and again when its
     * own hash changes, so changing the iOS lockfile deletes only `build-ipa`'s cache; a change of the
     * shared `triggers` purges every workflow listed. A workflow without a cache deletes nothing: the
     * purge warns, naming the workflow ids the app's caches have (an error with `failOnUnmatchedWorkflow`).
     *
     * Pass either this or `cacheIds`, not both.
     *
     * @default - every cache of the app, purged when `triggers` change
     * @example workflows: { "build-ipa": purge.hashFiles("ios/Podfile.lock") }
     */
    readonly workflows?: pulumi.Input<Record<string, pulumi.Input<string>>>;

    /**
     * Caches to purge by id (`_id` in `GET /apps/:id/caches`). Each is purged when the resource is created,
     * when it is added to the list, and when `triggers` change. A cache that is already gone is not an error.
     *
     * Pass either this or `workflows`, not both.
     *
     * @default - every cache of the app, purged when `triggers` change
     * @example cacheIds: ["620f9f218ab90da6b1b22e0e"]
     */
    readonly cacheIds?: pulumi.Input<pulumi.Input<string>[]>;

    /**
     * Whether `pulumi up` waits until the caches are gone. Codemagic deletes caches after answering, so
     * a build started right after the purge may still find the old cache. With `wait`, the purge polls the
     * app's cache list (backing off up to 5 s between polls) until the deleted caches are no longer
     * listed, and the receipt says `completion: "confirmed"`.
     *
     * @default false
     */
    readonly wait?: pulumi.Input<boolean>;

    /**
     * How long `wait` waits, in milliseconds. When the caches are still listed after it, the purge fails
     * naming them and the next `pulumi up` deletes and waits again. Only read with `wait: true`.
     *
     * @default 120000
     * @example waitTimeoutMs: 600_000
     */
    readonly waitTimeoutMs?: pulumi.Input<number>;

    /**
     * Whether a workflow in `workflows` that matches no cache of the app fails the purge (before anything
     * is deleted) instead of only warning. A key that matches nothing is a typo, a cache that expired
     * (after 14 days), or an app set up in the Workflow Editor, whose workflow ids are ObjectIds, not
     * names; either way the log and the receipt list the workflow ids the app's caches have.
     *
     * @default false
     * @example failOnUnmatchedWorkflow: true
     */
    readonly failOnUnmatchedWorkflow?: pulumi.Input<boolean>;

    /**
     * The Codemagic API token (Codemagic: Account settings > API token). Kept secret in state whether or
     * not you pass it as a secret. What it may purge follows its user's role in the team.
     *
     * @default - stack config `cache-purge:codemagicToken`, else the environment variable `CODEMAGIC_TOKEN`
     */
    readonly token?: pulumi.Input<string>;

    /**
     * The Codemagic REST API root. Only for tests and proxies: point it at a local `CodemagicEmulator`.
     * Must be https, except for localhost.
     *
     * @default "https://api.codemagic.io"
     */
    readonly baseUrl?: pulumi.Input<string>;
}

/**
 * Purges a Codemagic app's build caches when their inputs change: every cache of the app, the caches of
 * chosen workflows (each on its own hash), or caches by id. Optionally waits until they are gone.
 *
 * @example
 * new purge.codemagic.CachePurge("ios-cache", {
 *     appId: "60ddd0b747960e00124747cb",
 *     workflows: { "build-ipa": purge.hashFiles("ios/Podfile.lock") },
 *     wait: true,
 * });
 */
export class CachePurge extends PurgeResource {
    constructor(name: string, args: CachePurgeArgs, opts?: pulumi.CustomResourceOptions) {
        super({
            module: "codemagic",
            type: "CachePurge",
            implementation: "pulumi-cache-purge/provider/codemagic",
            secretInputs: ["token"],
            targetInputs: ["workflows"],
        }, name, args, opts);
    }
}
