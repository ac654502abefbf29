import assert from "node:assert/strict";
import type * as http from "http";
import { HttpClient, type HttpPolicy } from "../../src/core/http/client";
import { RateGate } from "../../src/core/http/rate-gate";
import { Redactor } from "../../src/core/redact";
import { Emulator, type RecordedRequest } from "../../src/testing/emulator";

/** A bare emulator: 200 {"ok":true} on every path, so the client's own behaviour is what is tested. */
class EchoEmulator extends Emulator {
    get baseUrl(): string {
        return this.origin;
    }

    protected route(_request: RecordedRequest, res: http.ServerResponse): void {
        this.sendJson(res, 200, { ok: true });
    }
}

describe("HttpClient", function () {
    this.timeout(20_000);
    let server: EchoEmulator;
    let logged: string[];

    beforeEach(async () => {
        server = await new EchoEmulator().start();
        logged = [];
    });

    afterEach(() => server.stop());

    function client(overrides: Partial<HttpPolicy> = {}): HttpClient {
        return new HttpClient({
            service: "svc",
            timeoutMs: 2_000,
            maxRetries: 2,
            maxRetryDelayMs: 5_000,
            baseRetryDelayMs: 10,
            redactor: new Redactor(["SECRET-VALUE-1"]),
            log: { info: (m) => logged.push(m), warn: (m) => logged.push(m) },
            errorMessage: (r) => String((r.json as { message?: string } | undefined)?.message ?? r.text),
            ...overrides,
        });
    }

    it("retries a connection reset and then succeeds", async () => {
        server.inject({ kind: "reset" });

        const res = await client().send({ method: "GET", url: new URL(`${server.baseUrl}/x`) });

        assert.equal(res.status, 200);
        assert.equal(server.requests.length, 2);
        assert.match(logged[0], /^svc: GET http:\/\/127\.0\.0\.1:\d+\/x: connection reset \(ECONNRESET\); retrying in /);
    });

    it("waits as long as Retry-After asks and retries once", async () => {
        server.inject({ status: 429, headers: { "retry-after": "1" }, body: JSON.stringify({ message: "slow down" }) });
        const http = client();

        await http.send({ method: "POST", url: new URL(`${server.baseUrl}/purge`), json: { a: 1 } });

        assert.equal(server.requests.length, 2);
        assert.ok(server.requests[1].atMs - server.requests[0].atMs >= 950, "waited about a second");
        assert.equal(http.retries, 1);
        assert.equal(http.requests, 2);
    });

    it("fails at once when the server asks to wait longer than maxRetryDelayMs", async () => {
        server.inject({ status: 429, headers: { "retry-after": "3600" }, body: JSON.stringify({ message: "quota" }) });

        await assert.rejects(client().send({ method: "GET", url: new URL(`${server.baseUrl}/x`) }), {
            message: `svc: GET ${server.baseUrl}/x returned 429 Too Many Requests (server asked to wait 3600 s, more than maxRetryDelayMs allows): "quota"`,
        });
        assert.equal(server.requests.length, 1);
    });

    it("gives up after maxRetries and counts the attempts in the message", async () => {
        server.inject([{ status: 502 }, { status: 502 }, { status: 502 }]);

        await assert.rejects(client().send({ method: "GET", url: new URL(`${server.baseUrl}/x`) }), {
            message: `svc: GET ${server.baseUrl}/x returned 502 Bad Gateway after 3 attempts`,
        });
    });

    it("redacts a secret the server echoes back in its error body", async () => {
        server.inject({ status: 403, body: JSON.stringify({ message: "key SECRET-VALUE-1 is not valid" }) });

        await assert.rejects(client().send({ method: "GET", url: new URL(`${server.baseUrl}/x`) }), {
            message: `svc: GET ${server.baseUrl}/x returned 403 Forbidden: "key [secret] is not valid"`,
        });
    });

    it("does not follow a redirect that could carry credentials elsewhere", async () => {
        server.inject({ status: 302, headers: { location: "https://elsewhere.example.com/steal" } });

        await assert.rejects(client().send({ method: "GET", url: new URL(`${server.baseUrl}/x`) }), /returned 302 Found/);
        assert.equal(server.requests.length, 1);
    });

    it("holds requests until the rate-limit reset once the budget is spent, and says so", async () => {
        const gate = new RateGate(1);
        const resetAtMs = Date.now() + 1_000;
        const http = client({ rateLimit: { gate, read: () => ({ remaining: 0, resetAtMs }) } });

        await http.send({ method: "GET", url: new URL(`${server.baseUrl}/a`) });
        await http.send({ method: "GET", url: new URL(`${server.baseUrl}/b`) });

        assert.ok(server.requests[1].atMs - server.requests[0].atMs >= 900);
        assert.match(logged.join("\n"), /^svc: rate limit budget spent; waiting for its reset \(\d(\.\d)? s\)$/m);
    });
});
