import type * as pulumi from "@pulumi/pulumi";
import type { CommonPurgeArgs } from "../../core/args";
import { PurgeResource } from "../../core/resource";

/** The purge request, before `{target}` is filled in. */
export interface PurgeRequestArgs {
    /**
     * The HTTP method.
     *
     * @default "POST"
     */
    readonly method?: pulumi.Input<"POST" | "GET" | "PUT" | "PATCH" | "DELETE">;

    /**
     * The URL to call. `{target}` is replaced by the target, URL-encoded, so it may stand in the path or
     * the query (never in the scheme or host). Must be https, except for localhost. It is stored in
     * plaintext and shown in the plan line, so `check` refuses a user name or password in it and query
     * parameters named like credentials (`token`, `key`, `api_key`, `access_token`, …): send those in
     * `secretHeaders`.
     *
     * @example url: "https://api.bunny.net/purge?url={target}"
     */
    readonly url: pulumi.Input<string>;

    /**
     * Headers sent with every request, stored in plaintext; `{target}` is replaced by the target as it is.
     * `check` refuses headers that carry credentials (`Authorization`, `Cookie`, names with `token`,
     * `secret` or `password`): put those in `secretHeaders`.
     *
     * @default - none beyond `accept: application/json` and the body's content type
     * @example headers: { "x-purge-reason": "deploy" }
     */
    readonly headers?: pulumi.Input<Record<string, pulumi.Input<string>>>;

    /**
     * A JSON body. `{target}` in any string of it is replaced by the target, JSON-escaped. With
     * `batch.jsonPath`, the batch's targets are written at that path as an array.
     *
     * @default - no body (unless batch.jsonPath makes one)
     * @example json: { tags: ["{target}"] }
     */
    readonly json?: pulumi.Input<unknown>;

    /**
     * A form body (`application/x-www-form-urlencoded`); `{target}` in a name or value is replaced by the target.
     *
     * @default - no body
     * @example form: { url: "{target}" }
     */
    readonly form?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Several targets per request. */
export interface PurgeBatchArgs {
    /**
     * The most targets one request carries; a plan of more is split into requests of this many.
     *
     * @example size: 30
     */
    readonly size: pulumi.Input<number>;

    /**
     * Where the targets go: a JSON array at this dot path of the body (created when the body has none),
     * as Cloudflare takes `files` or Vercel `tags`. Set this or `header`.
     *
     * @example jsonPath: "files"
     */
    readonly jsonPath?: pulumi.Input<string>;

    /**
     * Where the targets go: this header, the targets joined by spaces, as Fastly takes `Surrogate-Key`.
     * Set this or `jsonPath`; a target with a space in it is then refused.
     *
     * @example header: "Surrogate-Key"
     */
    readonly header?: pulumi.Input<string>;
}

/** What counts as a purge done. */
export interface PurgeSuccessArgs {
    /**
     * The statuses that count as success; any other fails the purge, quoting the status, the content
     * type and the first line of the body. 408, 429 and 5xx are retried first.
     *
     * @default [200, 201, 202, 203, 204]
     */
    readonly statuses?: pulumi.Input<pulumi.Input<number>[]>;

    /**
     * A dot path of the JSON answer that must hold a value (or `equals`, when set) for the request to
     * count: for APIs that answer 200 to a failure.
     *
     * @default - the status alone decides
     * @example jsonPath: "success"
     */
    readonly jsonPath?: pulumi.Input<string>;

    /**
     * The value `jsonPath` must hold.
     *
     * @default - any value but null
     * @example equals: true
     */
    readonly equals?: pulumi.Input<string | number | boolean>;
}

/** Waiting until an asynchronous purge is done. */
export interface PurgeWaitArgs {
    /**
     * The status URL; `{id}` is replaced by the id read from each purge's answer, URL-encoded. Read with
     * GET and the same headers (secret ones included). Same rules as `request.url`.
     *
     * @example url: "https://api.example.com/purges/{id}"
     */
    readonly url: pulumi.Input<string>;

    /**
     * The dot path of the purge's JSON answer that holds the id.
     *
     * @example idPath: "result.id"
     */
    readonly idPath: pulumi.Input<string>;

    /**
     * The dot path of the status answer that says whether the purge is done.
     *
     * @example donePath: "status"
     */
    readonly donePath: pulumi.Input<string>;

    /**
     * The value at `donePath` that means done.
     *
     * @example doneValue: "Completed"
     */
    readonly doneValue: pulumi.Input<string | number | boolean>;

    /**
     * How long to poll before failing the update, in milliseconds; the purges stay recorded as sent.
     *
     * @default 300000
     */
    readonly timeoutMs?: pulumi.Input<number>;
}

export interface PurgeArgs extends CommonPurgeArgs {
    /**
     * The request that purges: method, URL, headers and an optional JSON or form body, with `{target}`
     * where each target goes.
     *
     * @example request: { method: "POST", url: "https://api.bunny.net/purge?url={target}" }
     */
    readonly request: pulumi.Input<PurgeRequestArgs>;

    /**
     * Headers that carry credentials, sent with every request (and every status read). Stored encrypted in
     * state whether or not you pass them as secrets, redacted from every message and log line in every
     * encoding, and shown in the plan line as `[secret]`. Changing one never purges.
     *
     * @default - none
     * @example secretHeaders: { AccessKey: cfg.requireSecret("bunnyAccessKey") }
     */
    readonly secretHeaders?: pulumi.Input<Record<string, pulumi.Input<string>>>;

    /**
     * What to purge: each fills `{target}` (or goes into a batch). A list purges every target on create
     * and whenever `triggers` change; a map `target -> trigger` also purges exactly the targets whose
     * trigger changed or that are new (`hashFiles(dir, { baseUrl })` builds one for URLs).
     *
     * @default - one request, driven by `triggers`
     * @example targets: purge.hashFiles("dist", { baseUrl: "https://cdn.example.com/" })
     */
    readonly targets?: pulumi.Input<pulumi.Input<string>[] | Record<string, pulumi.Input<string>>>;

    /**
     * Sends several targets per request, at a JSON path of the body or in a header, split into requests
     * of `size`. `{target}` cannot be used with it.
     *
     * @default - one request per target
     * @example batch: { size: 30, jsonPath: "files" }
     */
    readonly batch?: pulumi.Input<PurgeBatchArgs>;

    /**
     * What counts as success: statuses, and optionally a value at a JSON path of the answer.
     *
     * @default - statuses 200-204
     */
    readonly success?: pulumi.Input<PurgeSuccessArgs>;

    /**
     * The most requests this resource starts per second, for APIs that publish a limit without sending
     * rate-limit headers. `Retry-After`, `RateLimit-*` and `X-RateLimit-*` headers are honoured anyway.
     *
     * @default - no pacing beyond what the API's headers ask
     * @example maxRequestsPerSecond: 2
     */
    readonly maxRequestsPerSecond?: pulumi.Input<number>;

    /**
     * The most purge requests one update may send; `check` refuses, in preview already, a plan of more.
     *
     * @default 1000
     */
    readonly maxRequests?: pulumi.Input<number>;

    /**
     * Polls a status URL after the purges until each reports done; the receipt then says `confirmed`
     * instead of `accepted`.
     *
     * @default - no polling
     * @example wait: { url: "https://api.example.com/purges/{id}", idPath: "id", donePath: "status", doneValue: "done" }
     */
    readonly wait?: pulumi.Input<PurgeWaitArgs>;
}

/**
 * Calls any HTTP purge endpoint (a CDN's purge API, your app's cache-clear webhook) when the resource is
 * created and whenever a trigger changes: with a map of target to trigger, only for the targets that changed.
 *
 * @example
 * new purge.http.Purge("cdn", {
 *     request: { method: "POST", url: "https://api.bunny.net/purge?url={target}" },
 *     secretHeaders: { AccessKey: cfg.requireSecret("bunnyAccessKey") },
 *     targets: purge.hashFiles("dist", { baseUrl: "https://cdn.example.com/" }),
 * });
 */
export class Purge extends PurgeResource {
    constructor(name: string, args: PurgeArgs, opts?: pulumi.CustomResourceOptions) {
        super({
            module: "http",
            type: "Purge",
            implementation: "pulumi-cache-purge/provider/http",
            secretInputs: ["secretHeaders"],
            bulkInputs: ["targets"],
            targetInputs: ["targets"],
        }, name, args, opts);
    }
}
