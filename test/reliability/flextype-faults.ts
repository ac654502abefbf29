import { FlextypeEmulator } from "../../src/services/flextype/emulator";
import { commonFaults, failsAtOnce, json, LIMITS, NO_RESET_HEADER, retried, type ServiceFaults, timedOut } from "./fault-cases";

const FLEXTYPE_TOKEN = "0123456789abcdef0123456789abcdef";
const FLEXTYPE_BODIES: Record<number, { title: string; message: string }> = {
    401: { title: "Unauthorized", message: "Token is wrong" },
    403: { title: "Forbidden", message: "Access to this resource is forbidden" },
    404: { title: "Not Found", message: "Page not found" },
    500: { title: "Internal Server Error", message: "Cache folder could not be deleted" },
    502: { title: "Bad Gateway", message: "Upstream PHP-FPM did not answer" },
    503: { title: "Service Unavailable", message: "Site in maintenance mode" },
};

/** Flextype's row of the fault matrix (the eleven faults on its purge call). */
export const flextypeFaults: ServiceFaults = {
    service: "flextype",
    urn: "urn:pulumi:test::p::pulumi-nodejs:dynamic/flextype:CachePurge::cms",
    async arena(account) {
        const emulator = await new FlextypeEmulator({ [FLEXTYPE_TOKEN]: { accessToken: account } }).start();
        return {
            emulator,
            inputs: { baseUrl: emulator.baseUrl, token: FLEXTYPE_TOKEN, accessToken: account, ...LIMITS },
            isPurgeCall: (r) => r.method === "POST" && r.path === "/api/v1/cache/clear",
            purgeUrl: `POST ${emulator.baseUrl}/api/v1/cache/clear`,
            purged: () => emulator.clears,
        };
    },
    faults: commonFaults({
        rateLimited: json({ title: "Too Many Requests", message: "Too many requests", http_status_code: 429 }),
        resetHeaders: () => ({}),
        serverError: (status) => json({ ...FLEXTYPE_BODIES[status], http_status_code: status }),
        clientError: (status) => json({ ...FLEXTYPE_BODIES[status], http_status_code: status }),
        // Released Flextype answers 204, which carries no body; the docs' 200 is the success that can carry a bad one.
        successStatus: 200,
    }),
    expected: {
        "429 with Retry-After": retried("waits the Retry-After, then succeeds"),
        "429 with the service's reset header": retried(NO_RESET_HEADER),
        "500": failsAtOnce((url) => `flextype: ${url} returned 500 Internal Server Error: "Cache folder could not be deleted"`,
            "Flextype counts the call before it clears, so a retried 500 spends another of the token's limit_calls"),
        "502": retried("a proxy's 502 never reached Flextype"),
        "503": retried("a proxy's 503 never reached Flextype"),
        "connection reset": retried("a connection reset is retried"),
        "a server that never answers": timedOut("flextype"),
        "malformed JSON on a success status": failsAtOnce(
            (url) => `flextype: ${url} returned 200 OK (application/json) instead of 204 with an empty body: "{\\"truncated\\":"; `
                + "check that baseUrl points at the Flextype site itself, not a login page or proxy in front of it",
            "Flextype's success is 204 with an empty body; a 200 with a body is something else answering"),
        "401": failsAtOnce((url) => `flextype: ${url} returned 401 Unauthorized: "Token is wrong"; the token (from the token input) does not exist on the site, `
            + "or the access token (from the accessToken input) does not match it", "a 4xx is not retried"),
        "403": failsAtOnce((url) => `flextype: ${url} returned 403 Forbidden: "Access to this resource is forbidden"; Flextype's cache API never answers 403: `
            + "check that baseUrl is the Flextype site root (plus its base_path), under which /api/v1/cache/clear lives, not another service; then check the token (from the token input) and the access token (from the accessToken input)", "a 4xx is not retried"),
        "404": failsAtOnce((url) => `flextype: ${url} returned 404 Not Found: "Page not found"; Flextype's cache API never answers 404: `
            + "check that baseUrl is the Flextype site root (plus its base_path), under which /api/v1/cache/clear lives, not another service; then check the token (from the token input) and the access token (from the accessToken input)", "a 4xx is not retried"),
    },
};
