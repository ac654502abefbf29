import assert from "node:assert/strict";
import { Headers } from "node-fetch";
import type { PurgeService } from "../../src/core/service";
import { fastlyRateLimit } from "../../src/services/fastly/client";
import { FastlyEmulator } from "../../src/services/fastly/emulator";
import { fastlyService } from "../../src/services/fastly/service";
import { up } from "./provider-driver";

const fastly = fastlyService as unknown as PurgeService;
const SERVICE = "SU1Z0isxPaozGVKXdv0eY";

describe("fastly: every wait is bounded by what the user set", function () {
    this.timeout(30_000);
    let emulator: FastlyEmulator;
    const token = `CANARY-fastly-bounded-${Math.random().toString(16).slice(2, 10)}`;

    beforeEach(async () => {
        emulator = await new FastlyEmulator({ tokens: { [token]: { scopes: ["purge_select"] } }, services: [SERVICE] }).start();
    });

    afterEach(() => emulator.stop());

    it("stops before a request when Fastly-RateLimit-Reset is an hour away with nothing remaining, and records what was purged", async () => {
        const inAnHour = String(Math.floor(Date.now() / 1000) + 3600);
        emulator.inject({ status: 200, headers: { "Fastly-RateLimit-Remaining": "0", "Fastly-RateLimit-Reset": inAnHour }, body: JSON.stringify({ status: "ok", id: "1-2-3" }) });

        const result = await up(fastly, { serviceId: SERVICE, apiToken: token, urls: ["https://www.example.com/a", "https://www.example.com/b"], baseUrl: emulator.baseUrl, maxRetryDelayMs: 5_000 });

        assert.ok(result.elapsedMs < 3_000, `took ${result.elapsedMs} ms`);
        assert.match(result.error ?? "", /^fastly: POST \S+\/purge\/www\.example\.com\/b was not sent: rate limit budget spent until its reset \(36\d\d s\), more than maxRetryDelayMs \(5 s\) allows; .*1 of 2 targets purged, 1 left for the next pulumi up \(url https:\/\/www\.example\.com\/b\)$/);
        assert.equal(emulator.requests.length, 1);
    });

    it("reads Fastly-RateLimit-Remaining and Fastly-RateLimit-Reset (epoch seconds, waited to the end of that second)", () => {
        assert.deepEqual(fastlyRateLimit(new Headers({ "Fastly-RateLimit-Remaining": "999", "Fastly-RateLimit-Reset": "1452032384" }), 0),
            { remaining: 999, resetAtMs: 1_452_032_385_000 });
        assert.deepEqual(fastlyRateLimit(new Headers({ "Fastly-RateLimit-Remaining": "-1", "Fastly-RateLimit-Reset": "soon" }), 0), {});
    });
});
