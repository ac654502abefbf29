import type * as pulumi from "@pulumi/pulumi";
import type { CommonPurgeArgs } from "../../core/args";
import { PurgeResource } from "../../core/resource";

export interface PipelineCachePurgeArgs extends CommonPurgeArgs {
    /**
     * The workspace's URL handle: `acme` in `https://app.buddy.works/acme/…`.
     *
     * @example workspace: "acme"
     */
    readonly workspace: pulumi.Input<string>;

    /**
     * The project's name ID (its URL handle, `company-website`), not its display name.
     *
     * @example project: "company-website"
     */
    readonly project: pulumi.Input<string>;

    /**
     * The one pipeline to clear, by its numeric id (the number in the pipeline's URL). It is cleared on
     * create and whenever `triggers` change. Pass either this or `pipelines`.
     *
     * @default - use `pipelines`
     * @example pipelineId: 2
     */
    readonly pipelineId?: pulumi.Input<number>;

    /**
     * Several pipelines, each with its own content hash: pipeline id -> hash. An update clears only the
     * pipelines whose hash changed or that are new, so a change to one lockfile does not throw away the
     * caches of every pipeline. A change of `triggers` still clears them all. Pass either this or `pipelineId`.
     *
     * @default - use `pipelineId`
     * @example pipelines: { "2": purge.hashFiles("web/package-lock.json"), "5": purge.hashFiles("api/go.sum") }
     */
    readonly pipelines?: pulumi.Input<Record<string, pulumi.Input<string>>>;

    /**
     * Buddy's cloud region the workspace lives in: `us` (app.buddy.works, API `https://api.buddy.works`)
     * or `eu` (eu.buddy.works, API `https://api.eu.buddy.works`). Leave it out when you set `baseUrl`.
     *
     * @default "us"
     * @example region: "eu"
     */
    readonly region?: pulumi.Input<"us" | "eu">;

    /**
     * The API root of a self-hosted Buddy install, with its `/api` path. Requests go below it:
     * `<baseUrl>/workspaces/…`. Must be https, except for localhost. Leave out `region` when you set it.
     *
     * @default - the region's API
     * @example baseUrl: "https://buddy.example.com/api"
     */
    readonly baseUrl?: pulumi.Input<string>;

    /**
     * A personal access token (or OAuth token) with the `EXECUTION_MANAGE` scope for the workspace. Kept
     * secret in state whether or not you pass it as a secret.
     *
     * @default - stack config `cache-purge:buddyToken`, else the environment variable `BUDDY_TOKEN`
     */
    readonly token?: pulumi.Input<string>;
}

/**
 * Clears Buddy.Works pipeline caches (every action cache of each pipeline) when the resource is created
 * and whenever a pipeline's hash or a trigger changes.
 *
 * @example
 * new purge.buddy.PipelineCachePurge("ci", {
 *     workspace: "acme",
 *     project: "company-website",
 *     pipelines: { "2": purge.hashFiles("package-lock.json") },
 * });
 */
export class PipelineCachePurge extends PurgeResource {
    constructor(name: string, args: PipelineCachePurgeArgs, opts?: pulumi.CustomResourceOptions) {
        super({
            module: "buddy",
            type: "PipelineCachePurge",
            implementation: "pulumi-cache-purge/provider/buddy",
            secretInputs: ["token"],
            targetInputs: ["pipelines"],
        }, name, args, opts);
    }
}
