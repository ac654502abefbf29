import type { HttpClient, HttpResponse } from "../../core/http/client";
import { endpointUrl } from "../../core/http/url";
import type { CredentialSource } from "../../core/service";
import { nonJsonErrorMessage, unexpectedAnswer } from "../answer";

/** Asks for the v1.1.0 models; the 2022 docs require it, the 2026 docs no longer mention it, and it is harmless. */
export const MEDIA_TYPE = "buddy.v1.1.0";

/** The pipeline's facts a receipt keeps, from the pipeline object Buddy answers with. */
export interface ClearedPipeline {
    readonly id: number;
    readonly name?: string;
    readonly last_execution_status?: string;
}

export function projectUrl(baseUrl: string, workspace: string, project: string): URL {
    return endpointUrl(baseUrl, ["workspaces", workspace, "projects", project]);
}

export function pipelineUrl(baseUrl: string, workspace: string, project: string, pipelineId: number): URL {
    return endpointUrl(baseUrl, ["workspaces", workspace, "projects", project, "pipelines", pipelineId]);
}

/** The answers the Go SDK's `CheckResponse` takes as success (304 never comes to a PATCH). */
const SUCCESS = new Set([200, 201, 202, 204]);

/**
 * Clears every action cache of one pipeline: `PATCH …/pipelines/:id` with `{"clear_cache": true}`. Buddy
 * clears before answering with the pipeline object; the docs show 201, the Go SDK accepts 200, 201, 202
 * and 204. The object is read only for the receipt, but a body that is not JSON (an SSO gateway's page,
 * a proxy's) is not Buddy's answer, and fails.
 */
export async function clearPipelineCache(
    http: HttpClient, baseUrl: string, workspace: string, project: string, pipelineId: number, token: string,
): Promise<ClearedPipeline> {
    const url = pipelineUrl(baseUrl, workspace, project, pipelineId);
    const response = await http.send({
        method: "PATCH",
        url,
        headers: { authorization: `Bearer ${token}`, "x-buddy-media-type": MEDIA_TYPE },
        json: { clear_cache: true },
    });
    const bodyOk = response.text.trim() === "" || (response.json !== null && typeof response.json === "object");
    if (!SUCCESS.has(response.status) || !bodyOk) {
        throw unexpectedAnswer("buddy", "PATCH", url.toString(), response, "200 with the pipeline as JSON",
            "check that baseUrl is Buddy's API (https://api.buddy.works, https://api.eu.buddy.works or https://<host>/api), not a login page or proxy in front of it");
    }
    const body = (response.json ?? {}) as { name?: unknown; last_execution_status?: unknown };
    return {
        id: pipelineId,
        ...(typeof body.name === "string" ? { name: body.name } : {}),
        ...(typeof body.last_execution_status === "string" ? { last_execution_status: body.last_execution_status } : {}),
    };
}

/** Buddy's error bodies are `{"errors":[{"message"}]}`, or `{"error"}` from its OAuth layer. */
export function buddyErrorMessage(response: HttpResponse): string {
    return vendorMessage(response);
}

/** The statuses that are never retried get a hint, because Buddy's own words rarely say what to change. */
export function buddyErrorHint(response: HttpResponse, source: CredentialSource): string {
    const message = vendorMessage(response);
    const token = `the token (from ${source("token")})`;
    switch (response.status) {
        case 401:
            return /expired/i.test(message)
                ? `${token} has expired: an OAuth access token lasts 8 hours, so refresh it, or use a personal access token whose expiry date is later`
                : `${token} is missing, expired or revoked`;
        case 403:
            if (/API is disabled/i.test(message)) {
                return "a workspace administrator must turn API access on in the workspace's settings; newer workspaces have it off";
            }
            if (/active workspace/i.test(message)) {
                return "the workspace is inactive, as after a suspension or an ended plan: reactivate it in Buddy; no token can purge until then";
            }
            return `${token} needs the EXECUTION_MANAGE scope and access to this workspace, and the workspace must be active with its API enabled`;
        case 404:
            return "check workspace, project (its name ID, not its display name) and the pipeline id, and that baseUrl is Buddy's API (https://api.buddy.works)";
        default:
            return "";
    }
}

function vendorMessage(response: HttpResponse): string {
    const body = response.json as { errors?: unknown; error?: unknown; error_description?: unknown } | undefined;
    if (Array.isArray(body?.errors)) {
        const messages = body.errors
            .map((e: unknown) => (e !== null && typeof e === "object" ? (e as { message?: unknown }).message : undefined))
            .filter((m): m is string => typeof m === "string" && m !== "");
        if (messages.length > 0) {
            return messages.join("; ");
        }
    }
    if (typeof body?.error === "string") {
        return typeof body.error_description === "string" ? `${body.error}: ${body.error_description}` : body.error;
    }
    return nonJsonErrorMessage(response);
}
