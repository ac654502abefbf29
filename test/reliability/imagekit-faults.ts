import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { commonFaults, failsAtOnce, json, LIMITS, retried, type ServiceFaults, timedOut } from "./fault-cases";

const IK_HELP = "For support kindly contact us at support@imagekit.io .";

function imagekitError(message: string): string {
    return json({ message, help: IK_HELP });
}

/** ImageKit's row of the fault matrix (the eleven faults on its purge call). */
export const imagekitFaults: ServiceFaults = {
    service: "imagekit",
    urn: "urn:pulumi:test::p::pulumi-nodejs:dynamic/imagekit:UrlPurge::images",
    async arena(account) {
        const emulator = await new ImageKitEmulator({ privateKey: account }).start();
        return {
            emulator,
            inputs: { baseUrl: emulator.baseUrl, privateKey: account, urls: ["https://ik.imagekit.io/acme/a.jpg"], ...LIMITS },
            isPurgeCall: (r) => r.method === "POST" && r.path === "/v1/files/purge",
            purgeUrl: `POST ${emulator.baseUrl}/v1/files/purge`,
            purged: () => emulator.purges.length,
        };
    },
    faults: commonFaults({
        rateLimited: imagekitError("Too many requests"),
        // Milliseconds to wait, not an epoch: ImageKit's own reading of the header.
        resetHeaders: () => ({ "X-RateLimit-Limit": "50", "X-RateLimit-Interval": "1000", "X-RateLimit-Reset": "1000" }),
        serverError: () => imagekitError("We have experienced an internal error while processing your request."),
        clientError: (status) => imagekitError({ 401: "Your request does not contain private API key.", 403: "Your account cannot be authenticated.", 404: "Not found" }[status]),
        successStatus: 201,
    }),
    expected: {
        "429 with Retry-After": retried("waits the Retry-After, then succeeds"),
        "429 with the service's reset header": retried("waits X-RateLimit-Reset (milliseconds to wait), then succeeds"),
        "500": retried("a 5xx is retried"),
        "502": retried("a 5xx is retried"),
        "503": retried("a 5xx is retried"),
        "connection reset": retried("a connection reset is retried"),
        "a server that never answers": timedOut("imagekit"),
        "malformed JSON on a success status": failsAtOnce(
            (url) => `imagekit: ${url} returned 201 Created (application/json) instead of 201 with JSON {"requestId": …}: "{\\"truncated\\":"; `
                + "check that baseUrl is ImageKit's API (https://api.imagekit.io), not a login page or proxy in front of it",
            "the purge's answer carries the request id to poll: a body that is not JSON is an error that says so",
        ),
        "401": failsAtOnce((url) => `imagekit: ${url} returned 401 Unauthorized: "Your request does not contain private API key."; `
            + "check the private key (from the privateKey input): it must be the account's private key (private_…, not the public one), not expired, and the account active; copy it again from ImageKit's dashboard > Developer options", "a 4xx is not retried"),
        "403": failsAtOnce((url) => `imagekit: ${url} returned 403 Forbidden: "Your account cannot be authenticated."; `
            + "check the private key (from the privateKey input): it must be the account's private key (private_…, not the public one), not expired, and the account active; copy it again from ImageKit's dashboard > Developer options", "a 4xx is not retried"),
        "404": failsAtOnce((url) => `imagekit: ${url} returned 404 Not Found: "Not found"; `
            + "ImageKit's purge API never answers this status: check that baseUrl is ImageKit's API (https://api.imagekit.io), not the URL endpoint that serves the images", "a 4xx is not retried"),
    },
};
