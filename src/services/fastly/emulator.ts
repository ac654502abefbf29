import type * as http from "http";
import { Emulator, type RateWindow, type RecordedRequest } from "../../testing/emulator";

/** What a Fastly API token may do: its scopes, and the services it is limited to (all when absent). */
export interface FastlyEmulatorToken {
    /** `purge_select` (keys and URLs), `purge_all` (everything), `global` (both and more). */
    readonly scopes: readonly string[];
    readonly services?: readonly string[];
}

export interface FastlyEmulatorOptions {
    /** Token value -> what it may do. */
    readonly tokens: Readonly<Record<string, FastlyEmulatorToken>>;
    /** The service ids that exist; `"*"`: any id a request names (offline runs of a user's own program). */
    readonly services: readonly string[] | "*";
}

/** One purge the emulator carried out. */
export interface FastlyPurge {
    readonly kind: "keys" | "key" | "url" | "all";
    /** The service id; empty for a URL purge, which names a URL, not a service. */
    readonly serviceId: string;
    /** Surrogate keys, or the one URL (host and path, as the path named it); empty for purge_all. */
    readonly names: readonly string[];
    readonly soft: boolean;
    readonly ids: readonly string[];
}

// "Up to 256 surrogate keys can be purged in one batch request" (fastly-js PurgeApi.bulkPurgeTag, API reference).
const MAX_KEYS = 256;
// 401 body as Fastly sends it for a missing or unknown Fastly-Key (fastly_config gem's `unauthorized_error?`,
// and Fastly clients' tests).
const UNAUTHORIZED = { msg: "Provided credentials are missing or invalid" };

/**
 * A local Fastly purge API, as the API reference and fastly-js `PurgeApi` describe it: `POST
 * /service/{id}/purge` with `{"surrogate_keys": [...]}` or a `Surrogate-Key` header (up to 256 keys,
 * answered key -> purge id), `POST /service/{id}/purge/{key}`, `POST /purge/{cached_url}` (answered
 * `{"status": "ok", "id"}`), `POST /service/{id}/purge_all` (`{"status": "ok"}`), `Fastly-Soft-Purge: 1`,
 * authentication by `Fastly-Key`, and `Fastly-RateLimit-Remaining`/`-Reset` (epoch seconds) when
 * `rateLimit` is set.
 */
export class FastlyEmulator extends Emulator {
    readonly purges: FastlyPurge[] = [];
    readonly tokens: Map<string, FastlyEmulatorToken>;
    readonly services: Set<string> | "*";
    private nextId = 100;

    constructor(options: FastlyEmulatorOptions) {
        super();
        this.tokens = new Map(Object.entries(options.tokens));
        this.services = options.services === "*" ? "*" : new Set(options.services);
    }

    get baseUrl(): string {
        return this.origin;
    }

    protected override rateLimitHeaders(window: RateWindow): Record<string, string> {
        // The SDKs read both after every request that is not a GET or HEAD (go-fastly, fastly-php, fastly-rust).
        return { "fastly-ratelimit-remaining": String(window.remaining), "fastly-ratelimit-reset": String(Math.floor(window.resetAtMs / 1000)) };
    }

    protected override rateLimitedBody(): string {
        return JSON.stringify({ msg: "Too many requests" });
    }

    protected route(request: RecordedRequest, res: http.ServerResponse): void {
        if (request.method !== "POST") {
            this.sendJson(res, 405, { msg: "Method not allowed" });
            return;
        }
        const token = this.tokens.get(request.headers["fastly-key"] ?? "");
        if (token === undefined) {
            this.sendJson(res, 401, UNAUTHORIZED);
            return;
        }
        // The value of Fastly-Soft-Purge "is not important": its presence makes the purge soft (fastly-js).
        const soft = request.headers["fastly-soft-purge"] !== undefined;
        if (request.path.startsWith("/purge/")) {
            if (!this.allows(token, "purge_select")) {
                this.forbidden(res);
                return;
            }
            const id = this.purgeId();
            this.purges.push({ kind: "url", serviceId: "", names: [decodeURIComponent(request.path.slice("/purge/".length))], soft, ids: [id] });
            this.sendJson(res, 200, { status: "ok", id });
            return;
        }
        const match = /^\/service\/([^/]+)\/(purge_all|purge)(?:\/([^/]+))?$/.exec(request.path);
        if (match === null) {
            this.sendJson(res, 404, { msg: "Record not found" });
            return;
        }
        const serviceId = decodeURIComponent(match[1]);
        if ((this.services !== "*" && !this.services.has(serviceId)) || (token.services !== undefined && !token.services.includes(serviceId))) {
            // The words are the emulator's: the docs show none for an unknown service.
            this.sendJson(res, 404, { msg: "Record not found", detail: `Cannot find service '${serviceId}'` });
            return;
        }
        if (match[2] === "purge_all") {
            if (!this.allows(token, "purge_all")) {
                this.forbidden(res);
                return;
            }
            // "Purge-all requests cannot be done in soft mode" (fastly-js): a soft header is ignored.
            this.purges.push({ kind: "all", serviceId, names: [], soft: false, ids: [] });
            this.sendJson(res, 200, { status: "ok" });
            return;
        }
        if (!this.allows(token, "purge_select")) {
            this.forbidden(res);
            return;
        }
        if (match[3] !== undefined) {
            const id = this.purgeId();
            this.purges.push({ kind: "key", serviceId, names: [decodeURIComponent(match[3])], soft, ids: [id] });
            this.sendJson(res, 200, { status: "ok", id });
            return;
        }
        this.bulk(request, res, serviceId, soft);
    }

    /** Keys from the JSON body's `surrogate_keys`, or else the space-separated `Surrogate-Key` header. */
    private bulk(request: RecordedRequest, res: http.ServerResponse, serviceId: string, soft: boolean): void {
        const fromBody = request.fields?.surrogate_keys;
        const keys = Array.isArray(fromBody) ? fromBody : (request.headers["surrogate-key"] ?? "").split(" ").filter((k) => k !== "");
        if (keys.length === 0 || keys.some((k) => typeof k !== "string" || k === "")) {
            this.sendJson(res, 400, { msg: "Bad request", detail: "surrogate_keys must be a non-empty list of keys" });
            return;
        }
        if (keys.length > MAX_KEYS) {
            this.sendJson(res, 400, { msg: "Bad request", detail: `at most ${MAX_KEYS} surrogate keys per request, got ${keys.length}` });
            return;
        }
        const answer: Record<string, string> = {};
        for (const key of keys as string[]) {
            answer[key] = this.purgeId();
        }
        this.purges.push({ kind: "keys", serviceId, names: keys as string[], soft, ids: Object.values(answer) });
        this.sendJson(res, 200, answer);
    }

    private allows(token: FastlyEmulatorToken, scope: string): boolean {
        return token.scopes.includes(scope) || token.scopes.includes("global");
    }

    private forbidden(res: http.ServerResponse): void {
        // The words are the emulator's choice.
        this.sendJson(res, 403, { msg: "You are not authorized to perform this action" });
    }

    /** Purge ids look like the API reference's example, `108-1391560174-974124`. */
    private purgeId(): string {
        return `${this.nextId++}-${Math.floor(Date.now() / 1000)}-${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
    }
}
