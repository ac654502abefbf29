import type * as pulumi from "@pulumi/pulumi";
import type { CommonPurgeArgs } from "../../core/args";
import { PurgeResource } from "../../core/resource";

export interface PurgeArgs extends CommonPurgeArgs {
    /**
     * The Fastly service whose cache is purged: its id (alphanumeric), as the control panel shows it beside
     * the service's name.
     *
     * @example serviceId: "SU1Z0isxPaozGVKXdv0eY"
     */
    readonly serviceId: pulumi.Input<string>;

    /**
     * Surrogate keys to purge: every cached response whose `Surrogate-Key` header named one. A list purges
     * them all on create and whenever `triggers` change; a map `key -> content hash` also purges exactly the
     * keys whose hash changed or that are new. Sent up to 256 per request.
     *
     * @default - no surrogate keys
     * @example surrogateKeys: { "product-42": purge.hashFiles("catalog/42.json"), blog: blogHash }
     */
    readonly surrogateKeys?: pulumi.Input<pulumi.Input<string>[] | Record<string, pulumi.Input<string>>>;

    /**
     * URLs to purge, exactly as visitors request them, one request each (`POST /purge/<host>/<path>` on
     * Fastly's API, which the official SDKs use; the token never goes to your own site). A list, or a map
     * `URL -> content hash` that purges only the URLs whose hash changed; `hashFiles(dir, { baseUrl })`
     * builds one. The provider receives, and the state keeps, the JSON text of the list or map.
     *
     * @default - no URLs
     * @example urls: purge.hashFiles("dist", { baseUrl: "https://www.example.com/" })
     */
    readonly urls?: pulumi.Input<pulumi.Input<string>[] | Record<string, pulumi.Input<string>>>;

    /**
     * Purge everything the service cached (`POST /service/<id>/purge_all`), on create and whenever
     * `triggers` change. Pass it alone; it cannot be soft.
     *
     * @default false
     */
    readonly purgeAll?: pulumi.Input<boolean>;

    /**
     * Mark the objects stale instead of removing them (`Fastly-Soft-Purge: 1`), so Fastly can still serve
     * them while it fetches new ones, or when the origin is down (with stale-if-error). Switching it purges
     * nothing by itself.
     *
     * @default false
     */
    readonly softPurge?: pulumi.Input<boolean>;

    /**
     * A Fastly API token with the purge_select scope (keys and URLs) or purge_all (everything) on the
     * service, sent as the `Fastly-Key` header. Kept secret in state whether or not you pass it as a secret.
     *
     * @default - stack config `cache-purge:fastlyApiToken`, else the environment variable `FASTLY_API_TOKEN`
     */
    readonly apiToken?: pulumi.Input<string>;

    /**
     * Fastly's API root. Change it only for a local emulator or a proxy.
     *
     * @default "https://api.fastly.com"
     */
    readonly baseUrl?: pulumi.Input<string>;
}

/**
 * Purges a Fastly service's cache by surrogate key or URL (or all of it) when the resource is created and
 * whenever a trigger or an entry's content hash changes: with maps, only the entries that changed.
 *
 * @example
 * new purge.fastly.Purge("site", {
 *     serviceId: "SU1Z0isxPaozGVKXdv0eY",
 *     surrogateKeys: { blog: purge.hashFiles("content/blog") },
 *     softPurge: true,
 * });
 */
export class Purge extends PurgeResource {
    constructor(name: string, args: PurgeArgs, opts?: pulumi.CustomResourceOptions) {
        super({
            module: "fastly",
            type: "Purge",
            implementation: "pulumi-cache-purge/provider/fastly",
            secretInputs: ["apiToken"],
            bulkInputs: ["urls"],
            targetInputs: ["surrogateKeys", "urls"],
        }, name, args, opts);
    }
}
