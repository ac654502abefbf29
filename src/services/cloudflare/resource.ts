import type * as pulumi from "@pulumi/pulumi";
import type { CommonPurgeArgs } from "../../core/args";
import { PurgeResource } from "../../core/resource";

export interface ZonePurgeArgs extends CommonPurgeArgs {
    /**
     * The zone whose cache is purged: its Zone ID, 32 hex characters, from the zone's Overview page in the
     * Cloudflare dashboard (not the account id).
     *
     * @example zoneId: "023e105f4ecef8ad9ca31a8372d0c353"
     */
    readonly zoneId: pulumi.Input<string>;

    /**
     * URLs to purge, exactly as visitors request them (`https://www.example.com/css/site.css`).
     *
     * A list purges every URL on create and whenever `triggers` change. A map `URL -> content hash` also
     * purges exactly the URLs whose hash changed or that are new; `hashFiles(dir, { baseUrl })` builds one.
     * They are sent up to 100 per request (500 on the Enterprise plan). The provider receives, and the state
     * keeps, the JSON text of the list or map: one value instead of one per URL.
     *
     * @default - no URLs
     * @example files: purge.hashFiles("dist", { baseUrl: "https://www.example.com/" })
     */
    readonly files?: pulumi.Input<pulumi.Input<string>[] | Record<string, pulumi.Input<string>>>;

    /**
     * Cache tags to purge: every response whose `Cache-Tag` header named one. A map `tag -> content hash`
     * purges only the tags whose hash changed. Up to 100 per request.
     *
     * @default - no tags
     * @example tags: { blog: purge.hashFiles("content/blog"), products: catalogHash }
     */
    readonly tags?: pulumi.Input<pulumi.Input<string>[] | Record<string, pulumi.Input<string>>>;

    /**
     * Host names whose every cached file is purged (`images.example.com`), without scheme or path; a list
     * or a map `host -> content hash`. Up to 100 per request.
     *
     * @default - no hosts
     * @example hosts: ["images.example.com"]
     */
    readonly hosts?: pulumi.Input<pulumi.Input<string>[] | Record<string, pulumi.Input<string>>>;

    /**
     * URL prefixes, host and path without the scheme (`www.example.com/docs`): every cached URL under one
     * is purged. A list or a map `prefix -> content hash`. Up to 100 per request.
     *
     * @default - no prefixes
     * @example prefixes: { "www.example.com/docs": purge.hashFiles("docs/build") }
     */
    readonly prefixes?: pulumi.Input<pulumi.Input<string>[] | Record<string, pulumi.Input<string>>>;

    /**
     * Purge the zone's whole cache, on create and whenever `triggers` change. Pass it alone: it already
     * covers files, tags, hosts and prefixes.
     *
     * @default false
     */
    readonly purgeEverything?: pulumi.Input<boolean>;

    /**
     * For zones whose cache key includes request headers (device type, country, language): each header set
     * is a cached copy, and each file is purged once per set, all of a file's sets in the same request. A
     * change of the sets purges every target again.
     *
     * @default - files are purged by URL alone
     * @example cacheKeyHeaders: [{ "CF-Device-Type": "desktop" }, { "CF-Device-Type": "mobile" }]
     */
    readonly cacheKeyHeaders?: pulumi.Input<pulumi.Input<Record<string, pulumi.Input<string>>>[]>;

    /**
     * The zone's Cloudflare plan, which sets how purges are batched and paced: Free 5 requests a minute in
     * bursts of 25, Pro 5 a second (25), Business 10 a second (50), Enterprise 50 a second (500) and 500
     * URLs per request. A wait longer than `maxRetryDelayMs` fails instead, leaving the rest for the next up.
     *
     * @default "free"
     */
    readonly plan?: pulumi.Input<"free" | "pro" | "business" | "enterprise">;

    /**
     * An API token with the Zone > Cache Purge permission on the zone, sent as `Authorization: Bearer`.
     * Kept secret in state whether or not you pass it as a secret.
     *
     * @default - stack config `cache-purge:cloudflareApiToken`, else the environment variable `CLOUDFLARE_API_TOKEN`
     */
    readonly apiToken?: pulumi.Input<string>;

    /**
     * Cloudflare's API root. Change it only for a local emulator or a proxy.
     *
     * @default "https://api.cloudflare.com/client/v4"
     */
    readonly baseUrl?: pulumi.Input<string>;
}

/**
 * Purges a Cloudflare zone's cache by URL, cache tag, host or prefix (or all of it) when the resource is
 * created and whenever a trigger or an entry's content hash changes: with maps, only the entries that changed.
 *
 * @example
 * new purge.cloudflare.ZonePurge("site", {
 *     zoneId: "023e105f4ecef8ad9ca31a8372d0c353",
 *     files: purge.hashFiles("dist", { baseUrl: "https://www.example.com/" }),
 *     plan: "pro",
 * });
 */
export class ZonePurge extends PurgeResource {
    constructor(name: string, args: ZonePurgeArgs, opts?: pulumi.CustomResourceOptions) {
        super({
            module: "cloudflare",
            type: "ZonePurge",
            implementation: "pulumi-cache-purge/provider/cloudflare",
            secretInputs: ["apiToken"],
            bulkInputs: ["files"],
            targetInputs: ["files", "tags", "hosts", "prefixes"],
        }, name, args, opts);
    }
}
