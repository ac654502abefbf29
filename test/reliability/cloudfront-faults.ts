import { CloudFrontEmulator } from "../../src/services/cloudfront/emulator";
import type { Fault } from "../../src/testing/emulator";
import { type Expected, type FaultName, LIMITS, type ServiceFaults } from "./fault-cases";

/** CloudFront's row of the fault matrix (fault-cases.ts): its XML error bodies, and what a user sees. */

const DIST = "E2QWRUHEXAMPLE";
const KEY_ID = "AKIAFAULTEXAMPLE0000";

/** REST-XML's error body, as CloudFront writes it. */
export function xmlError(type: "Sender" | "Receiver", code: string, message: string): string {
    return `<?xml version="1.0"?>\n<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>${type}</Type><Code>${code}</Code>`
        + `<Message>${message}</Message></Error><RequestId>4bd3c6a1-0c4f-4d1e-9a2b-7e8f00c1d2e3</RequestId></ErrorResponse>`;
}

const BODIES: Record<number, string> = {
    401: xmlError("Sender", "InvalidClientTokenId", "The security token included in the request is invalid."),
    403: xmlError("Sender", "AccessDenied", "User: arn:aws:iam::123456789012:user/deploy is not authorized to perform: cloudfront:CreateInvalidation"),
    404: xmlError("Sender", "NoSuchDistribution", "The specified distribution does not exist."),
    500: xmlError("Receiver", "InternalFailure", "The request processing has failed because of an unknown error."),
    502: xmlError("Receiver", "ServiceUnavailable", "Service is unavailable."),
    503: xmlError("Receiver", "ServiceUnavailable", "Service is unavailable."),
};

function retried(why: string): Expected {
    return { outcome: "purged", purgeCalls: 2, retries: 1, emulatorPurges: 1, why };
}

function failsAtOnce(message: (purgeUrl: string) => string, why: string): Expected {
    return { outcome: "failed", purgeCalls: 1, message, why };
}

function faults(name: FaultName): readonly Fault[] {
    switch (name) {
        case "429 with Retry-After": return [{ status: 429, headers: { "Retry-After": "1" }, body: xmlError("Sender", "Throttling", "Rate exceeded") }];
        case "429 with the service's reset header": return [{ status: 429, body: xmlError("Sender", "Throttling", "Rate exceeded") }];
        case "500": return [{ status: 500, body: BODIES[500] }];
        case "502": return [{ status: 502, body: BODIES[502] }];
        case "503": return [{ status: 503, body: BODIES[503] }];
        case "connection reset": return [{ kind: "reset" }];
        case "a server that never answers": return [{ kind: "hang" }];
        case "malformed JSON on a success status": return [{ kind: "malformed", status: 201 }];
        case "401": return [{ status: 401, body: BODIES[401] }];
        case "403": return [{ status: 403, body: BODIES[403] }];
        case "404": return [{ status: 404, body: BODIES[404] }];
    }
}

export const cloudfrontFaults: ServiceFaults = {
    service: "cloudfront",
    urn: "urn:pulumi:test::p::pulumi-nodejs:dynamic/cloudfront:Invalidation::site",
    async arena(account) {
        const emulator = await new CloudFrontEmulator({ accounts: { [KEY_ID]: account }, distributions: [DIST] }).start();
        return {
            emulator,
            inputs: { endpoint: emulator.baseUrl, distributionId: DIST, paths: ["/index.html"], accessKeyId: KEY_ID, secretAccessKey: account, ...LIMITS },
            isPurgeCall: (r) => r.method === "POST" && r.path === `/2020-05-31/distribution/${DIST}/invalidation`,
            purgeUrl: `POST ${emulator.baseUrl}/2020-05-31/distribution/${DIST}/invalidation`,
            purged: () => emulator.invalidations.length,
        };
    },
    faults,
    expected: {
        "429 with Retry-After": retried("waits the Retry-After, then sends the same signed request and CallerReference"),
        "429 with the service's reset header": retried("CloudFront sends no reset header: a 429 without Retry-After is retried after backoff"),
        "500": retried("a 5xx is retried; the same CallerReference makes a retry of a request that did reach CloudFront find its invalidation"),
        "502": retried("a 5xx is retried"),
        "503": retried("a 5xx is retried"),
        "connection reset": retried("a connection reset is retried"),
        "a server that never answers": failsAtOnce(
            (url) => `cloudfront: ${url} failed: no answer within ${LIMITS.timeoutMs} ms; raise timeoutMs if the service is slow`,
            "a request that gets no answer within timeoutMs is not retried; the next up re-finds the invalidation by its CallerReference"),
        "malformed JSON on a success status": failsAtOnce(
            (url) => `cloudfront: ${url} returned 201 Created (application/json) instead of 201 with an XML <Invalidation> holding <Id> and <Status>: "{\\"truncated\\":"; `
                + "check that endpoint is CloudFront's API (https://cloudfront.amazonaws.com), not a proxy in front of it",
            "CloudFront's success is the XML invalidation with its id; anything else answering is not CloudFront"),
        "401": failsAtOnce((url) => `cloudfront: ${url} returned 401 Unauthorized: "InvalidClientTokenId: The security token included in the request is invalid."`, "a 4xx is not retried"),
        "403": failsAtOnce((url) => `cloudfront: ${url} returned 403 Forbidden: "AccessDenied: User: arn:aws:iam::123456789012:user/deploy is not authorized to perform: `
            + "cloudfront:CreateInvalidation\"", "a 4xx is not retried"),
        "404": failsAtOnce((url) => `cloudfront: ${url} returned 404 Not Found: "NoSuchDistribution: The specified distribution does not exist."`, "a 4xx is not retried"),
    },
};
