import type { CredentialSpec, CredentialValues } from "../../core/credentials";
import { PartialPurgeError, PurgeError } from "../../core/errors";
import type { PurgePlan } from "../../core/plan";
import type { PurgeContext, PurgeOutcome, PurgeService } from "../../core/service";
import {
    apiUrl, type Connection, deleteCache, isNoRoute, isRetryableStatus, listProjects, login, logout, MicroStrategyApiError,
    microStrategyErrorMessage, type PathVariant, type Project, purgeUrl, type Session,
} from "./client";
import { type CacheType, CACHE_TYPES, type LoginMode, microStrategyInputShape, type MicroStrategyInputs, type ProjectRef } from "./schema";

const NAME = "microstrategy";

const authToken: CredentialSpec = {
    input: "authToken", configKey: "cache-purge:microstrategyAuthToken", envVar: "MSTR_AUTH_TOKEN",
    description: "auth token (X-MSTR-AuthToken)", secret: true, optional: true,
};
const cookies: CredentialSpec = {
    input: "cookies", configKey: "cache-purge:microstrategyCookies", envVar: "MSTR_COOKIES",
    description: "session cookies", secret: true, optional: true,
};
const username: CredentialSpec = {
    input: "username", configKey: "cache-purge:microstrategyUsername", envVar: "MSTR_USERNAME",
    description: "user name", secret: false, optional: true, carriedIn: "body",
};
const password: CredentialSpec = {
    input: "password", configKey: "cache-purge:microstrategyPassword", envVar: "MSTR_PASSWORD",
    description: "password", secret: true, optional: true, carriedIn: "body",
};

/** Either way of authenticating is enough, so none is required on its own; `purge` checks that one is complete. */
const credentials: readonly CredentialSpec[] = [authToken, cookies, username, password];

export type Auth =
    | { readonly kind: "token"; readonly session: Session }
    | { readonly kind: "login"; readonly username: string; readonly password: string; readonly loginMode: LoginMode };

/** A token wins over a login: it is an existing session the user chose to reuse. */
export function chooseAuth(values: CredentialValues, loginMode: LoginMode): Auth {
    if (values.authToken) {
        return { kind: "token", session: { token: values.authToken, ...(values.cookies ? { cookie: values.cookies } : {}) } };
    }
    if (values.username && values.password) {
        return { kind: "login", username: values.username, password: values.password, loginMode };
    }
    const half = values.username ? "a user name but no password" : values.password ? "a password but no user name" : "no credentials";
    throw new PurgeError(`${NAME}: ${half}; either pass authToken (and cookies), run `
        + `\`pulumi config set --secret ${authToken.configKey} <token>\`, or set ${authToken.envVar}; `
        + `or pass username and password, run \`pulumi config set ${username.configKey} <name>\` and `
        + `\`pulumi config set --secret ${password.configKey} <password>\`, or set ${username.envVar} and ${password.envVar}`);
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

async function purgeTargets(ctx: PurgeContext<MicroStrategyInputs>, conn: Connection, session: Session, plan: PurgePlan): Promise<PurgeOutcome> {
    const project = await resolveProject(conn, session, ctx.inputs.project);
    const progress: Progress = { variant: "caches", ticketIds: [] };
    const done: string[] = [];
    const keys = CACHE_TYPES.filter((t) => plan.targets.some((p) => p.key === t));
    for (const type of keys) {
        try {
            await purgeCacheType(conn, session, project.id, type, progress);
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
        ctx.log.info(`${NAME}: purged the ${type} cache of project ${project.name ?? project.id} (${done.length} of ${keys.length})`);
    }
    return {
        completion: "synchronous",
        details: { projectId: project.id, projectName: project.name ?? null, pathVariant: progress.variant, failedTicketIds: progress.ticketIds },
    };
}

export const microstrategyService: PurgeService<MicroStrategyInputs> = {
    name: NAME,
    credentials,
    inputShape: microStrategyInputShape,
    scope: scopeOf,
    targets: (inputs) => Object.entries(inputs.cacheTypes).map(([key, trigger]) => ({ key, trigger })),
    describeRequests,
    errorMessage: microStrategyErrorMessage,
    retryStatus: isRetryableStatus,
    async purge(ctx, plan) {
        const auth = chooseAuth(ctx.credentials, ctx.inputs.loginMode);
        const conn: Connection = { http: ctx.http, baseUrl: ctx.inputs.baseUrl, redact: ctx.redact };
        if (auth.kind === "token") {
            // The user's own session: theirs to end, so no logout.
            return purgeTargets(ctx, conn, auth.session, plan);
        }
        const session = await login(conn, auth.username, auth.password, auth.loginMode);
        // The server issued this token and cookie: hide them from every message and log line from now on.
        ctx.addSecret(session.token);
        for (const cookie of (session.cookie ?? "").split(/;\s*/)) {
            ctx.addSecret(cookie.slice(cookie.indexOf("=") + 1));
        }
        try {
            return await purgeTargets(ctx, conn, session, plan);
        } finally {
            try {
                await logout(conn, session);
            } catch (error) {
                // The purge's own outcome matters more; the server ends the session when it times out.
                ctx.log.warn(`${NAME}: logout failed, the session ends when it times out: ${ctx.redact((error as Error).message)}`);
            }
        }
    },
};
