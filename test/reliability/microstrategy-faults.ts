import { MicroStrategyEmulator } from "../../src/services/microstrategy/emulator";
import { commonFaults, failsAtOnce, json, LIMITS, NO_RESET_HEADER, retried, type ServiceFaults, timedOut } from "./fault-cases";

const MSTR_USER = "admin";
const PROJECT_ID = "B7CA92F04B9FAE8D941C3E9B7E0CD754";
const TICKET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

function mstrError(code: string, message: string): string {
    return json({ code, message, ticketId: TICKET });
}

/** MicroStrategy's row of the fault matrix (the eleven faults on its purge call). */
export const microstrategyFaults: ServiceFaults = {
    service: "microstrategy",
    urn: "urn:pulumi:test::p::pulumi-nodejs:dynamic/microstrategy:CachePurge::bi",
    async arena(account) {
        const emulator = await new MicroStrategyEmulator({ users: { [MSTR_USER]: account }, projects: [{ id: PROJECT_ID, name: "MicroStrategy Tutorial" }] }).start();
        emulator.requireCookie = true;
        return {
            emulator,
            inputs: { baseUrl: emulator.baseUrl, project: { id: PROJECT_ID }, cacheTypes: ["element"], username: MSTR_USER, password: account, ...LIMITS },
            isPurgeCall: (r) => r.method === "DELETE",
            purgeUrl: `DELETE ${emulator.baseUrl}/api/monitors/projects/${PROJECT_ID}/caches/element`,
            purged: () => emulator.purges.length,
        };
    },
    faults: (name) => {
        if (name === "404") {
            // MicroStrategy's 404 is ERR004, "no such route": met on /caches/, then again on /cache/.
            return [{ status: 404, body: mstrError("ERR004", "HTTP 404 Not Found") }, { status: 404, body: mstrError("ERR004", "HTTP 404 Not Found") }];
        }
        return commonFaults({
            rateLimited: mstrError("ERR001", "Too many requests"),
            resetHeaders: () => ({}),
            serverError: (status) => mstrError("ERR001", status === 502 ? "Intelligence Server is not available" : "Internal error"),
            clientError: (status) => (status === 401
                ? mstrError("ERR009", "The user's session has expired, please reauthenticate")
                : mstrError("ERR014", "You do not have Cache Administration privilege(s) to perform the task.")),
            // The purge answers 204, which carries no body; a 200 is the success that can carry a bad one.
            successStatus: 200,
        })(name);
    },
    expected: {
        "429 with Retry-After": retried("waits the Retry-After, then succeeds"),
        "429 with the service's reset header": retried(NO_RESET_HEADER),
        "500": retried("mstrio-py's retried statuses: 413, 429, 500, 503"),
        "502": failsAtOnce(
            (url) => `microstrategy: ${url} returned 502 Bad Gateway: "ERR001 Intelligence Server is not available (ticketId ${TICKET})"`,
            "a 502 from a Library server means its Intelligence Server is down: not retried, as mstrio-py does not",
        ),
        "503": retried("mstrio-py's retried statuses: 413, 429, 500, 503"),
        "connection reset": retried("a connection reset is retried"),
        "a server that never answers": timedOut("microstrategy"),
        "malformed JSON on a success status": failsAtOnce(
            (url) => `microstrategy: ${url} returned 200 OK (application/json) instead of 204 No Content: "{\\"truncated\\":"; `
                + "is baseUrl the Library server itself, and not an SSO gateway or proxy in front of it?",
            "the purge's success is 204: a 200 is something else answering (a gateway's page)",
        ),
        "401": { outcome: "purged", purgeCalls: 2, retries: 0, emulatorPurges: 1, why: "an expired session (401 ERR009) is replaced by one fresh login, and the purge sent again" },
        "403": failsAtOnce((url) => `microstrategy: ${url} returned 403 Forbidden: "ERR014 You do not have Cache Administration privilege(s) to perform the task. `
            + `(ticketId ${TICKET})"; the user needs the Cache Administration privilege (DssXmlPrivilegesCacheAdministration) on the project`,
        "a 4xx is not retried"),
        "404": failsAtOnce((url) => `microstrategy: ${url.replace("/caches/element", "/cache/element")} returned 404 Not Found: "ERR004 HTTP 404 Not Found `
            + `(ticketId ${TICKET})"; the server knows neither /caches/ nor /cache/: cache purge needs MicroStrategy 2021 Update 8 (11.3.0800) or later`,
        "ERR004 on /caches/ tries the older /cache/ once; a 404 there too fails, naming the version needed", 2),
    },
};
