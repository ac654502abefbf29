import type { CredentialValues } from "../../core/credentials";
import { PartialPurgeError, PurgeError } from "../../core/errors";
import type { PurgePlan } from "../../core/plan";
import type { PurgeContext, PurgeOutcome, PurgeService } from "../../core/service";
import {
    apiUrl, type Connection, CookieJar, deleteCache, isNoRoute, isRetryableStatus, isSessionExpired, listProjects, type Login, login, logout,
    MicroStrategyApiError, microStrategyErrorMessage, type PathVariant, type Project, purgeUrl, type Session,
} from "./client";
import { authToken, credentials, PASS_API_TOKEN, PASS_PASSWORD } from "./credentials";
import {
    type CacheType, CACHE_TYPES, type LoginMode, microStrategyCrossCheck, microStrategyInputShape, type MicroStrategyInputs, type ProjectRef,
} from "./schema";

const NAME = "microstrategy";

export type Auth =
    | { readonly kind: "session"; readonly session: Session }
    | { readonly kind: "login"; readonly login: Login };

/**
 * A session token wins (an existing session the user chose to reuse), then an API token, then a user and
 * password.
 */
export function chooseAuth(values: CredentialValues, loginMode: LoginMode): Auth {
    if (values.authToken) {
        return { kind: "session", session: { token: values.authToken, cookies: CookieJar.fromHeader(values.cookies) } };
    }
    if (values.apiToken) {
        return { kind: "login", login: { kind: "apiToken", apiToken: values.apiToken } };
    }
    if (values.username && values.password && loginMode !== 4096) {
        return { kind: "login", login: { kind: "password", username: values.username, password: values.password, loginMode } };
    }
    const half = values.username ? "a user name but no password" : values.password ? "a password but no user name" : "no credentials";
    throw new PurgeError(`${NAME}: ${half}; either ${PASS_API_TOKEN}; or ${PASS_PASSWORD}; `
        + `or pass authToken (and cookies) of an open session, run \`pulumi config set --secret ${authToken.configKey} <token>\`, or set ${authToken.envVar}`);
}

export function scopeOf(inputs: MicroStrategyInputs): string {
    return `${inputs.baseUrl} project ${inputs.project.id ?? `named ${JSON.stringify(inputs.project.name)}`}`;
}

export function describeRequests(inputs: MicroStrategyInputs, keys: readonly string[]): string[] {
    const { id, name } = inputs.project;
    const deletes = keys.map((key) => {
        const url = id !== undefined
            ? purgeUrl(inputs.baseUrl, id, key as CacheType, "caches").toString()
            : `${inputs.baseUrl}/api/monitors/projects/{id of ${JSON.stringify(name)}}/caches/${key}`;
        return `DELETE ${url}`;
    });
    return id !== undefined || keys.length === 0 ? deletes : [`GET ${apiUrl(inputs.baseUrl, ["projects"]).toString()}`, ...deletes];
}

/** Names are matched exactly, as MicroStrategy shows them; a miss lists what the server has. */
export async function resolveProject(conn: Connection, session: Session, ref: ProjectRef): Promise<{ id: string; name?: string }> {
    if (ref.id !== undefined) {
        return { id: ref.id };
    }
    const projects = await listProjects(conn, session);
    const matches = projects.filter((p) => p.name === ref.name);
    if (matches.length === 1) {
        return { id: matches[0].id.toUpperCase(), name: matches[0].name };
    }
    throw new PurgeError(matches.length === 0
        ? `${NAME}: no project named ${JSON.stringify(ref.name)} on ${conn.baseUrl}; projects found: ${listNames(projects)}`
        : `${NAME}: ${matches.length} projects are named ${JSON.stringify(ref.name)} on ${conn.baseUrl} `
            + `(ids ${matches.map((p) => p.id).join(", ")}); pass project.id instead`);
}

function listNames(projects: readonly Project[]): string {
    return projects.length === 0 ? "none (the user sees no loaded project)" : projects.map((p) => JSON.stringify(p.name)).join(", ");
}

/** What one purge run learned, for the receipt. */
interface Progress {
    variant: PathVariant;
    readonly ticketIds: string[];
}

/**
 * Purges one cache type: `/caches/` first, and once a server answered 404 ERR004 there, `/cache/` for
 * this and every later call of the run.
 */
async function purgeCacheType(conn: Connection, session: Session, projectId: string, type: CacheType, progress: Progress): Promise<void> {
    if (progress.variant === "caches") {
        try {
            await deleteCache(conn, session, projectId, type, "caches");
            return;
        } catch (error) {
            if (!isNoRoute(error)) {
                throw error;
            }
            if (error.ticketId) {
                progress.ticketIds.push(error.ticketId);
            }
            progress.variant = "cache";
        }
    }
    try {
        await deleteCache(conn, session, projectId, type, "cache");
    } catch (error) {
        if (isNoRoute(error)) {
            error.message += "; the server knows neither /caches/ nor /cache/: cache purge needs MicroStrategy 2021 Update 8 (11.3.0800) or later";
        }
        throw error;
    }
}

/**
 * The session of a run. A session this package opened and that expires mid-run (the server's session
 * timeout, an administrator ending it) is replaced once by a fresh login; a second expiry fails the purge,
 * as a server that ends every session at once will not be fixed by logging in again and again.
 */
class RunSession {
    relogins = 0;
    private readonly opened: Session[] = [];

    constructor(
        private readonly ctx: PurgeContext<MicroStrategyInputs>,
        readonly conn: Connection,
        private readonly how: Login | undefined,
        public current: Session,
    ) {
        if (how !== undefined) {
            this.opened.push(current);
        }
    }

    static async open(ctx: PurgeContext<MicroStrategyInputs>, conn: Connection, auth: Auth): Promise<RunSession> {
        if (auth.kind === "session") {
            return new RunSession(ctx, conn, undefined, auth.session);
        }
        return new RunSession(ctx, conn, auth.login, await loginAndHide(ctx, conn, auth.login));
    }

    /** Runs a call with the session; on an expired session it logs in once more and runs the call again. */
    async use<T>(work: (session: Session) => Promise<T>): Promise<T> {
        try {
            return await work(this.current);
        } catch (error) {
            if (!isSessionExpired(error) || this.how === undefined || this.relogins > 0) {
                throw error;
            }
        }
        this.relogins++;
        this.ctx.log.warn(`${NAME}: the session expired during the purge; logging in again (once)`);
        this.current = await loginAndHide(this.ctx, this.conn, this.how);
        this.opened.push(this.current);
        try {
            return await work(this.current);
        } catch (error) {
            if (isSessionExpired(error)) {
                error.message += "; the session expired again right after a fresh login: check the server's session timeout";
            }
            throw error;
        }
    }

    /** Ends the sessions this run opened; the user's own session is theirs to end. */
    async close(): Promise<void> {
        for (const session of this.opened) {
            try {
                await logout(this.conn, session);
            } catch (error) {
                // The purge's own outcome matters more; the server ends the session when it times out.
                this.ctx.log.warn(`${NAME}: logout failed, the session ends when it times out: ${this.ctx.redact((error as Error).message)}`);
            }
        }
    }
}

function connection(ctx: PurgeContext<MicroStrategyInputs>, auth: Auth): Connection {
    return {
        http: ctx.http, baseUrl: ctx.inputs.baseUrl, redact: ctx.redact, hide: ctx.addSecret, source: ctx.credentialSource,
        auth: auth.kind === "session" ? "session" : auth.login.kind,
    };
}

async function loginAndHide(ctx: PurgeContext<MicroStrategyInputs>, conn: Connection, how: Login): Promise<Session> {
    const session = await login(conn, how);
    // The server issued this token: hide it from every message and log line from now on (the cookies it
    // sets, now and later, are hidden as they arrive: see client.ts).
    ctx.addSecret(session.token);
    return session;
}

async function purgeTargets(ctx: PurgeContext<MicroStrategyInputs>, run: RunSession, plan: PurgePlan): Promise<PurgeOutcome> {
    const { conn } = run;
    const project = await run.use((session) => resolveProject(conn, session, ctx.inputs.project));
    const progress: Progress = { variant: "caches", ticketIds: [] };
    const done: string[] = [];
    const keys = CACHE_TYPES.filter((t) => plan.targets.some((p) => p.key === t));
    for (const type of keys) {
        try {
            await run.use((session) => purgeCacheType(conn, session, project.id, type, progress));
        } catch (error) {
            if (error instanceof MicroStrategyApiError && error.ticketId) {
                progress.ticketIds.push(error.ticketId);
            }
            if (done.length === 0) {
                throw error;
            }
            const left = keys.filter((k) => !done.includes(k));
            throw new PartialPurgeError(done, left, error as Error, { [type]: progress.ticketIds });
        }
        done.push(type);
        ctx.log.info(`${NAME}: the server accepted the purge of the ${type} cache of project ${project.name ?? project.id} (${done.length} of ${keys.length})`);
    }
    return {
        // 204 "notifies that the cache purge was triggered" (manage-caches.md): accepted, not seen done.
        completion: "accepted",
        details: {
            projectId: project.id, projectName: project.name ?? null, pathVariant: progress.variant, failedTicketIds: progress.ticketIds,
            purge: "triggered: MicroStrategy answered 204, which says the purge was started, not that it finished",
            relogins: run.relogins,
        },
    };
}

export const microstrategyService: PurgeService<MicroStrategyInputs> = {
    name: NAME,
    credentials,
    checkCredentials(values) {
        try {
            chooseAuth(values, 1);
            return [];
        } catch (error) {
            return [{ property: values.username ? "password" : "apiToken", reason: (error as Error).message }];
        }
    },
    inputShape: microStrategyInputShape,
    crossCheck: microStrategyCrossCheck,
    scope: scopeOf,
    targets: (inputs) => Object.entries(inputs.cacheTypes).map(([key, trigger]) => ({ key, trigger })),
    describeRequests,
    errorMessage: microStrategyErrorMessage,
    retryStatus: isRetryableStatus,
    async probe(ctx) {
        const auth = chooseAuth(ctx.credentials, ctx.inputs.loginMode);
        const run = await RunSession.open(ctx, connection(ctx, auth), auth);
        try {
            const projects = await run.use((session) => listProjects(run.conn, session));
            return `listed ${projects.length} project(s) the user can see`;
        } finally {
            await run.close();
        }
    },
    async purge(ctx, plan) {
        const auth = chooseAuth(ctx.credentials, ctx.inputs.loginMode);
        const conn = connection(ctx, auth);
        const run = await RunSession.open(ctx, conn, auth);
        try {
            return await purgeTargets(ctx, run, plan);
        } finally {
            await run.close();
        }
    },
};
