import assert from "node:assert/strict";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { imagekitService } from "../../src/services/imagekit/service";
import { frontDoor } from "../../src/testing/emulator";
import { FAST, up } from "./provider-run";

const KEY = "private_imagekit_vendor_canary_93a1";
const ENDPOINT = "https://ik.imagekit.io/myid/pattern";

interface Receipt {
    readonly completion: string;
    readonly ids: Record<string, string[]>;
    readonly details: Record<string, unknown>;
}

function urls(count: number, prefix = "https://ik.imagekit.io/myid/img"): string[] {
    return Array.from({ length: count }, (_, i) => `${prefix}/${String(i).padStart(2, "0")}.jpg`);
}

describe("imagekit as its docs and SDKs say", () => {
    let emulator: ImageKitEmulator;

    beforeEach(async () => {
        emulator = await new ImageKitEmulator({ privateKey: KEY, urlEndpoints: [ENDPOINT] }).start();
    });

    afterEach(() => emulator.stop());

    function purge(extra: Record<string, unknown>) {
        return up(imagekitService, { baseUrl: emulator.baseUrl, privateKey: KEY, ...FAST, ...extra });
    }

    it("judges a wildcard on the path after the URL endpoint's pattern, and refuses in preview what ImageKit refuses", async () => {
        const provider = createProviderImplementation(imagekitService);
        const url = `${ENDPOINT}/images*`;

        const withEndpoint = await provider.check({}, { privateKey: KEY, urls: [url], urlEndpoint: ENDPOINT });
        const withoutEndpoint = await provider.check({}, { privateKey: KEY, urls: [url] });
        const deeper = await provider.check({}, { privateKey: KEY, urls: [`${ENDPOINT}/images/upload*`], urlEndpoint: `${ENDPOINT}/` });

        assert.deepEqual(withEndpoint.failures, [{
            property: "urls",
            reason: `urls[0]: a wildcard * needs a path of two levels or more (/images/upload*), of at least 15 characters, or a file name with an extension `
                + `(/sample.jpg*) before it, got "${url}" (ImageKit judges the path after the URL endpoint ${ENDPOINT}: "images*")`,
        }]);
        assert.deepEqual(withoutEndpoint.failures ?? [], [], "without the endpoint the pattern counts as a level: the input is what tells");
        assert.deepEqual(deeper.failures ?? [], []);
    });

    it("has an emulator that applies the rule on its own: it refuses the wildcard a client without the endpoint lets through", async () => {
        const run = await purge({ urls: [`${ENDPOINT}/images*`] });

        assert.equal(run.error?.message, `imagekit: POST ${emulator.baseUrl}/v1/files/purge returned 400 Bad Request: "Invalid url"`);
        assert.equal(emulator.purges.length, 0);
    });

    it("does not call a wait confirmed when a purge answer carried no requestId", async () => {
        emulator.omitRequestId = true;

        const run = await purge({ urls: urls(2), wait: true });

        const receipt = run.outs?.receipt as Receipt;
        assert.equal(receipt.completion, "accepted");
        assert.deepEqual(receipt.details.unconfirmedUrls, urls(2));
        assert.equal(emulator.statusReads, 0);
        assert.ok(run.log.some((l) => l.startsWith("warning: imagekit: 2 purge answer(s) carried no requestId")), run.log.join("\n"));
    });

    it("counts retried attempts against maxPurgeRequests, and stops before one that would exceed it", async () => {
        emulator.failUrls.set(urls(1)[0], 500);

        const run = await purge({ urls: urls(2), maxPurgeRequests: 2, maxRetries: 3 });

        assert.equal(emulator.requestsTo("POST", /\/v1\/files\/purge$/).length, 2);
        assert.match(run.error?.message ?? "", /^imagekit: stopped before purge request 3: 2 were sent, retries included, which is maxPurgeRequests; ImageKit may count each against the account's monthly purge quota/);
    });

    it("takes a 429 that speaks of the monthly quota as the quota used up: no retry, and says so", async () => {
        emulator.monthlyQuota = 0;
        emulator.quotaAnswer = { status: 429, message: "Monthly purge request limit exceeded" };

        const run = await purge({ urls: urls(3), maxRetries: 3 });

        const sent = emulator.requests.map((r) => r.fields?.url);
        assert.deepEqual([...new Set(sent)].length, sent.length, "no URL is sent twice");
        assert.equal(run.error?.message, `imagekit: POST ${emulator.baseUrl}/v1/files/purge returned 429 Too Many Requests: "Monthly purge request limit exceeded"; `
            + "the account's monthly purge quota is used up: ImageKit counts every purge request, retries included; not retried. "
            + "Wait for the next month, or ask ImageKit support to raise the quota; "
            + `0 of 3 targets purged, 3 left for the next pulumi up (${urls(3).join(", ")})`);
    });

    it("still retries a plain 429 rate limit", async () => {
        emulator.inject({ status: 429, body: JSON.stringify({ message: "Too many requests", help: "" }), headers: { "x-ratelimit-reset": "100" } });

        const run = await purge({ urls: urls(1) });

        assert.equal(run.error, undefined);
        assert.equal(emulator.purges.length, 1);
    });

    it("purges within both limits at once (per second and per 15 minutes, scaled down)", async () => {
        emulator.rateLimits = [{ limit: 4, windowMs: 200 }, { limit: 10, windowMs: 1_500 }];
        const many = urls(14, "https://ik.imagekit.io/myid/both");

        const started = Date.now();
        const run = await purge({ urls: many, maxRetries: 4, maxRetryDelayMs: 3_000 });
        const tookMs = Date.now() - started;

        assert.equal(run.error, undefined, run.log.join("\n"));
        assert.deepEqual([...emulator.purgedUrls].sort(), many);
        // 14 purges cannot fit one 15-minute window of 10: the second limit must have held some back.
        assert.ok(tookMs >= 1_400, `took ${tookMs} ms`);
    });

    it("retries a 429 within its bounds when no rate-limit headers come", async () => {
        emulator.rateLimits = [{ limit: 2, windowMs: 300 }];
        emulator.omitRateLimitHeaders = true;

        const run = await purge({ urls: urls(4, "https://ik.imagekit.io/myid/noheaders"), maxRetries: 4 });

        assert.equal(run.error, undefined, run.log.join("\n"));
        assert.equal(emulator.purges.length, 4);
    });

    it("keeps the URLs purged before the key was revoked mid-run, and names what is left", async () => {
        emulator.keyLifetimeRequests = 1;

        const run = await purge({ urls: urls(3, "https://ik.imagekit.io/myid/revoked") });

        assert.equal(emulator.purges.length, 1);
        assert.match(run.error?.message ?? "", /returned 403 Forbidden: "Your account cannot be authenticated\."; check the private key \(from the privateKey input\): .*; 1 of 3 targets purged, 2 left for the next pulumi up/);
    });

    it("fails a 200 login page from an SSO gateway, quoting its title", async () => {
        emulator.inject(frontDoor.ssoLoginPage());

        const run = await purge({ urls: urls(1) });

        assert.equal(run.error?.message, `imagekit: POST ${emulator.baseUrl}/v1/files/purge returned 200 OK (text/html) instead of 201 with JSON {"requestId": …}: `
            + "\"Sign in - Corporate SSO\"; check that baseUrl is ImageKit's API (https://api.imagekit.io), not a login page or proxy in front of it");
    });

    it("retries a proxy's HTML 504 and then quotes its title", async () => {
        emulator.inject([frontDoor.proxyError(504), frontDoor.proxyError(504), frontDoor.proxyError(504)]);

        const run = await purge({ urls: urls(1) });

        assert.equal(run.error?.message, `imagekit: POST ${emulator.baseUrl}/v1/files/purge returned 504 Gateway Timeout after 3 attempts: "504 Gateway Time-out"`);
    });

    it("names the https redirect it did not follow", async () => {
        emulator.inject(frontDoor.redirectToHttps());

        const run = await purge({ urls: urls(1) });

        assert.match(run.error?.message ?? "", /returned 301 Moved Permanently: "a redirect to https:\/\/127\.0\.0\.1:\d+\/v1\/files\/purge; redirects are not followed/);
    });
});
