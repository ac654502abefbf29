import type * as pulumi from "@pulumi/pulumi";
import type { CommonPurgeArgs } from "../../core/args";
import { PurgeResource } from "../../core/resource";

export interface CachePurgeArgs extends CommonPurgeArgs {
    /**
     * The MicroStrategy Library server: `https://<host>/MicroStrategyLibrary`. A trailing `/api` (or
     * anything after it) and a trailing `/` are dropped, as mstrio-py drops them, and so is the path of
     * the server's Swagger page (`/api-docs/index.html`). Must be https, except for localhost.
     *
     * @example baseUrl: "https://bi.example.com/MicroStrategyLibrary"
     */
    readonly baseUrl: pulumi.Input<string>;

    /**
     * The project whose caches are purged: its `id` (the 32-hex-digit GUID) or its `name`, never both. A
     * name is looked up with `GET /api/projects` at purge time; a name that no project or several
     * projects have fails the purge with the names the server listed.
     *
     * Changing the project purges every cache type of the new one.
     *
     * @example project: { name: "MicroStrategy Tutorial" }
     * @example project: { id: "B7CA92F04B9FAE8D941C3E9B7E0CD754" }
     */
    readonly project: pulumi.Input<{ readonly id?: pulumi.Input<string>; readonly name?: pulumi.Input<string> }>;

    /**
     * Which caches to purge: `"element"` (attribute element lists) and `"object"` (metadata objects).
     * A list purges them when the shared `triggers` change. A map from cache type to a hash gives each its
     * own trigger as well: changing only the `object` hash purges only the object cache.
     *
     * @default ["element", "object"]
     * @example cacheTypes: { element: warehouseHash, object: schemaHash }
     */
    readonly cacheTypes?: pulumi.Input<Array<pulumi.Input<"element" | "object">> | Partial<Record<"element" | "object", pulumi.Input<string>>>>;

    /**
     * An existing session's `X-MSTR-AuthToken`. Used instead of a login when set; the session stays
     * open, as it is not this resource's to end. Kept secret in state whether or not you pass it as one.
     *
     * @default - stack config `cache-purge:microstrategyAuthToken`, else the environment variable `MSTR_AUTH_TOKEN`, else a login
     */
    readonly authToken?: pulumi.Input<string>;

    /**
     * The cookies of the session that `authToken` belongs to, as a `Cookie` header
     * (`JSESSIONID=…; iSession=…`). Library servers bind the token to its session cookie and refuse the
     * token alone with 401 ERR009.
     *
     * @default - stack config `cache-purge:microstrategyCookies`, else the environment variable `MSTR_COOKIES`, else none
     */
    readonly cookies?: pulumi.Input<string>;

    /**
     * An API token (Strategy's "API token" login, loginMode 4096). The login sends it as mstrio-py does:
     * `{"loginMode": 4096, "username": <token>}`, without a password. Used when no `authToken` is given,
     * before `username` and `password`. Kept secret in state whether or not you pass it as one.
     *
     * @default - stack config `cache-purge:microstrategyApiToken`, else the environment variable `MSTR_API_TOKEN`, else a login with `username` and `password`
     */
    readonly apiToken?: pulumi.Input<string>;

    /**
     * The user to log in as with `POST /api/auth/login` when neither `authToken` nor `apiToken` is given. The user needs the
     * Cache Administration privilege on the project. The purge always logs out again, also after a failure.
     *
     * @default - stack config `cache-purge:microstrategyUsername`, else the environment variable `MSTR_USERNAME`
     */
    readonly username?: pulumi.Input<string>;

    /**
     * The password of `username`. Kept secret in state whether or not you pass it as one. An API token
     * does not go here: pass it as `apiToken`.
     *
     * @default - stack config `cache-purge:microstrategyPassword`, else the environment variable `MSTR_PASSWORD`
     */
    readonly password?: pulumi.Input<string>;

    /**
     * How the login with `username` and `password` authenticates: `1` standard, `16` LDAP. For an API
     * token, pass `apiToken` instead (`4096` is refused with that advice).
     *
     * @default 1
     */
    readonly loginMode?: pulumi.Input<1 | 16>;
}

/**
 * Purges a MicroStrategy project's element and object caches when the resource is created and whenever
 * a trigger changes.
 *
 * @example
 * new purge.microstrategy.CachePurge("bi", {
 *     baseUrl: "https://bi.example.com/MicroStrategyLibrary",
 *     project: { name: "MicroStrategy Tutorial" },
 *     cacheTypes: { element: warehouseHash, object: schemaHash },
 * });
 */
export class CachePurge extends PurgeResource {
    constructor(name: string, args: CachePurgeArgs, opts?: pulumi.CustomResourceOptions) {
        super({
            module: "microstrategy",
            type: "CachePurge",
            implementation: "pulumi-cache-purge/provider/microstrategy",
            secretInputs: ["authToken", "cookies", "apiToken", "password"],
            targetInputs: ["cacheTypes"],
        }, name, args, opts);
    }
}
