import type * as pulumi from "@pulumi/pulumi";
import type { CommonPurgeArgs } from "../../core/args";
import { PurgeResource } from "../../core/resource";

export interface InvalidationArgs extends CommonPurgeArgs {
    /**
     * The CloudFront distribution whose edge caches are invalidated: its ID, as the console's ID column and
     * `aws.cloudfront.Distribution`'s `id` output show it.
     *
     * A change of distribution invalidates every path on the new one.
     *
     * @example distributionId: site.id
     */
    readonly distributionId: pulumi.Input<string>;

    /**
     * The paths to invalidate, each starting with `/`, as viewers request them: `/index.html`, `/img/*`
     * (a `*` only at the end), `/*` for everything. Percent-encode blanks and non-ASCII characters.
     *
     * A list invalidates every path on create and whenever `triggers` change. A map `path -> content hash`
     * also invalidates exactly the paths whose hash changed or that are new;
     * `hashFiles(dir, { baseUrl: "/" })` builds one from the built site (`baseUrl: "/static/"` for a
     * site served under a prefix). All paths of one update go in one invalidation; `pulumi preview` shows
     * them and counts them. The provider and the state keep the JSON text of the list or map.
     *
     * @example paths: purge.hashFiles("dist", { baseUrl: "/" })
     * @example paths: ["/index.html", "/assets/*"]
     */
    readonly paths: pulumi.Input<pulumi.Input<string>[] | Record<string, pulumi.Input<string>>>;

    /**
     * When an update would invalidate more than this many paths, invalidate `/*` instead: one billed path
     * in place of many, and no risk of CloudFront's 3,000 file paths in progress. The receipt's
     * `details.collapsedTo` then says `/*`.
     *
     * @default - never collapse
     * @example collapseAbove: 100
     */
    readonly collapseAbove?: pulumi.Input<number>;

    /**
     * The most paths one update may invalidate, counted as CloudFront bills them (`/*` is one). CloudFront
     * gives each account 1,000 free invalidation paths a month and bills every path after; `check`
     * refuses, in preview already, an update that would send more.
     *
     * @default - no cap beyond CloudFront's own limits
     * @example maxPathsPerDeployment: 200
     */
    readonly maxPathsPerDeployment?: pulumi.Input<number>;

    /**
     * Whether `pulumi up` waits until CloudFront reports the invalidation `Completed`, polling
     * `GetInvalidation` with a growing pause (1 s, doubling to 20 s). The receipt then says `confirmed`
     * instead of `accepted`.
     *
     * @default false
     */
    readonly wait?: pulumi.Input<boolean>;

    /**
     * How long `wait` waits for the invalidation to complete, and how long a purge waits for room while
     * the distribution has too many invalidations in progress, in milliseconds.
     *
     * @default 900000
     */
    readonly waitTimeoutMs?: pulumi.Input<number>;

    /**
     * The named AWS profile (in `~/.aws/config` and `~/.aws/credentials`) whose credentials sign the
     * requests, SSO profiles included (run `aws sso login --profile <name>` first).
     *
     * @default - stack config `aws:profile`, else `AWS_PROFILE`, else the AWS SDK's default chain
     */
    readonly profile?: pulumi.Input<string>;

    /**
     * An AWS access key id, with `secretAccessKey`. Rarely needed: without static keys, the AWS SDK's chain
     * finds credentials as the AWS CLI and `@pulumi/aws` do (profile, SSO, the role of the CI runner).
     *
     * @default - stack config `aws:accessKey`, else `AWS_ACCESS_KEY_ID`, else the AWS SDK's default chain
     */
    readonly accessKeyId?: pulumi.Input<string>;

    /**
     * The secret access key that goes with `accessKeyId`. Kept secret in state whether or not you pass it as
     * a secret, and never shown in a message.
     *
     * @default - stack config `aws:secretKey`, else `AWS_SECRET_ACCESS_KEY`, else the AWS SDK's default chain
     */
    readonly secretAccessKey?: pulumi.Input<string>;

    /**
     * The session token of temporary keys, with `accessKeyId` and `secretAccessKey`. Kept secret.
     *
     * @default - stack config `aws:token`, else `AWS_SESSION_TOKEN`
     */
    readonly sessionToken?: pulumi.Input<string>;

    /**
     * CloudFront's API root. Change it only for a local emulator or a proxy.
     *
     * @default "https://cloudfront.amazonaws.com"
     */
    readonly endpoint?: pulumi.Input<string>;

    /**
     * The region the requests are signed for. CloudFront is global and signs in us-east-1; change it only
     * for a partition that says otherwise.
     *
     * @default "us-east-1"
     */
    readonly region?: pulumi.Input<string>;
}

/**
 * Invalidates paths in a CloudFront distribution when the resource is created and whenever their content
 * changes: with a map of path to content hash, only the paths whose hash changed. Needs the AWS SDK for
 * CloudFront in the project: `npm install @aws-sdk/client-cloudfront`.
 *
 * @example
 * new purge.cloudfront.Invalidation("site", {
 *     distributionId: distribution.id,
 *     paths: purge.hashFiles("dist", { baseUrl: "/" }),
 *     collapseAbove: 100,
 * }, { dependsOn: [upload] });
 */
export class Invalidation extends PurgeResource {
    constructor(name: string, args: InvalidationArgs, opts?: pulumi.CustomResourceOptions) {
        super({
            module: "cloudfront",
            type: "Invalidation",
            implementation: "pulumi-cache-purge/provider/cloudfront",
            secretInputs: ["secretAccessKey", "sessionToken"],
            bulkInputs: ["paths"],
            targetInputs: ["paths"],
        }, name, args, opts);
    }
}
