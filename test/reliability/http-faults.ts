import { HttpEmulator } from "../../src/services/http/emulator";
import { commonFaults, failsAtOnce, json, LIMITS, retried, type ServiceFaults, timedOut } from "./fault-cases";

/**
 * The generic HTTP purge's row of the fault matrix (the eleven faults on its purge call). There is no
 * vendor to model: the endpoint is one a user would declare, a bearer token, a batch of URLs in `files`
 * and `"success": true` as the answer that counts, with bodies in the `{"message"}` shape APIs commonly use.
 */
export const httpFaults: ServiceFaults = {
    service: "http",
    urn: "urn:pulumi:test::p::pulumi-nodejs:dynamic/http:Purge::site",
    async arena(account) {
        let purged = 0;
        const emulator = await new HttpEmulator((r) => {
            if (r.headers.authorization !== `Bearer ${account}`) {
                return { status: 401, body: { message: "Invalid API token" } };
            }
            purged++;
            return { status: 200, body: { success: true } };
        }).start();
        return {
            emulator,
            inputs: {
                request: { method: "POST", url: `${emulator.baseUrl}/purge` }, secretHeaders: { Authorization: `Bearer ${account}` },
                targets: ["https://www.example.com/a.css"], batch: { size: 30, jsonPath: "files" }, success: { jsonPath: "success", equals: true }, ...LIMITS,
            },
            isPurgeCall: (r) => r.method === "POST" && r.path === "/purge",
            purgeUrl: `POST ${emulator.baseUrl}/purge`,
            purged: () => purged,
        };
    },
    faults: commonFaults({
        rateLimited: json({ message: "Too many requests" }),
        // The IETF draft's RateLimit-Reset: seconds until the window resets.
        resetHeaders: () => ({ "RateLimit-Limit": "10", "RateLimit-Remaining": "0", "RateLimit-Reset": "1" }),
        serverError: (status) => json({ message: status === 500 ? "Internal server error" : "Service unavailable" }),
        clientError: (status) => json({ message: { 401: "Invalid API token", 403: "This token may not purge", 404: "No such route" }[status] }),
        successStatus: 200,
    }),
    expected: {
        "429 with Retry-After": retried("waits the Retry-After, then succeeds"),
        "429 with the service's reset header": retried("waits RateLimit-Reset (seconds to the reset), then succeeds"),
        "500": retried("a 5xx is retried"),
        "502": retried("a 5xx is retried"),
        "503": retried("a 5xx is retried"),
        "connection reset": retried("a connection reset is retried"),
        "a server that never answers": timedOut("http"),
        "malformed JSON on a success status": failsAtOnce(
            (url) => `http: ${url} returned 200 OK with nothing at success.jsonPath "success", expected true; not counted as purged: "{\\"truncated\\":"`,
            "success is the declared value at success.jsonPath, not any 200"),
        "401": failsAtOnce((url) => `http: ${url} returned 401 Unauthorized: "Invalid API token"`, "a 4xx is not retried"),
        "403": failsAtOnce((url) => `http: ${url} returned 403 Forbidden: "This token may not purge"`, "a 4xx is not retried"),
        "404": failsAtOnce((url) => `http: ${url} returned 404 Not Found: "No such route"`, "a 4xx is not retried"),
    },
};
