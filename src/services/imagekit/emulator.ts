import { randomBytes } from "crypto";
import type * as http from "http";
import { Emulator, type RateWindow, type RecordedRequest } from "../../testing/emulator";
import { purgeUrlProblem } from "./url-rules";

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

    constructor(options: ImageKitEmulatorOptions) {
        super();
        this.privateKey = options.privateKey;
        this.pendingMs = options.pendingMs ?? 0;
        this.monthlyQuota = options.monthlyQuota ?? 1000;
        this.wildcardMode = options.wildcardMode ?? "rules";
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
        if (!this.authenticated(request)) {
            this.sendJson(res, 403, AUTH_FAILED);
            return;
        }
        if (request.method === "POST" && request.path === "/v1/files/purge") {
            this.purge(request, res);
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
        return decoded.split(":")[0] === this.privateKey;
    }

    private purge(request: RecordedRequest, res: http.ServerResponse): void {
        const url = request.fields?.url;
        if (typeof url !== "string" || url === "") {
            this.sendJson(res, 400, MISSING_URL);
            return;
        }
        if (purgeUrlProblem(url) !== undefined || (this.wildcardMode === "reject" && url.includes("*"))) {
            this.sendJson(res, 400, INVALID_URL);
            return;
        }
        const failStatus = this.failUrls.get(url);
        if (failStatus !== undefined) {
            this.sendJson(res, failStatus, failStatus >= 500 ? INTERNAL : INVALID_URL);
            return;
        }
        if (this.purges.length >= this.monthlyQuota) {
            this.sendJson(res, 403, QUOTA_EXCEEDED);
            return;
        }
        const purge = { url, requestId: randomBytes(12).toString("hex"), atMs: request.atMs };
        this.purges.push(purge);
        this.acceptedAt.set(purge.requestId, Date.now());
        this.sendJson(res, 201, { requestId: purge.requestId });
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
