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
    /** Authenticated requests served, for `sessionLifetimeRequests`. */
    uses: number;
    /** The load balancer's sticky cookie last set for this session, when `rotateStickyCookie` is on. */
    sticky?: string;
}

/** The load balancer's stickiness cookie, as an AWS Application Load Balancer names it. */
export const STICKY_COOKIE = "AWSALB";

const PREFIX = "/MicroStrategyLibrary";
const PURGE_PATH = /^\/api\/monitors\/projects\/([^/]+)\/(caches|cache)\/([^/]+)$/;

function hex(bytes: number): string {
    return randomBytes(bytes).toString("hex").toUpperCase();
}

/**
 * A local MicroStrategy Library server for element/object cache purges (as MicroStrategy's REST API and
 * mstrio-py behave): login with form or JSON bodies for users and passwords, and with an API token only as Strategy
 * and mstrio-py send it (JSON `{"loginMode": 4096, "username": <token>}`); a token bound to session
 * cookies (`JSESSIONID`, `iSession`); optionally a load balancer that rotates a sticky cookie on every
 * answer and sessions that time out after a number of requests; the projects list, purge on `/caches/`
 * and `/cache/` (204), logout, and the server's `{code, message, ticketId}` error bodies.
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
    /**
     * A load balancer in front of several Library nodes that sets a new sticky cookie on every answer:
     * a request that carries any other value than the last one set lands on a node without the session
     * and gets 401 ERR009.
     */
    rotateStickyCookie = false;
    /** How many authenticated requests a session serves before it times out (401 ERR009); unlimited when undefined. */
    sessionLifetimeRequests: number | undefined;
    /** API token (loginMode 4096) to the user it logs in as. */
    readonly apiTokens = new Map<string, string>();
    readonly purges: MicroStrategyPurge[] = [];
    logins = 0;
    logouts = 0;

    constructor(options: { users?: Record<string, string>; projects?: MicroStrategyProject[]; apiTokens?: Record<string, string> } = {}) {
        super();
        for (const [name, pass] of Object.entries(options.users ?? {})) {
            this.users.set(name, pass);
        }
        for (const [token, user] of Object.entries(options.apiTokens ?? {})) {
            this.apiTokens.set(token, user);
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
        this.sessions.set(token, { username, jsessionid, open: true, uses: 0 });
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

    /**
     * Modes 1 and 16 take `username` and `password` (form or JSON). Mode 4096 takes the API token as
     * `username` in a JSON body and ignores everything else, as Strategy documents and mstrio-py sends it.
     */
    private login(request: RecordedRequest, res: http.ServerResponse): void {
        const fields = request.fields ?? {};
        const loginMode = Number(fields.loginMode ?? 1);
        const json = (request.headers["content-type"] ?? "").includes("application/json");
        let username: string | undefined;
        if (loginMode === 4096) {
            username = json ? this.apiTokens.get(String(fields.username ?? "")) : undefined;
        } else if (loginMode === 1 || loginMode === 16) {
            const name = String(fields.username ?? "");
            username = this.users.has(name) && this.users.get(name) === String(fields.password ?? "") ? name : undefined;
        }
        if (username === undefined) {
            this.error(res, 401, "ERR003", "Login failed");
            return;
        }
        this.logins++;
        const token = randomBytes(13).toString("hex");
        const jsessionid = hex(16);
        const session: EmulatedSession = { username, jsessionid, open: true, uses: 0 };
        this.sessions.set(token, session);
        res.writeHead(204, {
            "X-MSTR-AuthToken": token,
            "Set-Cookie": [`JSESSIONID=${jsessionid}; Path=${PREFIX}; HttpOnly`, `iSession=${token}; Path=${PREFIX}; HttpOnly`, ...this.rotateSticky(session)],
        });
        res.end();
    }

    /** A new sticky cookie for the session's next request, when the load balancer rotates them. */
    private rotateSticky(session: EmulatedSession): string[] {
        if (!this.rotateStickyCookie) {
            return [];
        }
        session.sticky = hex(12);
        return [`${STICKY_COOKIE}=${session.sticky}; Path=/; Expires=${new Date(Date.now() + 7 * 86_400_000).toUTCString()}`];
    }

    private authenticate(request: RecordedRequest, res: http.ServerResponse): EmulatedSession | undefined {
        const token = request.headers["x-mstr-authtoken"] ?? "";
        const session = this.sessions.get(token);
        const cookies = new Map((request.headers.cookie ?? "").split(/;\s*/).map((c) => [c.split("=", 1)[0], c.slice(c.indexOf("=") + 1)] as const));
        const cookieOk = !this.requireCookie || cookies.get("JSESSIONID") === session?.jsessionid;
        const stickyOk = !this.rotateStickyCookie || session?.sticky === undefined || cookies.get(STICKY_COOKIE) === session.sticky;
        if (session !== undefined && this.sessionLifetimeRequests !== undefined && session.uses >= this.sessionLifetimeRequests) {
            session.open = false;
        }
        if (session === undefined || !session.open || !cookieOk || !stickyOk) {
            this.error(res, 401, "ERR009", "The user's session has expired, please reauthenticate");
            return undefined;
        }
        session.uses++;
        const sticky = this.rotateSticky(session);
        if (sticky.length > 0) {
            res.setHeader("Set-Cookie", sticky);
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
