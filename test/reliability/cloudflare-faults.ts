import { CloudflareEmulator } from "../../src/services/cloudflare/emulator";
import { commonFaults, failsAtOnce, json, LIMITS, retried, type ServiceFaults, timedOut } from "./fault-cases";

const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";

/** Cloudflare's v4 envelope of a failure: `{success: false, errors: [{code, message}]}`. */
export function envelope(code: number, message: string): string {
    return json({ success: false, errors: [{ code, message }], messages: [], result: null });
}

const AUTH = "code 10000: Authentication error (check the API token: it needs the Zone > Cache Purge permission on this zone)";

/** Cloudflare's row of the fault matrix (the eleven faults on its purge call). */
export const cloudflareFaults: ServiceFaults = {
    service: "cloudflare",
    urn: "urn:pulumi:test::p::pulumi-nodejs:dynamic/cloudflare:ZonePurge::site",
    async arena(account) {
        const emulator = await new CloudflareEmulator({ tokens: { [account]: [ZONE] }, zones: [ZONE] }).start();
        return {
            emulator,
            inputs: { baseUrl: emulator.baseUrl, zoneId: ZONE, apiToken: account, tags: ["blog"], ...LIMITS },
            isPurgeCall: (r) => r.method === "POST" && r.path.endsWith("/purge_cache"),
            purgeUrl: `POST ${emulator.baseUrl}/zones/${ZONE}/purge_cache`,
            purged: () => emulator.purges.length,
        };
    },
    faults: commonFaults({
        rateLimited: envelope(1134, "Unable to purge, rate limit reached. Please wait and consider throttling your request speed"),
        // The REST API's rate-limit header: `t` is the seconds until the window resets.
        resetHeaders: () => ({ Ratelimit: "\"default\";r=0;t=1" }),
        // The docs name no code for a 5xx; these bodies are the test's, and only the status decides a retry.
        serverError: (status) => envelope(status === 500 ? 10002 : 10013, "An unknown error has occurred"),
        clientError: (status) => (status === 404
            ? envelope(7003, `Could not route to /zones/${ZONE}/purge_cache, perhaps your object identifier is invalid?`)
            : envelope(10000, "Authentication error")),
        successStatus: 200,
    }),
    expected: {
        "429 with Retry-After": retried("waits the Retry-After, then succeeds"),
        "429 with the service's reset header": retried("waits the Ratelimit header's t= (seconds to the reset), then succeeds"),
        "500": retried("a 5xx is retried"),
        "502": retried("a 5xx is retried"),
        "503": retried("a 5xx is retried"),
        "connection reset": retried("a connection reset is retried"),
        "a server that never answers": timedOut("cloudflare"),
        "malformed JSON on a success status": failsAtOnce(
            (url) => `cloudflare: ${url} returned 200 OK (application/json) instead of 200 with Cloudflare's JSON envelope {"success": true, …}: "{\\"truncated\\":"; `
                + "check that baseUrl is Cloudflare's API (https://api.cloudflare.com/client/v4), not a login page or proxy in front of it",
            "success is the envelope's \"success\": true, not any 200"),
        "401": failsAtOnce((url) => `cloudflare: ${url} returned 401 Unauthorized: "${AUTH}"`, "a 4xx is not retried"),
        "403": failsAtOnce((url) => `cloudflare: ${url} returned 403 Forbidden: "${AUTH}"`, "a 4xx is not retried"),
        "404": failsAtOnce((url) => `cloudflare: ${url} returned 404 Not Found: "code 7003: Could not route to /zones/${ZONE}/purge_cache, `
            + "perhaps your object identifier is invalid? (check zoneId: the zone's id from its Overview page, not the account id)\"", "a 4xx is not retried"),
    },
};
