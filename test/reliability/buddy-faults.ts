import { BuddyEmulator } from "../../src/services/buddy/emulator";
import { commonFaults, failsAtOnce, json, LIMITS, retried, type ServiceFaults, timedOut } from "./fault-cases";

function buddyErrors(message: string): string {
    return json({ errors: [{ message }] });
}

/** Buddy's row of the fault matrix (the eleven faults on its purge call). */
export const buddyFaults: ServiceFaults = {
    service: "buddy",
    urn: "urn:pulumi:test::p::pulumi-nodejs:dynamic/buddy:PipelineCachePurge::ci",
    async arena(account) {
        const emulator = await new BuddyEmulator({
            tokens: { [account]: { scopes: ["EXECUTION_MANAGE"] } },
            workspaces: { acme: { projects: { web: [{ id: 101, name: "Build web", last_execution_status: "SUCCESSFUL" }] } } },
        }).start();
        return {
            emulator,
            inputs: { baseUrl: emulator.baseUrl, workspace: "acme", project: "web", pipelineId: 101, token: account, ...LIMITS },
            isPurgeCall: (r) => r.method === "PATCH",
            purgeUrl: `PATCH ${emulator.baseUrl}/workspaces/acme/projects/web/pipelines/101`,
            purged: () => emulator.clears.length,
        };
    },
    faults: commonFaults({
        rateLimited: buddyErrors("Rate limit exceeded"),
        // Epoch seconds, truncated as Buddy's are; the client adds a second of margin.
        resetHeaders: () => ({ "X-Rate-Limit-Limit": "100", "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": String(Math.floor(Date.now() / 1000) + 1) }),
        serverError: (status) => buddyErrors(status === 500 ? "Internal server error" : "Service unavailable"),
        clientError: (status) => buddyErrors({ 401: "Unauthorized", 403: "Access forbidden", 404: "Pipeline not found" }[status]),
        successStatus: 200,
    }),
    expected: {
        "429 with Retry-After": retried("waits the Retry-After, then succeeds"),
        "429 with the service's reset header": retried("waits until X-Rate-Limit-Reset (epoch seconds), then succeeds"),
        "500": retried("a 5xx is retried"),
        "502": retried("a 5xx is retried"),
        "503": retried("a 5xx is retried"),
        "connection reset": retried("a connection reset is retried"),
        "a server that never answers": timedOut("buddy"),
        "malformed JSON on a success status": failsAtOnce(
            (url) => `buddy: ${url} returned 200 OK (application/json) instead of 200 with the pipeline as JSON: "{\\"truncated\\":"; `
                + "check that baseUrl is Buddy's API (https://api.buddy.works, https://api.eu.buddy.works or https://<host>/api), not a login page or proxy in front of it",
            "Buddy answers the pipeline as JSON: a body that is not JSON is something else answering; the next up clears again",
        ),
        "401": failsAtOnce((url) => `buddy: ${url} returned 401 Unauthorized: "Unauthorized"; the token (from the token input) is missing, expired or revoked`, "a 4xx is not retried"),
        "403": failsAtOnce((url) => `buddy: ${url} returned 403 Forbidden: "Access forbidden"; the token (from the token input) needs the EXECUTION_MANAGE scope `
            + "and access to this workspace, and the workspace must be active with its API enabled", "a 4xx is not retried"),
        "404": failsAtOnce((url) => `buddy: ${url} returned 404 Not Found: "Pipeline not found"; check workspace, project (its name ID, not its display name) `
            + "and the pipeline id, and that baseUrl is Buddy's API (https://api.buddy.works)", "a 4xx is not retried"),
    },
};
