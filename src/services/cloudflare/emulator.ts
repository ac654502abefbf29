import { randomBytes } from "crypto";
import type * as http from "http";
import { Emulator, type RecordedRequest } from "../../testing/emulator";

/** A Cloudflare plan, as the purge limits table names them. */
export type CloudflareEmulatorPlan = "free" | "pro" | "business" | "enterprise";

/** One purge the emulator carried out. */
export interface CloudflarePurge {
    readonly zoneId: string;
    /** The body field that named what to purge. */
    readonly kind: "files" | "tags" | "hosts" | "prefixes" | "purge_everything";
    /** URLs, tags, hosts or prefixes; empty for purge_everything. */
    readonly values: readonly string[];
    /** For files sent as `{url, headers}`, each entry's headers, in order. */
    readonly headers: readonly (Readonly<Record<string, string>> | undefined)[];
    readonly id: string;
}

export interface CloudflareEmulatorOptions {
    /** API token -> the zone ids it may purge (Zone > Cache Purge); `"*"` for every zone. */
    readonly tokens: Readonly<Record<string, readonly string[] | "*">>;
    /** The zones that exist; `"*"`: any zone id a request names (for offline runs of a user's own program). */
    readonly zones: readonly string[] | "*";
    /** The account's plan, which sets its purge limits. @default "free" */
    readonly plan?: CloudflareEmulatorPlan;
}

/**
 * Per plan: purge requests per second, bucket size, operations per request, URLs per request. From
 * developers.cloudflare.com/cache/how-to/purge-cache/ ("purge limits", updated 29 Jul 2026).
 */
const LIMITS: Readonly<Record<CloudflareEmulatorPlan, { perSecond: number; bucket: number; operations: number; urls: number }>> = {
    free: { perSecond: 5 / 60, bucket: 25, operations: 100, urls: 100 },
    pro: { perSecond: 5, bucket: 25, operations: 100, urls: 100 },
    business: { perSecond: 10, bucket: 50, operations: 100, urls: 100 },
    enterprise: { perSecond: 50, bucket: 500, operations: 100, urls: 500 },
};

const KINDS = ["files", "tags", "hosts", "prefixes", "purge_everything"] as const;

// The v4 envelope: {success, errors: [{code, message}], messages, result} (API reference; cloudflare-go's
// `Response`, cloudflare-typescript's `_thenUnwrap((obj) => obj.result)`).
function failure(code: number, message: string): Record<string, unknown> {
    return { success: false, errors: [{ code, message }], messages: [], result: null };
}

// 10000 "Authentication error" with 403: the answer reported for an unknown or unpermitted token
// (cloudflare/workers-sdk#2863, hieunc229/mailflare#1, favonia/cloudflare-ddns#897).
const AUTH_ERROR = failure(10000, "Authentication error");
// 1134 with 429 when the purge bucket is empty, as captured in purge clients' tests (`Unable to purge, rate
// limit reached…`); the docs' token bucket says when it refills; Retry-After is the REST API's (changelog 2025).
const RATE_LIMITED = failure(1134, "Unable to purge, rate limit reached. Please wait and consider throttling your request speed");

/**
 * A local Cloudflare purge API: `POST /client/v4/zones/{zone_id}/purge_cache` with a Bearer token and one
 * kind per body (the SDK's `CachePurgeParams` is a union of files, tags, hosts, prefixes, purge_everything),
 * the plan's operation caps, the plan's token bucket (429, code 1134, `Retry-After`), and the v4 envelope
 * with `result.id` on success. Purges are instant, so success means done.
 */
export class CloudflareEmulator extends Emulator {
    readonly purges: CloudflarePurge[] = [];
    readonly tokens: Map<string, readonly string[] | "*">;
    readonly zones: Set<string> | "*";
    plan: CloudflareEmulatorPlan;
    /** Answer success with `"success": false` and no errors: a body no client should take as a purge. */
    answerSuccessFalse = false;
    private tokensLeft: number;
    private refilledMs = Date.now();

    constructor(options: CloudflareEmulatorOptions) {
        super();
        this.tokens = new Map(Object.entries(options.tokens));
        this.zones = options.zones === "*" ? "*" : new Set(options.zones);
        this.plan = options.plan ?? "free";
        this.tokensLeft = LIMITS[this.plan].bucket;
    }

    get baseUrl(): string {
        return `${this.origin}/client/v4`;
    }

    /** How many purge requests the bucket holds now (tests empty it to see a 429). */
    setBucket(tokens: number): void {
        this.refill();
        this.tokensLeft = tokens;
    }

    protected route(request: RecordedRequest, res: http.ServerResponse): void {
        const match = /^\/client\/v4\/zones\/([^/]+)\/purge_cache$/.exec(request.path);
        if (match === null) {
            // Cloudflare's answer to an unknown route (code 7003, "Could not route to …").
            this.sendJson(res, 400, failure(7003, `Could not route to ${request.path}, perhaps your object identifier is invalid?`));
            return;
        }
        if (request.method !== "POST") {
            this.sendJson(res, 405, failure(10405, "Method not allowed"));
            return;
        }
        const zoneId = decodeURIComponent(match[1]);
        const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "")?.[1];
        const allowed = bearer === undefined ? undefined : this.tokens.get(bearer);
        if (allowed === undefined || (allowed !== "*" && !allowed.includes(zoneId))) {
            this.sendJson(res, 403, AUTH_ERROR);
            return;
        }
        if (this.zones !== "*" && !this.zones.has(zoneId)) {
            this.sendJson(res, 400, failure(7003, `Could not route to /zones/${zoneId}/purge_cache, perhaps your object identifier is invalid?`));
            return;
        }
        // The bucket counts requests that reach the purge service, so the rate check follows authentication.
        if (!this.takeToken()) {
            const retryAfter = Math.max(1, Math.ceil((1 - this.tokensLeft) / LIMITS[this.plan].perSecond));
            this.rateLimited++;
            this.sendJson(res, 429, RATE_LIMITED, { "retry-after": String(retryAfter) });
            return;
        }
        const body = request.fields ?? {};
        const present = KINDS.filter((kind) => body[kind] !== undefined);
        if (present.length !== 1) {
            // One kind per request (the SDK's union); the code is the emulator's choice, the docs name none.
            this.sendJson(res, 400, failure(1012, `Request must contain exactly one of ${KINDS.join(", ")}, got ${present.join(", ") || "none"}`));
            return;
        }
        const kind = present[0];
        if (kind === "purge_everything") {
            this.accept(res, { zoneId, kind, values: [], headers: [] }, body.purge_everything === true);
            return;
        }
        const list = body[kind];
        if (!Array.isArray(list) || list.length === 0) {
            this.sendJson(res, 400, failure(1012, `${kind} must be a non-empty array`));
            return;
        }
        // "Max operations per request": 100, except 500 URLs on Enterprise (purge limits table).
        const cap = kind === "files" ? LIMITS[this.plan].urls : LIMITS[this.plan].operations;
        if (list.length > cap) {
            this.sendJson(res, 400, failure(1012, `Too many ${kind} in one request: ${list.length}, the ${this.plan} plan allows ${cap}`));
            return;
        }
        // Files are URLs, or `{url, headers}` for custom cache keys (API reference, "Purge Cached Content by URL").
        const values = list.map((entry: unknown) => (typeof entry === "string" ? entry : (entry as { url?: unknown })?.url));
        if (values.some((v) => typeof v !== "string" || v === "")) {
            this.sendJson(res, 400, failure(1012, `every entry of ${kind} must be a string${kind === "files" ? " or {url, headers}" : ""}`));
            return;
        }
        const headers = list.map((entry: unknown) => (typeof entry === "object" && entry !== null ? (entry as { headers?: Record<string, string> }).headers : undefined));
        this.accept(res, { zoneId, kind, values: values as string[], headers }, true);
    }

    private accept(res: http.ServerResponse, purge: Omit<CloudflarePurge, "id">, valid: boolean): void {
        if (!valid) {
            this.sendJson(res, 400, failure(1012, "purge_everything must be true"));
            return;
        }
        if (this.answerSuccessFalse) {
            this.sendJson(res, 200, { success: false, errors: [], messages: [], result: null });
            return;
        }
        const id = randomBytes(16).toString("hex");
        this.purges.push({ ...purge, id });
        this.sendJson(res, 200, { success: true, errors: [], messages: [], result: { id } });
    }

    /** Cloudflare's token bucket: refilled at the plan's rate up to its size; a request takes one. */
    private takeToken(): boolean {
        this.refill();
        if (this.tokensLeft < 1) {
            return false;
        }
        this.tokensLeft -= 1;
        return true;
    }

    private refill(): void {
        const now = Date.now();
        const { perSecond, bucket } = LIMITS[this.plan];
        this.tokensLeft = Math.min(bucket, this.tokensLeft + ((now - this.refilledMs) / 1000) * perSecond);
        this.refilledMs = now;
    }
}
