import { randomBytes } from "crypto";
import type * as http from "http";
import { Emulator, type RecordedRequest } from "../../testing/emulator";

export interface MicroStrategyProject {
    readonly id: string;
    readonly name: string;
}

/** One purge the emulator carried out, for assertions. */
export interface MicroStrategyPurge {
    readonly projectId: string;
    readonly cacheType: string;
    readonly pathVariant: "caches" | "cache";
    readonly username: string;
}

export interface EmulatedSession {
    readonly username: string;
    readonly jsessionid: string;
    open: boolean;
}

const PREFIX = "/MicroStrategyLibrary";
const PURGE_PATH = /^\/api\/monitors\/projects\/([^/]+)\/(caches|cache)\/([^/]+)$/;

function hex(bytes: number): string {
    return randomBytes(bytes).toString("hex").toUpperCase();
}

/**
 * A local MicroStrategy Library server for element/object cache purges (as MicroStrategy's REST API documents them):
 * login with form or JSON bodies, a token bound to session cookies (`JSESSIONID`, `iSession`), the
 * projects list, purge on `/caches/` and `/cache/`, logout, and the server's `{code, message, ticketId}`
 * error bodies.
 */
export class MicroStrategyEmulator extends Emulator {
    /** User name to password. */
    readonly users = new Map<string, string>();
    readonly projects: MicroStrategyProject[];
    readonly sessions = new Map<string, EmulatedSession>();
    /** Users without the Cache Administration privilege: their purges get 403 ERR014. */
    readonly unprivileged = new Set<string>();
    /** Refuse a token sent without the `JSESSIONID` cookie of its session, as a Library server behind its container does. */
    requireCookie = false;
    /** An older server: only `/cache/{type}` exists, `/caches/{type}` answers 404 ERR004. */
    onlyOldPath = false;
    readonly purges: MicroStrategyPurge[] = [];
    logins = 0;
    logouts = 0;

    constructor(options: { users?: Record<string, string>; projects?: MicroStrategyProject[] } = {}) {
        super();
        for (const [name, pass] of Object.entries(options.users ?? {})) {
            this.users.set(name, pass);
        }
        this.projects = options.projects ?? [];
    }

    get baseUrl(): string {
        return `${this.origin}${PREFIX}`;
    }

    /** A session opened outside the client under test, as a user who passes `authToken` and `cookies` has. */
    openSession(username: string): { token: string; cookies: string } {
        const token = randomBytes(13).toString("hex");
        const jsessionid = hex(16);
        this.sessions.set(token, { username, jsessionid, open: true });
        return { token, cookies: `JSESSIONID=${jsessionid}; iSession=${token}` };
    }

    protected route(request: RecordedRequest, res: http.ServerResponse): void {
        if (!request.path.startsWith(`${PREFIX}/api/`)) {
            this.error(res, 404, "ERR004", "HTTP 404 Not Found");
            return;
        }
        const path = request.path.slice(PREFIX.length);
        if (request.method === "POST" && path === "/api/auth/login") {
            this.login(request, res);
            return;
        }
        const session = this.authenticate(request, res);
        if (session === undefined) {
            return;
        }
        if (request.method === "POST" && path === "/api/auth/logout") {
            session.open = false;
            this.logouts++;
            this.sendEmpty(res, 204);
            return;
        }
        if (request.method === "GET" && path === "/api/projects") {
            this.sendJson(res, 200, this.projects.map((p) => ({ acg: 255, id: p.id, name: p.name, status: 0, alias: "", description: "" })));
            return;
        }
        const purge = PURGE_PATH.exec(path);
        if (request.method === "DELETE" && purge) {
            this.purge(res, session, decodeURIComponent(purge[1]), purge[2] as "caches" | "cache", decodeURIComponent(purge[3]));
            return;
        }
        this.error(res, 404, "ERR004", "HTTP 404 Not Found");
    }

    private login(request: RecordedRequest, res: http.ServerResponse): void {
        const fields = request.fields ?? {};
        const username = String(fields.username ?? "");
        const loginMode = Number(fields.loginMode ?? 1);
        if (![1, 16, 4096].includes(loginMode) || this.users.get(username) !== String(fields.password ?? "") || !this.users.has(username)) {
            this.error(res, 401, "ERR003", "Login failed");
            return;
        }
        this.logins++;
        const token = randomBytes(13).toString("hex");
        const jsessionid = hex(16);
        this.sessions.set(token, { username, jsessionid, open: true });
        res.writeHead(204, {
            "X-MSTR-AuthToken": token,
            "Set-Cookie": [`JSESSIONID=${jsessionid}; Path=${PREFIX}; HttpOnly`, `iSession=${token}; Path=${PREFIX}; HttpOnly`],
        });
        res.end();
    }

    private authenticate(request: RecordedRequest, res: http.ServerResponse): EmulatedSession | undefined {
        const token = request.headers["x-mstr-authtoken"] ?? "";
        const session = this.sessions.get(token);
        const cookies = new Map((request.headers.cookie ?? "").split(/;\s*/).map((c) => [c.split("=", 1)[0], c.slice(c.indexOf("=") + 1)] as const));
        const cookieOk = !this.requireCookie || cookies.get("JSESSIONID") === session?.jsessionid;
        if (session === undefined || !session.open || !cookieOk) {
            this.error(res, 401, "ERR009", "The user's session has expired, please reauthenticate");
            return undefined;
        }
        return session;
    }

    private purge(res: http.ServerResponse, session: EmulatedSession, projectId: string, variant: "caches" | "cache", cacheType: string): void {
        if (variant === "caches" && this.onlyOldPath) {
            this.error(res, 404, "ERR004", "HTTP 404 Not Found");
            return;
        }
        if (this.unprivileged.has(session.username)) {
            this.sendJson(res, 403, {
                code: "ERR014", iServerCode: -2147213784, ticketId: hex(16).toLowerCase(),
                message: "You do not have Cache Administration privilege(s) to perform the task.",
            });
            return;
        }
        if (cacheType !== "element" && cacheType !== "object") {
            this.error(res, 400, "ERR006", `Invalid cache type: ${cacheType}`);
            return;
        }
        if (!this.projects.some((p) => p.id === projectId)) {
            this.error(res, 400, "ERR006", `Project ${projectId} does not exist or is not loaded`);
            return;
        }
        this.purges.push({ projectId, cacheType, pathVariant: variant, username: session.username });
        this.sendEmpty(res, 204);
    }

    private error(res: http.ServerResponse, status: number, code: string, message: string): void {
        this.sendJson(res, status, { code, message, ticketId: hex(16).toLowerCase() });
    }
}
