import { randomBytes } from "crypto";
import type * as http from "http";
import { Emulator, type RateLimitConfig, type RateWindow, type RecordedRequest } from "../../testing/emulator";

/** One purge the emulator accepted. */
export interface ImageKitPurge {
    readonly url: string;
    readonly requestId: string;
    /** Milliseconds since the emulator started, when it was accepted. */
    readonly atMs: number;
}

export interface ImageKitEmulatorOptions {
    /** The private key the emulator accepts as the Basic auth user. */
    readonly privateKey: string;
    /** How long a purge reads `Pending` before `Completed`. @default 0 */
    readonly pendingMs?: number;
    /** Purge requests the account may still make this month. @default 1000 */
    readonly monthlyQuota?: number;
    /** `reject`: no wildcard at all (older docs); `rules`: a trailing `*` where ImageKit allows it. @default "rules" */
    readonly wildcardMode?: "reject" | "rules";
    /**
     * The account's URL endpoints (`https://ik.imagekit.io/<id>/<pattern>`, a custom domain): a wildcard is
     * judged on the path after the endpoint a URL is under. @default - only `https://ik.imagekit.io/<id>`
     */
    readonly urlEndpoints?: readonly string[];
}

const HELP = "For support kindly contact us at support@imagekit.io .";
const AUTH_FAILED = { message: "Your account cannot be authenticated.", help: HELP };
const MISSING_URL = { message: "Your request is missing URL parameter.", help: HELP };
const INVALID_URL = { message: "Invalid url" };
const NO_REQUEST = { message: "No request found for this requestId.", help: HELP };
const INTERNAL = { message: "We have experienced an internal error while processing your request.", help: HELP };
// ImageKit does not document the answer to an exhausted monthly quota; 403 is the emulator's choice (api-contracts §4).
const QUOTA_EXCEEDED = { message: "You have exceeded the monthly purge request limit.", help: HELP };

/**
 * A local ImageKit purge API, as ImageKit documents it: `POST /v1/files/purge` answers 201 with a
 * 24-hex `requestId`, `GET /v1/files/purge/:requestId` reads `Pending` for `pendingMs` and then
 * `Completed`; the vendor's 400/403 bodies; the account rate limit with `X-RateLimit-Limit`,
 * `X-RateLimit-Reset` (milliseconds to wait) and `X-RateLimit-Interval`; a monthly quota; and URLs that
 * fail every time (`failUrls`).
 */
export class ImageKitEmulator extends Emulator {
    readonly purges: ImageKitPurge[] = [];
    /** URL -> the status every purge of it answers (500 and 400 carry ImageKit's bodies). */
    readonly failUrls = new Map<string, number>();
    /** Status reads, for assertions on polling. */
    statusReads = 0;
    private readonly acceptedAt = new Map<string, number>();
    privateKey: string;
    pendingMs: number;
    monthlyQuota: number;
    wildcardMode: "reject" | "rules";
    urlEndpoints: string[];
    /**
     * Several account limits at once, as ImageKit applies them (100 per second and 1,000 per 15 minutes,
     * say). Each answer carries the headers of the limit closest to being spent; a 429 those of the one
     * spent. Used instead of `rateLimit` when not empty.
     */
    rateLimits: RateLimitConfig[] = [];
    /** Answer accepted purges with `{}`: the id is optional in ImageKit's own types. */
    omitRequestId = false;
    /** The private key stops working after this many requests (revoked in the dashboard mid-run). */
    keyLifetimeRequests: number | undefined;
    /** The status and message of a spent monthly quota; undocumented, so tests choose. */
    quotaAnswer: { status: 403 | 429; message: string } = { status: 403, message: QUOTA_EXCEEDED.message };
    private keyUses = 0;
    private readonly windows = new Map<RateLimitConfig, { startMs: number; used: number }>();

    constructor(options: ImageKitEmulatorOptions) {
        super();
        this.privateKey = options.privateKey;
        this.pendingMs = options.pendingMs ?? 0;
        this.monthlyQuota = options.monthlyQuota ?? 1000;
        this.wildcardMode = options.wildcardMode ?? "rules";
        this.urlEndpoints = [...(options.urlEndpoints ?? [])];
    }

    get baseUrl(): string {
        return this.origin;
    }

    /** The URLs purged, in the order they were accepted. */
    get purgedUrls(): string[] {
        return this.purges.map((p) => p.url);
    }

    protected override rateLimitHeaders(window: RateWindow): Record<string, string> {
        return {
            "x-ratelimit-limit": String(window.limit),
            "x-ratelimit-reset": String(Math.max(0, window.resetAtMs - Date.now())),
            "x-ratelimit-interval": String(window.windowMs),
        };
    }

    protected override rateLimitedBody(): string {
        return JSON.stringify({ message: "Too many requests", help: HELP });
    }

    protected route(request: RecordedRequest, res: http.ServerResponse): void {
        if (!this.withinLimits(res)) {
            return;
        }
        if (!this.authenticated(request)) {
            this.sendJson(res, 403, AUTH_FAILED);
            return;
        }
        if (request.method === "POST" && request.path === "/v1/files/purge") {
            this.purge(request, res);
            return;
        }
        // "List and search assets" (docs: api-reference/digital-asset-management-dam/list-and-search-assets;
        // the SDKs' assets.list): GET /v1/files, a JSON list; this emulator holds no files.
        if (request.method === "GET" && request.path === "/v1/files") {
            this.sendJson(res, 200, []);
            return;
        }
        const status = /^\/v1\/files\/purge\/([^/]+)$/.exec(request.path);
        if (request.method === "GET" && status) {
            this.status(decodeURIComponent(status[1]), res);
            return;
        }
        this.sendJson(res, 404, { message: "Not found", help: HELP });
    }

    private authenticated(request: RecordedRequest): boolean {
        const match = /^Basic (.+)$/.exec(request.headers.authorization ?? "");
        if (!match) {
            return false;
        }
        const decoded = Buffer.from(match[1], "base64").toString("utf8");
        // ImageKit ignores the password; only the user names the account.
        const revoked = this.keyLifetimeRequests !== undefined && this.keyUses++ >= this.keyLifetimeRequests;
        return decoded.split(":")[0] === this.privateKey && !revoked;
    }

    /** Counts the request in every limit's window; answers 429 when one is spent. Headers go on every answer. */
    private withinLimits(res: http.ServerResponse): boolean {
        if (this.rateLimits.length === 0) {
            return true;
        }
        const now = Date.now();
        const states = this.rateLimits.map((limit) => {
            let window = this.windows.get(limit);
            if (window === undefined || now >= window.startMs + limit.windowMs) {
                window = { startMs: now, used: 0 };
                this.windows.set(limit, window);
            }
            return { limit, window };
        });
        const spent = states.find((s) => s.window.used >= s.limit.limit);
        if (spent === undefined) {
            for (const s of states) {
                s.window.used++;
            }
        }
        const shown = spent ?? [...states].sort((a, b) => (a.limit.limit - a.window.used) / a.limit.limit - (b.limit.limit - b.window.used) / b.limit.limit)[0];
        if (!this.omitRateLimitHeaders) {
            for (const [name, value] of Object.entries(this.rateLimitHeaders({
                limit: shown.limit.limit, remaining: shown.limit.limit - shown.window.used, resetAtMs: shown.window.startMs + shown.limit.windowMs, windowMs: shown.limit.windowMs,
            }))) {
                res.setHeader(name, value);
            }
        }
        if (spent !== undefined) {
            this.rateLimited++;
            this.sendJson(res, 429, JSON.parse(this.rateLimitedBody()));
            return false;
        }
        return true;
    }

    private purge(request: RecordedRequest, res: http.ServerResponse): void {
        const url = request.fields?.url;
        if (typeof url !== "string" || url === "") {
            this.sendJson(res, 400, MISSING_URL);
            return;
        }
        if (!this.acceptsUrl(url)) {
            this.sendJson(res, 400, INVALID_URL);
            return;
        }
        const failStatus = this.failUrls.get(url);
        if (failStatus !== undefined) {
            this.sendJson(res, failStatus, failStatus >= 500 ? INTERNAL : INVALID_URL);
            return;
        }
        if (this.purges.length >= this.monthlyQuota) {
            this.sendJson(res, this.quotaAnswer.status, { message: this.quotaAnswer.message, help: HELP });
            return;
        }
        const purge = { url, requestId: randomBytes(12).toString("hex"), atMs: request.atMs };
        this.purges.push(purge);
        this.acceptedAt.set(purge.requestId, Date.now());
        this.sendJson(res, 201, this.omitRequestId ? {} : { requestId: purge.requestId });
    }

    /**
     * ImageKit's URL rules, read from its docs on their own (not shared with the client, whose reading
     * this checks): an absolute http(s) URL; at most one `*`, last; and a wildcard only when the path
     * after the ImageKit id and the URL endpoint's pattern has two levels, 15 characters or a file
     * extension, and never for `media/catalog/*` or `s/files/*`.
     */
    private acceptsUrl(raw: string): boolean {
        if (!/^https?:\/\/[^/\s]+/i.test(raw)) {
            return false;
        }
        const stars = raw.split("*").length - 1;
        if (stars === 0) {
            return true;
        }
        if (this.wildcardMode === "reject" || stars > 1 || !raw.endsWith("*") || /[?#]/.test(raw)) {
            return false;
        }
        const judged = this.judgedPath(raw.slice(0, -1));
        if (judged === "media/catalog/" || judged === "s/files/") {
            return false;
        }
        const depth = judged.split("/").filter(Boolean).length;
        return depth >= 2 || judged.length >= 15 || /\.\w+$/.test(judged);
    }

    /** The path after the longest URL endpoint the URL is under; on ik.imagekit.io at least the id goes. */
    private judgedPath(withoutStar: string): string {
        const endpoint = this.urlEndpoints
            .map((e) => e.replace(/\/+$/, "") + "/")
            .filter((e) => withoutStar.startsWith(e))
            .sort((a, b) => b.length - a.length)[0];
        if (endpoint !== undefined) {
            return decodeURI(withoutStar.slice(endpoint.length));
        }
        const { host, pathname } = new URL(withoutStar);
        const path = decodeURI(pathname).replace(/^\//, "");
        return host === "ik.imagekit.io" ? path.slice(path.indexOf("/") + 1 || path.length) : path;
    }

    private status(requestId: string, res: http.ServerResponse): void {
        this.statusReads++;
        const purge = this.purges.find((p) => p.requestId === requestId);
        if (purge === undefined) {
            this.sendJson(res, 400, NO_REQUEST);
            return;
        }
        const age = Date.now() - (this.acceptedAt.get(requestId) ?? 0);
        this.sendJson(res, 200, { status: age >= this.pendingMs ? "Completed" : "Pending" });
    }
}
