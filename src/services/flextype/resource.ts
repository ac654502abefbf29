import type * as pulumi from "@pulumi/pulumi";
import type { CommonPurgeArgs } from "../../core/args";
import { PurgeResource } from "../../core/resource";

export interface CachePurgeArgs extends CommonPurgeArgs {
    /**
     * The address of the Flextype site: its root, plus Flextype's `base_path` if the site sets one.
     * The purge calls `POST <baseUrl>/api/v1/cache/clear`. Must be https, except for localhost.
     *
     * @example baseUrl: "https://cms.example.com"
     */
    readonly baseUrl: pulumi.Input<string>;

    /**
     * The API token (`tokens/<token>` in Flextype, made with `flextype tokens:create`).
     *
     * @default - stack config `cache-purge:flextypeToken`, else the environment variable `FLEXTYPE_TOKEN`
     */
    readonly token?: pulumi.Input<string>;

    /**
     * The token's secret access token. Kept secret in state whether or not you pass it as a secret.
     *
     * @default - stack config `cache-purge:flextypeAccessToken`, else the environment variable `FLEXTYPE_ACCESS_TOKEN`
     */
    readonly accessToken?: pulumi.Input<string>;
}

/**
 * Clears a Flextype site's cache (all of it: Flextype has one) when the resource is created and whenever
 * a trigger changes.
 *
 * @example
 * new purge.flextype.CachePurge("cms", {
 *     baseUrl: "https://cms.example.com",
 *     triggers: { entries: purge.hashFiles("content/entries") },
 * });
 */
export class CachePurge extends PurgeResource {
    constructor(name: string, args: CachePurgeArgs, opts?: pulumi.CustomResourceOptions) {
        super({
            module: "flextype",
            type: "CachePurge",
            implementation: "pulumi-cache-purge/provider/flextype",
            secretInputs: ["token", "accessToken"],
        }, name, args, opts);
    }
}
