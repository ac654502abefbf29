import { BuddyEmulator } from "../../src/services/buddy/emulator";
import { CodemagicEmulator } from "../../src/services/codemagic/emulator";
import { FlextypeEmulator } from "../../src/services/flextype/emulator";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { MicroStrategyEmulator } from "../../src/services/microstrategy/emulator";
import type { Emulator, Fault, RecordedRequest } from "../../src/testing/emulator";
import type { Props } from "../harness/sdk";
import { cloudfrontFaults } from "./cloudfront-faults";
import { cloudflareFaults } from "./cloudflare-faults";
import { fastlyFaults } from "./fastly-faults";
import { httpFaults } from "./http-faults";

/**
 * The fault matrix of issue 8: eleven faults, each injected on the purge call of each service, with
 * what the user must see. Pure data and emulator set-up; the test drives it through the
 * provider host.
 */

/** Small limits, so that every case finishes within a few seconds: the bounds the user sets, not wall time, are asserted. */
export const LIMITS = { timeoutMs: 1_000, maxRetries: 2, maxRetryDelayMs: 2_000 } as const;

export const FAULT_NAMES = [
    "429 with Retry-After",
    "429 with the service's reset header",
    "500",
    "502",
    "503",
    "connection reset",
    "a server that never answers",
    "malformed JSON on a success status",
    "401",
    "403",
    "404",
] as const;

export type FaultName = (typeof FAULT_NAMES)[number];

/** What the user sees after the fault. `purgeCalls` counts the requests that matched the purge call. */
export type Expected =
    /** `emulatorPurges`: purges the server carried out; 0 when the fault took the place of its answer to the only call. */
    | { readonly outcome: "purged"; readonly purgeCalls: number; readonly retries: number; readonly emulatorPurges: number; readonly why: string }
    | { readonly outcome: "failed"; readonly purgeCalls: number; readonly message: (purgeUrl: string) => string; readonly why: string };

/** One service's emulator, ready for one case, and the facts the test asserts on. */
export interface Arena {
    readonly emulator: Emulator;
    /** Inputs that pass check, credentials and `LIMITS` included. */
    readonly inputs: Props;
    /** Picks the purge call out of the service's requests (login, list and logout are not it). */
    readonly isPurgeCall: (r: RecordedRequest) => boolean;
    /** The purge call's URL as error messages show it. */
    readonly purgeUrl: string;
    /** How many purges the emulator carried out. */
    readonly purged: () => number;
}

export interface ServiceFaults {
    readonly service: "flextype" | "codemagic" | "microstrategy" | "buddy" | "imagekit" | "cloudfront" | "cloudflare" | "fastly" | "http";
    readonly urn: string;
    /** Starts a fresh emulator; `account` is unique per case, as each service's rate gate is per account. */
    readonly arena: (account: string) => Promise<Arena>;
    /** The faults to queue on the purge call (more than one when one fault is met more than once). */
    readonly faults: (name: FaultName) => readonly Fault[];
    readonly expected: Readonly<Record<FaultName, Expected>>;
}

const RETRY_AFTER: Fault = { status: 429, headers: { "Retry-After": "1" }, body: "" };

export function json(value: unknown): string {
    return JSON.stringify(value);
}

export function retried(why: string): Expected {
    return { outcome: "purged", purgeCalls: 2, retries: 1, emulatorPurges: 1, why };
}

export function failsAtOnce(message: (purgeUrl: string) => string, why: string, purgeCalls = 1): Expected {
    return { outcome: "failed", purgeCalls, message, why };
}

export function timedOut(service: string): Expected {
    return failsAtOnce(
        (url) => `${service}: ${url} failed: no answer within ${LIMITS.timeoutMs} ms; raise timeoutMs if the service is slow`,
        "a request that gets no answer within timeoutMs is not retried",
    );
}

/** The faults every service shares; the vendor's bodies and headers come from `vendor`. */
export function commonFaults(vendor: {
    readonly rateLimited: string;
    readonly resetHeaders: () => Record<string, string>;
    readonly serverError: (status: number) => string;
    readonly clientError: (status: 401 | 403 | 404) => string;
    readonly successStatus: number;
}): (name: FaultName) => readonly Fault[] {
    return (name) => {
        switch (name) {
            case "429 with Retry-After": return [{ ...RETRY_AFTER, body: vendor.rateLimited }];
            case "429 with the service's reset header": return [{ status: 429, headers: vendor.resetHeaders(), body: vendor.rateLimited }];
            case "500": return [{ status: 500, body: vendor.serverError(500) }];
            case "502": return [{ status: 502, body: vendor.serverError(502) }];
            case "503": return [{ status: 503, body: vendor.serverError(503) }];
            case "connection reset": return [{ kind: "reset" }];
            case "a server that never answers": return [{ kind: "hang" }];
            case "malformed JSON on a success status": return [{ kind: "malformed", status: vendor.successStatus }];
            case "401": return [{ status: 401, body: vendor.clientError(401) }];
            case "403": return [{ status: 403, body: vendor.clientError(403) }];
            case "404": return [{ status: 404, body: vendor.clientError(404) }];
        }
    };
}

const NO_RESET_HEADER = "the service sends no reset header: a 429 without Retry-After is retried after backoff";

// ---------------------------------------------------------------------------------------------------- Flextype

const FLEXTYPE_TOKEN = "0123456789abcdef0123456789abcdef";
const FLEXTYPE_BODIES: Record<number, { title: string; message: string }> = {
    401: { title: "Unauthorized", message: "Token is wrong" },
    403: { title: "Forbidden", message: "Access to this resource is forbidden" },
    404: { title: "Not Found", message: "Page not found" },
    500: { title: "Internal Server Error", message: "Cache folder could not be deleted" },
    502: { title: "Bad Gateway", message: "Upstream PHP-FPM did not answer" },
    503: { title: "Service Unavailable", message: "Site in maintenance mode" },
};

const flextype: ServiceFaults = {
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

// ---------------------------------------------------------------------------------------------------- Codemagic

const APP = "60ddd0b747960e00124747cb";
const IPA = "620f9f218ab90da6b1b22e0e";

const codemagic: ServiceFaults = {
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

// ---------------------------------------------------------------------------------------------------- MicroStrategy

const MSTR_USER = "admin";
const PROJECT_ID = "B7CA92F04B9FAE8D941C3E9B7E0CD754";
const TICKET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

function mstrError(code: string, message: string): string {
    return json({ code, message, ticketId: TICKET });
}

const microstrategy: ServiceFaults = {
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

// ---------------------------------------------------------------------------------------------------- Buddy

function buddyErrors(message: string): string {
    return json({ errors: [{ message }] });
}

const buddy: ServiceFaults = {
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

// ---------------------------------------------------------------------------------------------------- ImageKit

const IK_HELP = "For support kindly contact us at support@imagekit.io .";

function imagekitError(message: string): string {
    return json({ message, help: IK_HELP });
}

const imagekit: ServiceFaults = {
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

export const SERVICE_FAULTS: readonly ServiceFaults[] = [flextype, codemagic, microstrategy, buddy, imagekit, cloudfrontFaults, cloudflareFaults, fastlyFaults, httpFaults];
