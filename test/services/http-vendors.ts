import type { Answer } from "../../src/services/http/emulator";
import { HttpEmulator } from "../../src/services/http/emulator";
import type { RecordedRequest } from "../../src/testing/emulator";

/**
 * Local servers shaped as each vendor documents its purge call, for the generic purge's recipes. Each
 * records what it purged; none shares code with the client.
 */

/**
 * Cloudflare's "Purge Cached Content" by URL: `POST /client/v4/zones/{zone_id}/purge_cache` with
 * `{"files": [...]}` and `Authorization: Bearer <api token>`; at most 100 operations (URLs) per request;
 * answers the API envelope `{"success": true, "errors": [], "messages": [], "result": {"id": …}}`, and
 * `{"success": false, "errors": [{code, message}]}` with 4xx on failure.
 * Sources: https://developers.cloudflare.com/api/go/resources/cache/methods/purge (POST
 * /zones/{zone_id}/purge_cache, the `files` body), https://developers.cloudflare.com/cache/how-to/purge-cache
 * ("Max operations per request: 100").
 */
export class CloudflarePurgeEmulator extends HttpEmulator {
    readonly purged: string[][] = [];
    /** Files whose purge the zone refuses (not on this zone), to fail one batch. */
    readonly refusedFiles = new Set<string>();

    constructor(readonly zone: string, public token: string) {
        super();
        this.answer = (r) => this.purge(r);
    }

    /** The zone's purge URL. */
    get purgeUrl(): string {
        return `${this.origin}/client/v4/zones/${this.zone}/purge_cache`;
    }

    private purge(r: RecordedRequest): Answer {
        const failure = (status: number, code: number, message: string): Answer => ({ status, body: { success: false, errors: [{ code, message }], messages: [], result: null } });
        if (r.method !== "POST" || r.path !== `/client/v4/zones/${this.zone}/purge_cache`) {
            return failure(404, 7003, "Could not route to /client/v4/zones, perhaps your object identifier is invalid?");
        }
        if (r.headers.authorization !== `Bearer ${this.token}`) {
            return failure(403, 10000, "Authentication error");
        }
        const files = (r.fields as { files?: unknown } | undefined)?.files;
        if (!Array.isArray(files) || files.length === 0 || files.length > 100) {
            return failure(400, 1015, "Request must contain between 1 and 100 files");
        }
        const refused = files.find((f) => this.refusedFiles.has(String(f)));
        if (refused !== undefined) {
            return failure(400, 1012, `Purge request contains a URL not on this zone: ${String(refused)}`);
        }
        this.purged.push(files.map(String));
        return { status: 200, body: { success: true, errors: [], messages: [], result: { id: `purge-${this.purged.length}` } } };
    }
}

/**
 * Bunny.net's "Purge URL": `POST https://api.bunny.net/purge?url=<url>&async=<bool>` with the account's
 * API key in the `AccessKey` header; `url` is required; 200 when "the purge request was successfully
 * processed", 401 without a valid key.
 * Source: https://docs.bunny.net/reference/purgepublic_indexpost (query parameters url, async, exactPath;
 * AccessKey header auth).
 */
export class BunnyPurgeEmulator extends HttpEmulator {
    readonly purged: string[] = [];

    constructor(public accessKey: string) {
        super();
        this.answer = (r) => this.purge(r);
    }

    private purge(r: RecordedRequest): Answer {
        if (r.method !== "POST" || r.path !== "/purge") {
            return { status: 404, body: "" };
        }
        if (r.headers.accesskey !== this.accessKey) {
            return { status: 401, body: { Message: "Authorization has been denied for this request." } };
        }
        if (r.query.url === undefined || r.query.url === "") {
            return { status: 400, body: { ErrorKey: "purge.url", Field: "url", Message: "The URL is required." } };
        }
        this.purged.push(r.query.url);
        return { status: 200, body: "" };
    }
}

/**
 * Vercel's "Invalidate by tag": `POST /v1/edge-cache/invalidate-by-tags?projectIdOrName=<project>` with
 * `Authorization: Bearer <token>` and `{"tags": [...] | "a,b", "target"?: "production" | "preview"}`, each
 * tag at most 256 characters; 200 on success; 400, 401, 403 and 404 with Vercel's error body
 * `{"error": {"code", "message"}}`; the REST API's rate limit in `X-RateLimit-Limit`, `-Remaining` and
 * `-Reset` (epoch seconds).
 * Sources: https://vercel.com/docs/rest-api/edge-cache/invalidate-by-tag (method, path, query, body
 * schema, statuses), https://vercel.com/docs/rest-api#rate-limits (headers).
 */
export class VercelInvalidateEmulator extends HttpEmulator {
    readonly invalidated: string[][] = [];
    /** Requests left in the window; at 0 the next one gets a 429 and the window resets a second later. */
    remaining = Infinity;

    constructor(readonly project: string, public token: string) {
        super();
        this.answer = (r) => this.invalidate(r);
    }

    private invalidate(r: RecordedRequest): Answer {
        const error = (status: number, code: string, message: string, headers?: Record<string, string>): Answer => ({ status, headers, body: { error: { code, message } } });
        if (r.method !== "POST" || r.path !== "/v1/edge-cache/invalidate-by-tags") {
            return error(404, "not_found", "The requested path was not found");
        }
        if (r.headers.authorization !== `Bearer ${this.token}`) {
            return error(403, "forbidden", "Not authorized");
        }
        if (r.query.projectIdOrName !== this.project) {
            return error(404, "not_found", "Project not found");
        }
        const tags = (r.fields as { tags?: unknown } | undefined)?.tags;
        const list = typeof tags === "string" ? tags.split(",") : tags;
        if (!Array.isArray(list) || list.length === 0 || list.some((t) => typeof t !== "string" || t.length > 256)) {
            return error(400, "bad_request", "One of the provided values in the request body is invalid.");
        }
        const reset = String(Math.ceil(Date.now() / 1000) + 1);
        if (this.remaining <= 0) {
            this.remaining = Infinity;
            return error(429, "rate_limited", "Rate limit exceeded", { "x-ratelimit-limit": "100", "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset });
        }
        this.remaining--;
        this.invalidated.push(list as string[]);
        return { status: 200, headers: { "x-ratelimit-limit": "100", "x-ratelimit-remaining": String(Number.isFinite(this.remaining) ? this.remaining : 99), "x-ratelimit-reset": reset }, body: {} };
    }
}

/**
 * An application's own cache-clear webhook, as a typical app exposes one: `POST /admin/cache/clear`
 * with `Authorization: Bearer <token>`, answering 204 once its cache is cleared and 401 otherwise. No
 * vendor documents it: it is the shape the recipe asks the app to have.
 */
export class AppWebhookEmulator extends HttpEmulator {
    clears = 0;

    constructor(public token: string) {
        super();
        this.answer = (r) => {
            if (r.method !== "POST" || r.path !== "/admin/cache/clear") {
                return { status: 404, body: { error: "not found" } };
            }
            if (r.headers.authorization !== `Bearer ${this.token}`) {
                return { status: 401, body: { error: "invalid token" } };
            }
            this.clears++;
            return { status: 204 };
        };
    }
}

/** What one accepted Netlify purge asked for: its cache tags, or the whole site when it named none. */
export interface NetlifyPurge {
    readonly tags: readonly string[] | "whole site";
    readonly deployAlias: string | undefined;
}

/**
 * Netlify's purge API: `POST https://api.netlify.com/api/v1/purge` with `Authorization: Bearer <personal
 * access token>` and a JSON body naming the site (`site_id` or `site_slug`) and, optionally, `cache_tags`
 * and `deploy_alias`; 202 with no body when accepted. Without `cache_tags` the whole site is purged, with
 * an empty list nothing; each tag (or the site, purged whole) may be purged twice in 5 s, then 429. Every
 * answer carries the API's `X-RateLimit-Limit`, `-Remaining` and `-Reset` (an epoch in seconds), and every
 * error is `{"code", "message"}`.
 * Sources:
 * - github.com/netlify/open-api swagger.yml (v2.55.0, commit 6508031): `/purge` operation `purgeCache`,
 *   body definition `purge` {site_id, site_slug, cache_tags: string[]}, responses 202 "OK" (no body
 *   schema), 400 "Invalid request parameters", 404 "Site not found"; definitions/error {code, message};
 *   OAuth2 bearer auth.
 * - github.com/netlify/primitives packages/functions/prod/src/lib/purge_cache.ts (commit e5050be;
 *   `purgeCache` of @netlify/functions): the same POST, `Authorization: Bearer <token>`, body
 *   {cache_tags, deploy_alias, site_id | site_slug | domain}; its test (purge_cache.test.ts) answers 202
 *   with a null body.
 * - github.com/netlify/context-and-tools agent-plugin/skills/netlify-caching/SKILL.md (commit 32a261b,
 *   synced from Netlify's docs): a personal access token; no `cache_tags` purges the whole site, an empty
 *   list nothing; "each tag or site can be purged only twice per 5s", beyond that 429.
 * - github.com/netlify/build packages/js-client/src/methods/retry.js (commit 7b7c926): Netlify's own
 *   client waits out a 429 until `X-RateLimit-Reset`, read as an epoch in seconds.
 * Ours, as Netlify documents none: the 401 and 429 wording, and the API-wide window (500 a minute, the
 * figure third-party copies of Netlify's API guide quote; the recipe relies on none of the numbers).
 */
export class NetlifyPurgeEmulator extends HttpEmulator {
    readonly purged: NetlifyPurge[] = [];
    /** Requests left in the API-wide window; at 0 the next one gets a 429 and the window resets a second later. */
    remaining = Infinity;
    /** When each tag (or whole site) was last purged, for the twice-in-5-s limit. */
    private readonly purgeTimes = new Map<string, number[]>();

    constructor(readonly siteId: string, readonly siteSlug: string, public token: string) {
        super();
        this.answer = (r) => this.purge(r);
    }

    private purge(r: RecordedRequest): Answer {
        const reset = String(Math.ceil(Date.now() / 1000) + 1);
        const rateHeaders = { "x-ratelimit-limit": "500", "x-ratelimit-remaining": String(Number.isFinite(this.remaining) ? this.remaining : 499), "x-ratelimit-reset": reset };
        const error = (status: number, message: string): Answer => ({ status, headers: rateHeaders, body: { code: status, message } });
        if (r.method !== "POST" || r.path !== "/api/v1/purge") {
            return error(404, "Not Found");
        }
        if (r.headers.authorization !== `Bearer ${this.token}`) {
            return error(401, "Access Denied: Invalid token supplied");
        }
        if (this.remaining <= 0) {
            this.remaining = Infinity;
            return error(429, "Rate limit exceeded");
        }
        this.remaining--;
        const body = r.fields as { site_id?: unknown; site_slug?: unknown; cache_tags?: unknown; deploy_alias?: unknown } | undefined;
        const tags = body?.cache_tags;
        if (body === undefined || (tags !== undefined && (!Array.isArray(tags) || tags.some((t) => typeof t !== "string")))
            || (body.deploy_alias !== undefined && typeof body.deploy_alias !== "string")) {
            return error(400, "Invalid request parameters");
        }
        if (body.site_id !== this.siteId && body.site_slug !== this.siteSlug) {
            return error(404, "Site not found");
        }
        const keys = tags === undefined ? ["site"] : (tags as string[]).map((t) => `tag:${t}`);
        const now = Date.now();
        const recent = (key: string) => (this.purgeTimes.get(key) ?? []).filter((at) => now - at < 5000);
        if (keys.some((key) => recent(key).length >= 2)) {
            return error(429, "Too many purges of the same cache tag; try again in a few seconds");
        }
        keys.forEach((key) => this.purgeTimes.set(key, [...recent(key), now]));
        if (tags === undefined || (tags as string[]).length > 0) {
            this.purged.push({ tags: tags === undefined ? "whole site" : tags as string[], deployAlias: body.deploy_alias as string | undefined });
        }
        return { status: 202, headers: rateHeaders };
    }
}
