import assert from "node:assert/strict";
import type { PurgeService } from "../../src/core/service";
import { HttpEmulator } from "../../src/services/http/emulator";
import { httpService } from "../../src/services/http/service";
import { up } from "./provider-driver";

const http = httpService as unknown as PurgeService;
const DAY_S = 86_400;

/**
 * Every wait of the generic purge is bounded by what the user set (maxRetryDelayMs, timeoutMs,
 * purgeTimeoutMs, wait.timeoutMs), whatever an unknown API asks for: a day's Retry-After, a rate-limit
 * reset a day away in either unit, an answer that never comes, a status that never reads done.
 */
describe("http purge: bounded waits", function () {
    this.timeout(30_000);
    let server: HttpEmulator;

    beforeEach(async () => {
        server = await new HttpEmulator().start();
    });

    afterEach(() => server.stop());

    const inputs = (extra: Record<string, unknown> = {}) => ({ request: { url: `${server.baseUrl}/purge/{target}` }, targets: ["a", "b"], maxRetryDelayMs: 5_000, ...extra });

    it("fails at once on a Retry-After of a day, with one request", async () => {
        server.inject({ status: 429, headers: { "retry-after": String(DAY_S) } });

        const result = await up(http, inputs());

        assert.ok(result.elapsedMs < 5_000, `${result.elapsedMs} ms`);
        assert.equal(server.requests.length, 1);
        assert.equal(result.error, `http: POST ${server.baseUrl}/purge/a returned 429 Too Many Requests (server asked to wait 86400 s, more than maxRetryDelayMs allows); `
            + "0 of 2 targets purged, 2 left for the next pulumi up (a, b)");
    });

    it("fails at once on an HTTP-date Retry-After a day ahead", async () => {
        server.inject({ status: 503, headers: { "retry-after": new Date(Date.now() + DAY_S * 1000).toUTCString() } });

        const result = await up(http, inputs());

        assert.ok(result.elapsedMs < 5_000, `${result.elapsedMs} ms`);
        assert.match(result.error ?? "", /returned 503 Service Unavailable \(server asked to wait 86[34]\d\d s, more than maxRetryDelayMs allows\)/);
    });

    // Headers are made when the test runs: an epoch taken when mocha loads the file is minutes old by then.
    for (const [label, headers] of <Array<[string, () => Record<string, string>]>>[
        ["RateLimit-Reset a day away (seconds from now)", () => ({ "ratelimit-remaining": "0", "ratelimit-reset": String(DAY_S) })],
        ["X-RateLimit-Reset a day away (an epoch)", () => ({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + DAY_S) })],
        ["a combined RateLimit header a day away", () => ({ ratelimit: `limit=10, remaining=0, reset=${DAY_S}` })],
    ]) {
        it(`does not send the next request, and says why, after ${label}`, async () => {
            const answerHeaders = headers();
            server.answer = () => ({ status: 200, headers: answerHeaders, body: {} });

            const result = await up(http, inputs());

            assert.ok(result.elapsedMs < 5_000, `${result.elapsedMs} ms`);
            assert.equal(server.requests.length, 1);
            assert.match(result.error ?? "", /^http: POST \S+\/purge\/b was not sent: rate limit budget spent until its reset \(86[34]\d\d s\), more than maxRetryDelayMs \(5 s\) allows; what was purged before it is recorded, the rest is left for the next pulumi up; 1 of 2 targets purged, 1 left for the next pulumi up \(b\)$/);
        });
    }

    it("gives up on a server that never answers after timeoutMs, without a retry", async () => {
        server.inject({ kind: "hang" });

        const result = await up(http, inputs({ timeoutMs: 500 }));

        assert.ok(result.elapsedMs < 5_000, `${result.elapsedMs} ms`);
        assert.match(result.error ?? "", /no answer within 500 ms/);
    });

    it("stops pacing past purgeTimeoutMs: a maxRequestsPerSecond of one an hour fails at the deadline, not after an hour", async () => {
        const result = await up(http, inputs({ maxRequestsPerSecond: 1 / 3600, purgeTimeoutMs: 1_000 }));

        assert.ok(result.elapsedMs < 5_000, `${result.elapsedMs} ms`);
        assert.equal(server.requests.length, 1);
        assert.match(result.error ?? "", /^http: POST \S+\/purge\/b was not sent \(maxRequestsPerSecond\): purgeTimeoutMs \(1 s\) has passed or would pass while waiting/);
    });

    it("stops polling at purgeTimeoutMs when it comes before wait.timeoutMs", async () => {
        server.answer = (r) => (r.method === "POST" ? { status: 202, body: { id: "p1" } } : { status: 200, body: { state: "queued" } });

        const result = await up(http, {
            request: { url: `${server.baseUrl}/purge` }, purgeTimeoutMs: 1_500,
            wait: { url: `${server.baseUrl}/status/{id}`, idPath: "id", donePath: "state", doneValue: "done", timeoutMs: 3_600_000 },
        });

        assert.ok(result.elapsedMs < 6_000, `${result.elapsedMs} ms`);
        assert.match(result.error ?? "", /^http: (GET \S+\/status\/p1 was not sent: purgeTimeoutMs \(1\.5 s\) has passed or would pass while waiting|1 of 1 purges not done after waiting 1\.5 s \(ids p1\): state never read "done"; .* raise purgeTimeoutMs or leave wait out)/);
        assert.match(result.error ?? "", /all 1 targets were accepted by the service and are recorded as purged, so the next pulumi up does not send them again$/);
    });
});
