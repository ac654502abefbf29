import type * as pulumi from "@pulumi/pulumi";
import type { CommonPurgeArgs } from "../../core/args";
import { PurgeResource } from "../../core/resource";

export interface UrlPurgeArgs extends CommonPurgeArgs {
    /**
     * The URLs to purge from ImageKit's CDN and internal cache: the exact, absolute URLs your users load,
     * transformation parameters included when the cached variant has them.
     *
     * A list purges every URL on create and whenever `triggers` change. A map `URL -> content hash` also
     * purges exactly the URLs whose hash changed or that are new; `hashFiles(dir, { baseUrl })` builds one.
     * Duplicates are sent once. A single trailing `*` purges a prefix where ImageKit allows it: two path
     * levels or more, 15 characters or more, or a file name with an extension before it, counted after the
     * ImageKit id and the URL endpoint's pattern (see `urlEndpoint`).
     *
     * The provider receives, and the state keeps, the JSON text of the list or map: one value for the
     * provider host to convert instead of one per URL. `pulumi preview --diff` still shows the URLs that
     * changed (`urls: (json) { ~ …/logo.svg: "b5a2…" => "4e8d…" }`). The receipt's `details.requestIds`
     * holds ImageKit's request ids, as JSON text, in the order of the URLs purged.
     *
     * @example urls: purge.hashFiles("dist/img", { baseUrl: "https://ik.imagekit.io/acme/img/" })
     * @example urls: ["https://ik.imagekit.io/acme/logo.png"]
     */
    readonly urls: pulumi.Input<pulumi.Input<string>[] | Record<string, pulumi.Input<string>>>;

    /**
     * The account's private API key (`private_…`), sent as the user of HTTP Basic auth. Kept secret in
     * state whether or not you pass it as a secret.
     *
     * @default - stack config `cache-purge:imagekitPrivateKey`, else the environment variable `IMAGEKIT_PRIVATE_KEY`
     */
    readonly privateKey?: pulumi.Input<string>;

    /**
     * ImageKit's API root. Change it only for a local emulator or a proxy.
     *
     * @default "https://api.imagekit.io"
     */
    readonly baseUrl?: pulumi.Input<string>;

    /**
     * Whether `pulumi up` waits until ImageKit reports every purge `Completed`, polling
     * `GET /v1/files/purge/:requestId` with a growing pause. Turn it on when a later resource depends on
     * the old content being gone; the receipt then says `confirmed` instead of `accepted`. A purge answered
     * without a `requestId` cannot be watched: the receipt then stays `accepted` and the log says so.
     *
     * @default false
     */
    readonly wait?: pulumi.Input<boolean>;

    /**
     * How long `wait` waits for every purge to complete before failing the update, in milliseconds.
     * The URLs purged before it ran out stay recorded as purged; the next `pulumi up` does not send them
     * again. Only read with `wait: true`.
     *
     * @default 300000
     * @example waitTimeoutMs: 600_000
     */
    readonly waitTimeoutMs?: pulumi.Input<number>;

    /**
     * The URL endpoint the URLs are served from, as ImageKit's dashboard shows it: `https://ik.imagekit.io/<id>`,
     * `https://ik.imagekit.io/<id>/<pattern>` or a custom domain. ImageKit judges a wildcard URL on the path
     * after the endpoint, so with the endpoint `https://ik.imagekit.io/acme/pattern` the URL
     * `https://ik.imagekit.io/acme/pattern/images*` is judged on `images*` and refused; `check` refuses it
     * too, in preview already. URLs that are not under it are judged as without it.
     *
     * @default - `https://ik.imagekit.io/<id>` for URLs on ik.imagekit.io (the first path segment is the id); the whole path elsewhere
     * @example urlEndpoint: "https://ik.imagekit.io/acme/pattern"
     */
    readonly urlEndpoint?: pulumi.Input<string>;

    /**
     * The most purge requests one update may send, retries included. ImageKit counts each purge request
     * against a monthly quota (1,000 by default) and may count a retried one as well, so `check` refuses, in
     * preview already, an update that plans more URLs, and the purge stops before an attempt beyond it. A
     * 403 or 429 that says the quota is spent fails at once, without retries.
     *
     * @default 1000
     */
    readonly maxPurgeRequests?: pulumi.Input<number>;
}

/**
 * Purges URLs from ImageKit's cache when the resource is created and whenever their content changes:
 * with a map of URL to content hash, only the URLs whose hash changed.
 *
 * @example
 * new purge.imagekit.UrlPurge("images", {
 *     urls: purge.hashFiles("dist/img", { baseUrl: "https://ik.imagekit.io/acme/img/" }),
 *     wait: true,
 * });
 */
export class UrlPurge extends PurgeResource {
    constructor(name: string, args: UrlPurgeArgs, opts?: pulumi.CustomResourceOptions) {
        super({
            module: "imagekit",
            type: "UrlPurge",
            implementation: "pulumi-cache-purge/provider/imagekit",
            secretInputs: ["privateKey"],
            bulkInputs: ["urls"],
            targetInputs: ["urls"],
        }, name, args, opts);
    }
}
