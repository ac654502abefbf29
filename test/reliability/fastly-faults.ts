import { FastlyEmulator } from "../../src/services/fastly/emulator";
import { commonFaults, failsAtOnce, json, LIMITS, retried, type ServiceFaults, timedOut } from "./fault-cases";

const SERVICE = "SU1Z0isxPaozGVKXdv0eY";

/** Fastly's row of the fault matrix (the eleven faults on its purge call). */
export const fastlyFaults: ServiceFaults = {
    service: "fastly",
    urn: "urn:pulumi:test::p::pulumi-nodejs:dynamic/fastly:Purge::site",
    async arena(account) {
        const emulator = await new FastlyEmulator({ tokens: { [account]: { scopes: ["purge_select"] } }, services: [SERVICE] }).start();
        return {
            emulator,
            inputs: { baseUrl: emulator.baseUrl, serviceId: SERVICE, apiToken: account, surrogateKeys: ["blog"], ...LIMITS },
            isPurgeCall: (r) => r.method === "POST" && r.path === `/service/${SERVICE}/purge`,
            purgeUrl: `POST ${emulator.baseUrl}/service/${SERVICE}/purge`,
            purged: () => emulator.purges.length,
        };
    },
    faults: commonFaults({
        rateLimited: json({ msg: "Too many requests" }),
        // Epoch seconds, as the SDKs read Fastly-RateLimit-Reset; the client waits to the end of that second.
        resetHeaders: () => ({ "Fastly-RateLimit-Remaining": "0", "Fastly-RateLimit-Reset": String(Math.floor(Date.now() / 1000) + 1) }),
        // Fastly's error body is {"msg", "detail"}; these words are the test's.
        serverError: () => json({ msg: "Internal Server Error" }),
        clientError: (status) => json({ 401: { msg: "Provided credentials are missing or invalid" }, 403: { msg: "You are not authorized to perform this action" },
            404: { msg: "Record not found", detail: `Cannot find service '${SERVICE}'` } }[status]),
        successStatus: 200,
    }),
    expected: {
        "429 with Retry-After": retried("waits the Retry-After, then succeeds"),
        "429 with the service's reset header": retried("waits until Fastly-RateLimit-Reset (epoch seconds), then succeeds"),
        "500": retried("a 5xx is retried"),
        "502": retried("a 5xx is retried"),
        "503": retried("a 5xx is retried"),
        "connection reset": retried("a connection reset is retried"),
        "a server that never answers": timedOut("fastly"),
        "malformed JSON on a success status": failsAtOnce(
            (url) => `fastly: ${url} returned 200 OK (application/json) instead of 200 with JSON {"<key>": "<purge id>", …}: "{\\"truncated\\":"; `
                + "check that baseUrl is Fastly's API (https://api.fastly.com), not a login page or proxy in front of it",
            "success is a purge id for every key, not any 200"),
        "401": failsAtOnce((url) => `fastly: ${url} returned 401 Unauthorized: "Provided credentials are missing or invalid (the API token is missing, expired or revoked)"`,
            "a 4xx is not retried"),
        "403": failsAtOnce((url) => `fastly: ${url} returned 403 Forbidden: "You are not authorized to perform this action (the API token needs the purge_select scope `
            + "(keys and URLs) or purge_all (everything) on this service)\"", "a 4xx is not retried"),
        "404": failsAtOnce((url) => `fastly: ${url} returned 404 Not Found: "Record not found: Cannot find service '${SERVICE}' (check serviceId: the service's id, not its name)"`,
            "a 4xx is not retried"),
    },
};
