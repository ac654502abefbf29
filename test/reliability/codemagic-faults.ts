import { CodemagicEmulator } from "../../src/services/codemagic/emulator";
import { commonFaults, failsAtOnce, json, LIMITS, retried, type ServiceFaults, timedOut } from "./fault-cases";

const APP = "60ddd0b747960e00124747cb";
const IPA = "620f9f218ab90da6b1b22e0e";

/** Codemagic's row of the fault matrix (the eleven faults on its purge call). */
export const codemagicFaults: ServiceFaults = {
    service: "codemagic",
    urn: "urn:pulumi:test::p::pulumi-nodejs:dynamic/codemagic:CachePurge::ios",
    async arena(account) {
        const emulator = await new CodemagicEmulator().start();
        emulator.addToken(account);
        emulator.deletionDelayMs = 0;
        emulator.addApp(APP, [{ _id: IPA, workflowId: "build-ipa", size: 1000 }, { _id: "620f9e948ab90da6b1b2217d", workflowId: "build-apk", size: 2000 }]);
        return {
            emulator,
            inputs: { baseUrl: emulator.baseUrl, appId: APP, token: account, workflows: { "build-ipa": "h1" }, ...LIMITS },
            isPurgeCall: (r) => r.method === "DELETE",
            purgeUrl: `DELETE ${emulator.baseUrl}/apps/${APP}/caches/${IPA}`,
            purged: () => emulator.deletions.length,
        };
    },
    faults: commonFaults({
        rateLimited: json({ error: "Rate limit exceeded" }),
        // Epoch seconds; one second ahead, as Codemagic names the second its hourly budget refills.
        resetHeaders: () => ({ "X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(Math.ceil(Date.now() / 1000) + 1) }),
        serverError: (status) => json({ error: status === 500 ? "Internal server error" : "Service temporarily unavailable" }),
        clientError: (status) => json({ error: { 401: "Unauthorized", 403: "You do not have access to this application", 404: "Cache not found" }[status] }),
        successStatus: 202,
    }),
    expected: {
        "429 with Retry-After": retried("waits the Retry-After, then succeeds"),
        "429 with the service's reset header": retried("waits until X-RateLimit-Reset (epoch seconds), then succeeds"),
        "500": retried("a 5xx is retried"),
        "502": retried("a 5xx is retried"),
        "503": retried("a 5xx is retried"),
        "connection reset": retried("a connection reset is retried"),
        "a server that never answers": timedOut("codemagic"),
        "malformed JSON on a success status": failsAtOnce(
            (url) => `codemagic: ${url} returned 202 Accepted (application/json) instead of 202 with JSON {"caches": […]}: "{\\"truncated\\":"; `
                + "check that baseUrl is Codemagic's API (https://api.codemagic.io), not a login page or proxy in front of it",
            "a 202 whose body is not the list of accepted ids is a defect worth stopping for; the next up deletes again",
        ),
        "401": failsAtOnce((url) => `codemagic: ${url} returned 401 Unauthorized: "Unauthorized"; check the API token (from the token input): `
            + "copy it again from Codemagic's Account settings > API token", "a 4xx is not retried"),
        "403": failsAtOnce((url) => `codemagic: ${url} returned 403 Forbidden: "You do not have access to this application"; `
            + "the API token (from the token input) belongs to a user with no access to this app; use a token of a team member who can see it", "a 4xx is not retried"),
        // By design (client.ts deleteCache): a cache listed a moment ago and gone now is what the purge wanted.
        "404": { outcome: "purged", purgeCalls: 1, retries: 0, emulatorPurges: 0, why: "a 404 on deleting one listed cache means it is already gone" },
    },
};
