import { randomBytes } from "crypto";
import type * as http from "http";
import { Emulator, type RateWindow, type RecordedRequest } from "../../testing/emulator";

/** A cache as the emulator holds it; the listed fields are Codemagic's own. */
export interface CodemagicEmulatorCache {
    readonly _id: string;
    readonly appId: string;
    readonly workflowId: string;
    readonly size: number;
    /** Codemagic's format: `2022-02-18T13:29:05.541+0000`. */
    readonly lastUsed: string;
}

/** A cache to seed an app with; `_id`, `size` and `lastUsed` are made up when left out. */
export interface CodemagicCacheSeed {
    readonly workflowId: string;
    readonly _id?: string;
    readonly size?: number;
    readonly lastUsed?: Date | string;
}

/** The answer Codemagic gives to an accepted deletion. */
export const DELETION_MESSAGE = "Cache deletion was started asynchronously, it will be completed in a moment";

// Codemagic documents no error bodies; these are synthetic and stable (shared/api-contracts.md §1).
const UNAUTHORIZED = { error: "Unauthorized" };
const FORBIDDEN = { error: "You do not have access to this application" };
const APP_NOT_FOUND = { error: "Application not found" };
const CACHE_NOT_FOUND = { error: "Cache not found" };
const ROUTE_NOT_FOUND = { error: "Not found" };

/** Codemagic writes times with milliseconds and a colon-less offset. */
export function codemagicTime(date: Date): string {
    return date.toISOString().replace("Z", "+0000");
}

export function newObjectId(): string {
    return randomBytes(12).toString("hex");
}

/**
 * A local Codemagic legacy REST API for build caches, as Codemagic documents it: list, delete all and
 * delete one, answered as documented (202 with the ids and Codemagic's message). Deleted caches stay
 * listed for `deletionDelayMs`, as Codemagic deletes them asynchronously, so clients must poll. Tokens
 * see all apps or a chosen few: 401 without a known token, 403 for an app it may not see, 404 for an
 * unknown app or cache. Rate-limit headers are the v3 API's `ratelimit-*` (reset in seconds remaining)
 * by default, or the legacy `X-RateLimit-*` (reset in epoch seconds).
 */
export class CodemagicEmulator extends Emulator {
    /** Milliseconds between accepting a deletion and the cache leaving the list. */
    deletionDelayMs = 200;
    /**
     * `v3`: `ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset` in seconds remaining, as the v3
     * OpenAPI description documents them; `legacy`: `X-RateLimit-*` with the reset in epoch seconds, as
     * codemagic-docs showed them until 2025-09.
     */
    rateLimitHeaderStyle: "v3" | "legacy" = "v3";
    /** Answer an accepted deletion with 202 and an empty body, as an intermediary that drops bodies would. */
    emptyDeletionBody = false;
    /** A token stops working after this many requests (revoked or regenerated mid-run): 401 from then on. */
    tokenLifetimeRequests: number | undefined;
    private tokenUses = 0;
    /** Accepted deletions, in order, for assertions: one entry per cache per DELETE. */
    readonly deletions: Array<{ readonly appId: string; readonly cacheId: string }> = [];

    private readonly apps = new Map<string, CodemagicEmulatorCache[]>();
    private readonly tokens = new Map<string, ReadonlySet<string> | "all">();
    private readonly deleting = new Map<string, NodeJS.Timeout>();

    get baseUrl(): string {
        return this.origin;
    }

    /** A token that may see `appIds`, or every app when none are given. */
    addToken(token: string, appIds?: readonly string[]): this {
        this.tokens.set(token, appIds === undefined ? "all" : new Set(appIds));
        return this;
    }

    /** Adds (or replaces) an app and its caches; returns the caches as listed. */
    addApp(appId: string, caches: readonly CodemagicCacheSeed[] = []): CodemagicEmulatorCache[] {
        this.apps.set(appId, []);
        return this.addCaches(appId, caches);
    }

    /** Adds caches to an app, as builds would. */
    addCaches(appId: string, caches: readonly CodemagicCacheSeed[]): CodemagicEmulatorCache[] {
        const list = this.appCaches(appId);
        const added = caches.map((seed) => ({
            _id: seed._id ?? newObjectId(),
            appId,
            workflowId: seed.workflowId,
            size: seed.size ?? 50_000_000,
            lastUsed: typeof seed.lastUsed === "string" ? seed.lastUsed : codemagicTime(seed.lastUsed ?? new Date()),
        }));
        list.push(...added);
        return added;
    }

    /** The caches of an app as `GET` lists them, those being deleted included. */
    caches(appId: string): readonly CodemagicEmulatorCache[] {
        return [...(this.apps.get(appId) ?? [])];
    }

    /** Whether a deletion of the cache was accepted and has not finished yet. */
    isDeleting(cacheId: string): boolean {
        return this.deleting.has(cacheId);
    }

    override async stop(): Promise<void> {
        for (const timer of this.deleting.values()) {
            clearTimeout(timer);
        }
        this.deleting.clear();
        await super.stop();
    }

    protected override rateLimitHeaders(window: RateWindow): Record<string, string> {
        if (this.rateLimitHeaderStyle === "v3") {
            return {
                "ratelimit-limit": String(window.limit),
                "ratelimit-remaining": String(window.remaining),
                "ratelimit-reset": String(Math.max(0, Math.ceil((window.resetAtMs - Date.now()) / 1000))),
            };
        }
        return {
            "X-RateLimit-Limit": String(window.limit),
            "X-RateLimit-Remaining": String(window.remaining),
            "X-RateLimit-Reset": String(Math.ceil(window.resetAtMs / 1000)),
        };
    }

    protected override rateLimitedBody(): string {
        return JSON.stringify({ error: "Rate limit exceeded" });
    }

    protected route(request: RecordedRequest, res: http.ServerResponse): void {
        const match = /^\/apps\/([^/]+)\/caches(?:\/([^/]+))?\/?$/.exec(request.path);
        if (match === null) {
            this.sendJson(res, 404, ROUTE_NOT_FOUND);
            return;
        }
        const appId = decodeURIComponent(match[1]);
        const cacheId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
        const allowed = request.method === "DELETE" || (request.method === "GET" && cacheId === undefined);
        if (!allowed) {
            this.sendJson(res, 405, { error: "Method not allowed" });
            return;
        }
        const access = this.tokens.get(request.headers["x-auth-token"] ?? "");
        const expired = this.tokenLifetimeRequests !== undefined && this.tokenUses++ >= this.tokenLifetimeRequests;
        if (access === undefined || expired) {
            this.sendJson(res, 401, UNAUTHORIZED);
            return;
        }
        const caches = this.apps.get(appId);
        if (caches === undefined) {
            this.sendJson(res, 404, APP_NOT_FOUND);
            return;
        }
        if (access !== "all" && !access.has(appId)) {
            this.sendJson(res, 403, FORBIDDEN);
            return;
        }
        if (request.method === "GET") {
            this.sendJson(res, 200, { caches });
            return;
        }
        const targets = cacheId === undefined ? [...caches] : caches.filter((c) => c._id === cacheId);
        if (cacheId !== undefined && targets.length === 0) {
            this.sendJson(res, 404, CACHE_NOT_FOUND);
            return;
        }
        for (const cache of targets) {
            this.startDeletion(appId, cache._id);
        }
        if (this.emptyDeletionBody) {
            this.sendEmpty(res, 202);
            return;
        }
        this.sendJson(res, 202, { caches: targets.map((c) => c._id), message: DELETION_MESSAGE });
    }

    private startDeletion(appId: string, cacheId: string): void {
        this.deletions.push({ appId, cacheId });
        // Deleting again restarts the deletion with the current delay, so a test can let a stuck one finish.
        clearTimeout(this.deleting.get(cacheId));
        this.deleting.delete(cacheId);
        const finish = () => {
            this.deleting.delete(cacheId);
            const list = this.appCaches(appId);
            const index = list.findIndex((c) => c._id === cacheId);
            if (index >= 0) {
                list.splice(index, 1);
            }
        };
        if (this.deletionDelayMs <= 0) {
            finish();
            return;
        }
        const timer = setTimeout(finish, this.deletionDelayMs);
        timer.unref();
        this.deleting.set(cacheId, timer);
    }

    private appCaches(appId: string): CodemagicEmulatorCache[] {
        let list = this.apps.get(appId);
        if (list === undefined) {
            list = [];
            this.apps.set(appId, list);
        }
        return list;
    }
}
