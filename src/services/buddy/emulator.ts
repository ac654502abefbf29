import type * as http from "http";
import { Emulator, type RateWindow, type RecordedRequest } from "../../testing/emulator";

/** A pipeline as the emulator keeps it; `last_execution_status` is echoed in the clear-cache answer. */
export interface BuddyEmulatorPipeline {
    readonly id: number;
    readonly name: string;
    readonly last_execution_status?: string;
}

export interface BuddyEmulatorWorkspace {
    /** An inactive workspace answers every request with 403 "Only active workspace have access to API". */
    readonly active?: boolean;
    /** API access is off in the workspace's settings (newer docs: off by default): 403 "API is disabled in this workspace". */
    readonly apiDisabled?: boolean;
    /** Project name ID -> its pipelines. */
    readonly projects: Readonly<Record<string, readonly BuddyEmulatorPipeline[]>>;
}

export interface BuddyEmulatorToken {
    /** Buddy's token scopes; clearing a cache needs `EXECUTION_MANAGE`. */
    readonly scopes: readonly string[];
    /** Workspace handles the token is restricted to; all when absent. */
    readonly workspaces?: readonly string[];
    /** When the token stops working (an OAuth access token lasts 8 hours; a personal access token may have an expiry date). */
    readonly expiresAt?: Date;
}

export interface BuddyEmulatorOptions {
    readonly workspaces?: Readonly<Record<string, BuddyEmulatorWorkspace>>;
    /** Token value -> what it may do. */
    readonly tokens?: Readonly<Record<string, BuddyEmulatorToken>>;
    /** The API's path below the origin, as a self-hosted install has (`/api`); none for the cloud. */
    readonly pathPrefix?: string;
    /** The status of a successful clear: the docs show 201, a PATCH more likely answers 200. */
    readonly successStatus?: 200 | 201;
}

/** One cache clear the emulator performed, for assertions. */
export interface BuddyClear {
    readonly workspace: string;
    readonly project: string;
    readonly pipelineId: number;
    readonly mediaType: string | undefined;
}

const ROUTE = /^\/workspaces\/([^/]+)\/projects\/([^/]+)\/pipelines\/([^/]+)$/;
const INACTIVE = "Only active workspace have access to API";
const API_DISABLED = "API is disabled in this workspace";
// Buddy does not document the words for an expired token; this is the emulator's choice.
const TOKEN_EXPIRED = "Token expired";

/**
 * A local Buddy.Works API that answers `PATCH /workspaces/:ws/projects/:project/pipelines/:id` as
 * Buddy's API reference describes: Bearer token or `access_token` query, 401/403/404/400 with
 * `{"errors":[{"message"}]}` bodies, the pipeline object on success, and `X-Rate-Limit-*` headers
 * (reset in epoch seconds) on every answer when `rateLimit` is set.
 */
export class BuddyEmulator extends Emulator {
    readonly workspaces: Map<string, BuddyEmulatorWorkspace>;
    readonly tokens: Map<string, BuddyEmulatorToken>;
    readonly clears: BuddyClear[] = [];
    /** Send `X-Rate-Limit-Limit` and `X-Rate-Limit-Remaining` only, as the docs' sample answer shows them. */
    omitResetHeader = false;
    private readonly pathPrefix: string;
    private readonly successStatus: number;

    constructor(options: BuddyEmulatorOptions = {}) {
        super();
        this.workspaces = new Map(Object.entries(options.workspaces ?? {}));
        this.tokens = new Map(Object.entries(options.tokens ?? {}));
        this.pathPrefix = (options.pathPrefix ?? "").replace(/\/+$/, "");
        this.successStatus = options.successStatus ?? 200;
    }

    get baseUrl(): string {
        return `${this.origin}${this.pathPrefix}`;
    }

    /**
     * Arms a budget when the next request arrives: `remaining` requests left of `limit`, in a window that
     * resets `resetInMs` later and every `resetInMs` after. Tests state "1 left, reset 2 s ahead" this way
     * however long a deployment takes to reach the API.
     */
    budgetAtNextRequest(remaining: number, resetInMs: number, limit = Math.max(remaining, 1) * 10): this {
        this.rateLimit = { limit, windowMs: resetInMs };
        // A pass-through fault: its filter runs before the rate check of the first request that arrives.
        return this.inject({ kind: "delay", ms: 0 }, () => {
            this.setRateWindow(limit - remaining);
            return true;
        });
    }

    protected override rateLimitHeaders(window: RateWindow): Record<string, string> {
        return {
            "x-rate-limit-limit": String(window.limit),
            "x-rate-limit-remaining": String(window.remaining),
            // Truncated, as an epoch-seconds value naturally is: the named second may begin before the
            // window resets, which is the case a client's reading of the header must survive.
            ...(this.omitResetHeader ? {} : { "x-rate-limit-reset": String(Math.floor(window.resetAtMs / 1000)) }),
        };
    }

    protected override rateLimitedBody(): string {
        return JSON.stringify(errors("Rate limit exceeded"));
    }

    protected route(request: RecordedRequest, res: http.ServerResponse): void {
        const path = request.path.startsWith(`${this.pathPrefix}/`) ? request.path.slice(this.pathPrefix.length) : undefined;
        const match = path === undefined ? null : ROUTE.exec(path);
        if (match === null) {
            this.sendJson(res, 404, errors("Not found"));
            return;
        }
        if (request.method !== "PATCH") {
            this.sendJson(res, 405, errors(`Method ${request.method} not allowed`));
            return;
        }
        const [workspaceHandle, projectName, rawId] = match.slice(1).map(decodeURIComponent);
        const token = this.tokenOf(request);
        if (token === undefined) {
            this.sendJson(res, 401, errors("Unauthorized"));
            return;
        }
        if (token.expiresAt !== undefined && token.expiresAt.getTime() <= Date.now()) {
            this.sendJson(res, 401, errors(TOKEN_EXPIRED));
            return;
        }
        const workspace = this.workspaces.get(workspaceHandle);
        if (workspace === undefined) {
            this.sendJson(res, 404, errors("Workspace not found"));
            return;
        }
        if (workspace.active === false) {
            this.sendJson(res, 403, errors(INACTIVE));
            return;
        }
        if (workspace.apiDisabled === true) {
            this.sendJson(res, 403, errors(API_DISABLED));
            return;
        }
        if (!token.scopes.includes("EXECUTION_MANAGE") || (token.workspaces !== undefined && !token.workspaces.includes(workspaceHandle))) {
            this.sendJson(res, 403, errors("Access forbidden: the token has no EXECUTION_MANAGE scope for this workspace"));
            return;
        }
        const pipelines = workspace.projects[projectName];
        if (pipelines === undefined) {
            this.sendJson(res, 404, errors("Project not found"));
            return;
        }
        if (!/^\d+$/.test(rawId)) {
            this.sendJson(res, 400, errors("Pipeline id must be an integer"));
            return;
        }
        const pipeline = pipelines.find((p) => p.id === Number(rawId));
        if (pipeline === undefined) {
            this.sendJson(res, 404, errors("Pipeline not found"));
            return;
        }
        if (request.fields?.clear_cache !== true) {
            this.sendJson(res, 400, errors("clear_cache: must be set to true"));
            return;
        }
        this.clears.push({ workspace: workspaceHandle, project: projectName, pipelineId: pipeline.id, mediaType: request.headers["x-buddy-media-type"] });
        this.sendJson(res, this.successStatus, this.pipelineJson(workspaceHandle, projectName, pipeline));
    }

    private tokenOf(request: RecordedRequest): BuddyEmulatorToken | undefined {
        const bearer = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
        const value = bearer ?? request.query.access_token;
        return value === undefined ? undefined : this.tokens.get(value);
    }

    private pipelineJson(workspace: string, project: string, pipeline: BuddyEmulatorPipeline): Record<string, unknown> {
        const url = `${this.baseUrl}/workspaces/${workspace}/projects/${project}`;
        return {
            url: `${url}/pipelines/${pipeline.id}`,
            html_url: `${this.origin}/${workspace}/${project}/pipelines/pipeline/${pipeline.id}`,
            id: pipeline.id,
            name: pipeline.name,
            definition_source: "LOCAL",
            refs: ["refs/heads/main"],
            priority: "NORMAL",
            disabled: false,
            last_execution_status: pipeline.last_execution_status ?? "SUCCESSFUL",
            create_date: "2026-01-01T00:00:00Z",
            project: { url, name: project, display_name: project, status: "ACTIVE" },
        };
    }
}

function errors(message: string): { errors: Array<{ message: string }> } {
    return { errors: [{ message }] };
}
