import assert from "node:assert/strict";
import { Headers } from "node-fetch";
import { codemagicRateLimit } from "../../src/services/codemagic/client";
import { CodemagicEmulator } from "../../src/services/codemagic/emulator";
import { codemagicService } from "../../src/services/codemagic/service";
import { frontDoor } from "../../src/testing/emulator";
import { FAST, up } from "./provider-run";

const APP = "60ddd0b747960e00124747cb";
const TOKEN = "codemagic-vendor-canary-4b7d";
const IPA = "620f9f218ab90da6b1b22e0e";
const APK = "620f9e948ab90da6b1b2217d";
/** A Workflow Editor app names its workflows by ObjectId, not by a codemagic.yaml key. */
const EDITOR_WORKFLOW = "5d85eaa0e941e00019e81bc2";

interface Receipt {
    readonly completion: string;
    readonly ids: Record<string, string[]>;
    readonly retries: number;
    readonly details: Record<string, unknown>;
}

describe("codemagic as codemagic-docs and the v3 OpenAPI description say", () => {
    let emulator: CodemagicEmulator;

    beforeEach(async () => {
        emulator = await new CodemagicEmulator().start();
        emulator.addToken(TOKEN);
        emulator.deletionDelayMs = 0;
        emulator.addApp(APP, [{ _id: IPA, workflowId: "build-ipa", size: 10 }, { _id: APK, workflowId: "build-apk", size: 20 }]);
    });

    afterEach(() => emulator.stop());

    function purge(extra: Record<string, unknown>) {
        return up(codemagicService, { baseUrl: emulator.baseUrl, appId: APP, token: TOKEN, ...FAST, ...extra });
    }

    it("warns about a workflow key that matched no cache and lists the app's workflow ids in the log and the receipt", async () => {
        const run = await purge({ workflows: { "biuld-ipa": "h1", "build-apk": "h2" } });

        assert.equal(run.error, undefined);
        assert.deepEqual(emulator.deletions.map((d) => d.cacheId), [APK]);
        assert.ok(run.log.includes('codemagic: the app\'s caches belong to workflow ids "build-apk", "build-ipa"'), run.log.join("\n"));
        assert.ok(run.log.includes(`warning: codemagic: workflow "biuld-ipa" of app ${APP} matched no cache, so nothing is deleted for it; `
            + `the app's caches belong to workflow ids "build-apk", "build-ipa". A workflow id is the workflow's key in codemagic.yaml; `
            + "apps set up in the Workflow Editor have ObjectId workflow ids (see GET /apps/:id/caches), and caches expire after 14 days; "
            + "set failOnUnmatchedWorkflow: true to make this an error"), run.log.join("\n"));
        assert.ok(run.log.includes("codemagic: 2 of 2 target(s) done: caches deleted for 1, no cache to delete for 1"), run.log.join("\n"));
        const receipt = run.outs?.receipt as Receipt & { count: number; targets: unknown; notPurged: string[] };
        assert.deepEqual(receipt.details.workflowIdsWithCaches, ["build-apk", "build-ipa"]);
        assert.deepEqual(receipt.details.unmatchedWorkflows, ["biuld-ipa"]);
        assert.deepEqual([receipt.count, receipt.targets, receipt.notPurged], [1, ["build-apk"], ["biuld-ipa"]]);
    });

    it("names the first ten of 5,000 unmatched workflow keys and of the app's workflow ids in a warning of bounded length, counting the rest", async () => {
        const id = (prefix: string, i: number) => `${prefix}-${String(i).padStart(4, "0")}`;
        emulator.addApp(APP, Array.from({ length: 20 }, (_, i) => ({ workflowId: id("built", i) })));
        const workflows = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [id("missing", i), "h1"]));

        const run = await purge({ workflows });

        const quoted = (prefix: string) => Array.from({ length: 10 }, (_, i) => JSON.stringify(id(prefix, i))).join(", ");
        const warning = run.log.find((line) => line.startsWith("warning: codemagic: 5,000 workflows"));
        assert.equal(run.error, undefined);
        assert.equal(warning, `warning: codemagic: 5,000 workflows ${quoted("missing")}, and 4,990 more of app ${APP} matched no cache, `
            + `so nothing is deleted for them; the app's caches belong to 20 workflow ids ${quoted("built")}, and 10 more. A workflow id is the `
            + "workflow's key in codemagic.yaml; apps set up in the Workflow Editor have ObjectId workflow ids (see GET /apps/:id/caches), "
            + "and caches expire after 14 days; set failOnUnmatchedWorkflow: true to make this an error");
        assert.ok(run.log.every((line) => line.length < 1_000), `longest line: ${Math.max(...run.log.map((line) => line.length))} characters`);
        assert.equal(emulator.deletions.length, 0);
        const receipt = run.outs?.receipt as Receipt & { notPurged: string[] };
        assert.deepEqual(receipt.details.unmatchedWorkflows, Object.keys(workflows));
        assert.equal(receipt.notPurged.length, 5_000);
    });

    it("counts nothing as purged, and says so, when the only workflow key matches no cache, with wait", async () => {
        const run = await purge({ workflows: { "biuld-ipa": "h1" }, wait: true });

        const receipt = run.outs?.receipt as Receipt & { count: number; targets: unknown; notPurged: string[]; completion: string };
        assert.equal(run.error, undefined);
        assert.equal(emulator.deletions.length, 0);
        assert.deepEqual([receipt.count, receipt.targets, receipt.completion, receipt.notPurged], [0, [], "nothing", ["biuld-ipa"]]);
        assert.ok(run.log.includes("codemagic: 1 of 1 target(s) done: caches deleted for 0, no cache to delete for 1"), run.log.join("\n"));
        assert.ok(!run.log.some((line) => line.includes("deleted the caches of")), run.log.join("\n"));
    });

    it("fails before deleting anything when asked to, for a Workflow Editor app whose workflow ids are ObjectIds", async () => {
        emulator.addApp(APP, [{ _id: IPA, workflowId: EDITOR_WORKFLOW }]);

        const run = await purge({ workflows: { "ios-release": "h1" }, failOnUnmatchedWorkflow: true });

        assert.equal(run.error?.message, `codemagic: workflow "ios-release" of app ${APP} matched no cache, so nothing is deleted for it; `
            + `the app's caches belong to workflow ids "${EDITOR_WORKFLOW}". A workflow id is the workflow's key in codemagic.yaml; `
            + "apps set up in the Workflow Editor have ObjectId workflow ids (see GET /apps/:id/caches), and caches expire after 14 days; "
            + "failOnUnmatchedWorkflow is set, so the purge stops before deleting anything");
        assert.deepEqual(emulator.requests.map((r) => r.method), ["GET"]);
    });

    it("reads the v3 ratelimit-* headers (reset in seconds remaining) as well as the legacy X-RateLimit-* (epoch seconds)", () => {
        const v3 = codemagicRateLimit(new Headers({ "ratelimit-limit": "5000", "ratelimit-remaining": "0", "ratelimit-reset": "30" }), 1_000_000);
        const legacy = codemagicRateLimit(new Headers({ "X-RateLimit-Remaining": "7", "X-RateLimit-Reset": "1771420145" }), 1_000_000);

        assert.deepEqual(v3, { remaining: 0, resetAtMs: 1_030_000 });
        assert.deepEqual(legacy, { remaining: 7, resetAtMs: 1_771_420_145_000 });
    });

    it("paces by the v3 headers the emulator serves by default: waits for the reset instead of running into 429s", async () => {
        emulator.rateLimit = { limit: 2, windowMs: 1_500 };

        const run = await purge({ workflows: { "build-ipa": "h1", "build-apk": "h2" }, maxRetries: 1 });

        assert.equal(run.error, undefined);
        assert.equal(emulator.rateLimited, 0);
        assert.deepEqual(emulator.deletions.map((d) => d.cacheId), [IPA, APK]);
        assert.ok(run.log.some((l) => l.startsWith("codemagic: rate limit budget spent; waiting for its reset")), run.log.join("\n"));
    });

    it("retries a 429 within its bounds when the server sends no rate-limit headers at all", async () => {
        emulator.rateLimit = { limit: 2, windowMs: 400 };
        emulator.omitRateLimitHeaders = true;
        // Another account: the process-wide rate gate of TOKEN still remembers the last test's budget.
        emulator.addToken("codemagic-token-without-headers");

        const run = await purge({ workflows: { "build-ipa": "h1", "build-apk": "h2" }, maxRetries: 4, token: "codemagic-token-without-headers" });

        assert.equal(run.error, undefined);
        assert.ok(emulator.rateLimited >= 1);
        assert.deepEqual(emulator.deletions.map((d) => d.cacheId), [IPA, APK]);
    });

    it("does not call a wait confirmed when the 202 named no cache", async () => {
        emulator.emptyDeletionBody = true;

        const run = await purge({ wait: true });

        const receipt = run.outs?.receipt as Receipt;
        assert.equal(receipt.completion, "accepted");
        assert.ok(run.log.includes("warning: codemagic: Codemagic answered 202 with an empty body, naming no cache it deletes; "
            + "the purge is recorded as accepted, not confirmed"), run.log.join("\n"));
    });

    it("fails a 200 HTML page from an SSO gateway in place of the cache list, quoting its title", async () => {
        emulator.inject(frontDoor.ssoLoginPage());

        const run = await purge({});

        assert.equal(run.error?.message, `codemagic: GET ${emulator.baseUrl}/apps/${APP}/caches returned 200 OK (text/html) instead of 200 with JSON {"caches": […]}: `
            + "\"Sign in - Corporate SSO\"; check that baseUrl is Codemagic's API (https://api.codemagic.io), not a login page or proxy in front of it");
        assert.equal(emulator.deletions.length, 0);
    });

    it("retries a proxy's HTML 502 and quotes its title when it persists", async () => {
        emulator.inject([frontDoor.proxyError(502), frontDoor.proxyError(502), frontDoor.proxyError(502)]);

        const run = await purge({});

        assert.equal(run.error?.message, `codemagic: GET ${emulator.baseUrl}/apps/${APP}/caches returned 502 Bad Gateway after 3 attempts: "502 Bad Gateway"`);
    });

    it("names the https redirect it did not follow", async () => {
        emulator.inject(frontDoor.redirectToHttps());

        const run = await purge({});

        assert.match(run.error?.message ?? "", /returned 301 Moved Permanently: "a redirect to https:\/\/127\.0\.0\.1:\d+\/apps\/60ddd0b747960e00124747cb\/caches; redirects are not followed/);
    });

    it("keeps what was deleted when the token stops working mid-run, and says how to fix the token", async () => {
        emulator.tokenLifetimeRequests = 2;

        const run = await purge({ workflows: { "build-ipa": "h1", "build-apk": "h2" } });

        assert.deepEqual(emulator.deletions.map((d) => d.cacheId), [IPA]);
        assert.equal(run.error?.message, `codemagic: DELETE ${emulator.baseUrl}/apps/${APP}/caches/${APK} returned 401 Unauthorized: "Unauthorized"; `
            + "check the API token (from the token input): copy it again from Codemagic's Account settings > API token; "
            + "1 of 2 targets purged, 1 left for the next pulumi up (build-apk)");
    });
});
