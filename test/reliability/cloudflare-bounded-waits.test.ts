import assert from "node:assert/strict";
import { Headers } from "node-fetch";
import type { PurgeService } from "../../src/core/service";
import { cloudflareRateLimit } from "../../src/services/cloudflare/client";
import { CloudflareEmulator } from "../../src/services/cloudflare/emulator";
import { cloudflareService } from "../../src/services/cloudflare/service";
import { up } from "./provider-driver";

const cloudflare = cloudflareService as unknown as PurgeService;
const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";

describe("cloudflare: every wait is bounded by what the user set", function () {
    this.timeout(30_000);
    let emulator: CloudflareEmulator;
    const token = `CANARY-cf-bounded-${Math.random().toString(16).slice(2, 10)}`;

    beforeEach(async () => {
        emulator = await new CloudflareEmulator({ tokens: { [token]: [ZONE] }, zones: [ZONE], plan: "enterprise" }).start();
    });

    afterEach(() => emulator.stop());

    it("fails at once when a 429 asks to wait an hour, more than maxRetryDelayMs, without a second request", async () => {
        emulator.inject({ status: 429, headers: { "Retry-After": "3600" }, body: JSON.stringify({ success: false, errors: [{ code: 1134, message: "Unable to purge, rate limit reached" }] }) });

        const result = await up(cloudflare, { zoneId: ZONE, apiToken: token, tags: ["blog"], baseUrl: emulator.baseUrl, plan: "enterprise", maxRetryDelayMs: 5_000 });

        assert.ok(result.elapsedMs < 3_000, `took ${result.elapsedMs} ms`);
        assert.equal(result.error, `cloudflare: POST ${emulator.baseUrl}/zones/${ZONE}/purge_cache returned 429 Too Many Requests (server asked to wait 3600 s, `
            + "more than maxRetryDelayMs allows): \"code 1134: Unable to purge, rate limit reached (the account's purge rate limit; lower how often purges run, "
            + "or set plan to the zone's plan so requests are paced)\"");
        assert.equal(emulator.requests.length, 1);
    });

    it("waits no longer than a Ratelimit header's reset allows: t=3600 with r=0 stops the next request, recording the first", async () => {
        emulator.inject({ status: 200, headers: { Ratelimit: "\"default\";r=0;t=3600" }, body: JSON.stringify({ success: true, errors: [], messages: [], result: { id: "a1" } }) });

        const result = await up(cloudflare, { zoneId: ZONE, apiToken: token, tags: ["blog"], hosts: ["images.example.com"], baseUrl: emulator.baseUrl, plan: "enterprise", maxRetryDelayMs: 5_000 });

        assert.ok(result.elapsedMs < 3_000, `took ${result.elapsedMs} ms`);
        assert.match(result.error ?? "", /was not sent: rate limit budget spent until its reset \(3600 s\), more than maxRetryDelayMs \(5 s\) allows; .*1 of 2 targets purged, 1 left for the next pulumi up \(host images\.example\.com\)$/);
        assert.equal(emulator.requests.length, 1);
    });

    it("reads the Ratelimit header's r= and t=, and nothing from a header it cannot read", () => {
        assert.deepEqual(cloudflareRateLimit(new Headers({ Ratelimit: "\"default\";r=50;t=30" }), 1_000), { remaining: 50, resetAtMs: 31_000 });
        assert.deepEqual(cloudflareRateLimit(new Headers({ Ratelimit: "garbage" }), 1_000), {});
        assert.deepEqual(cloudflareRateLimit(new Headers({}), 1_000), {});
    });
});
