import assert from "node:assert/strict";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import type { AddressInfo } from "net";
import * as path from "path";
import type { PurgeService } from "../../src/core/service";
import { BuddyEmulator } from "../../src/services/buddy/emulator";
import { buddyService } from "../../src/services/buddy/service";
import { CodemagicEmulator } from "../../src/services/codemagic/emulator";
import { codemagicService } from "../../src/services/codemagic/service";
import { flextypeService } from "../../src/services/flextype/service";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { imagekitService } from "../../src/services/imagekit/service";
import { up } from "./provider-driver";

/**
 * Bounded waits and bounded memory (issue 13, items 5 to 7): whatever a server's headers or body say,
 * no wait outlasts maxRetryDelayMs or the purge's deadline, and no answer is read past a cap.
 */

const APP = "60ddd0b747960e00124747cb";
const IK = "https://ik.imagekit.io/acme";
let tokenCount = 0;
/** A token per test: rate gates are process-wide per account, and one test's spent budget must not reach the next. */
const freshToken = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${tokenCount++}`;

const codemagic = codemagicService as unknown as PurgeService;
const imagekit = imagekitService as unknown as PurgeService;
const buddy = buddyService as unknown as PurgeService;
const flextype = flextypeService as unknown as PurgeService;

/** The longest waits observed, per header, for the closing note of the issue. */
const observed: Record<string, number> = {};

describe("bounded waits: no header a server sends stalls a purge past maxRetryDelayMs or purgeTimeoutMs", function () {
    this.timeout(60_000);
    const stops: Array<() => Promise<void>> = [];

    afterEach(async () => {
        await Promise.all(stops.splice(0).map((stop) => stop()));
    });

    after(() => console.log(`      longest waits observed: ${JSON.stringify(observed)}`));

    async function codemagicWith(token: string): Promise<CodemagicEmulator> {
        const emulator = await new CodemagicEmulator().addToken(token).start();
        emulator.addApp(APP, [{ workflowId: "build-ipa" }]);
        stops.push(() => emulator.stop());
        return emulator;
    }

    it("fails at once, sending nothing more, when Codemagic's Remaining: 0 names a reset an hour ahead", async () => {
        const token = freshToken("cm-hour");
        const emulator = await codemagicWith(token);
        emulator.rateLimit = { limit: 100, windowMs: 3_600_000 };
        emulator.setRateWindow(99);

        const result = await up(codemagic, { baseUrl: emulator.baseUrl, appId: APP, token });

        observed["codemagic X-RateLimit-Reset (1 h)"] = result.elapsedMs;
        // The reset is whole epoch seconds, rounded up: 3600 or 3601 s away.
        assert.match(result.error ?? "", new RegExp(`^codemagic: DELETE ${emulator.baseUrl}/apps/${APP}/caches was not sent: rate limit budget spent until its reset `
            + "\\(360[01] s\\), more than maxRetryDelayMs \\(60 s\\) allows; what was purged before it is recorded, the rest is left for the next pulumi up$"));
        assert.deepEqual(emulator.requests.map((r) => r.method), ["GET"]);
        assert.ok(result.elapsedMs < 5_000, `${result.elapsedMs} ms`);
    });

    it("never hands a reset in epoch milliseconds to a timer: it says the reset is not a plausible time", async () => {
        const token = freshToken("cm-epoch-ms");
        const emulator = await codemagicWith(token);
        const warnings: string[] = [];
        const onWarning = (w: Error) => warnings.push(w.name);
        process.on("warning", onWarning);
        const caches = JSON.stringify({ caches: emulator.caches(APP) });
        emulator.inject({ status: 200, body: caches, headers: { "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(Date.now() + 3_600_000) } }, (r) => r.method === "GET");

        const result = await up(codemagic, { baseUrl: emulator.baseUrl, appId: APP, token });
        await new Promise((r) => setTimeout(r, 50));
        process.off("warning", onWarning);

        observed["codemagic X-RateLimit-Reset in ms"] = result.elapsedMs;
        assert.match(result.error ?? "", /^codemagic: DELETE \S+ was not sent: rate limit budget spent until its reset \(a reset \d+ s away, not a plausible time\), more than maxRetryDelayMs \(60 s\) allows;/);
        assert.deepEqual(warnings, []);
        assert.ok(result.elapsedMs < 5_000);
    });

    it("fails at once when Buddy's budget resets in a day", async () => {
        const token = freshToken("buddy-day");
        const emulator = await new BuddyEmulator({
            pathPrefix: "/api",
            workspaces: { acme: { projects: { web: [{ id: 2, name: "web" }, { id: 3, name: "api" }] } } },
            tokens: { [token]: { scopes: ["EXECUTION_MANAGE"] } },
        }).start();
        stops.push(() => emulator.stop());
        emulator.rateLimit = { limit: 100, windowMs: 86_400_000 };
        emulator.setRateWindow(99);

        const result = await up(buddy, { baseUrl: emulator.baseUrl, workspace: "acme", project: "web", pipelines: { 2: "a", 3: "b" }, token });

        observed["buddy X-Rate-Limit-Reset (1 day)"] = result.elapsedMs;
        assert.match(result.error ?? "", /^buddy: PATCH \S+ was not sent: rate limit budget spent until its reset \(8640\d s\), more than maxRetryDelayMs \(60 s\) allows; what was purged before it is recorded/);
        assert.equal(emulator.clears.length, 1);
        assert.ok(result.elapsedMs < 5_000);
    });

    it("fails the second URL at once when ImageKit allows one request per hour, and records the first", async () => {
        const privateKey = freshToken("private_ik");
        const emulator = await new ImageKitEmulator({ privateKey }).start();
        stops.push(() => emulator.stop());
        emulator.rateLimit = { limit: 1, windowMs: 3_600_000 };

        const result = await up(imagekit, { baseUrl: emulator.baseUrl, urls: [`${IK}/a.jpg`, `${IK}/b.jpg`], privateKey });

        observed["imagekit X-RateLimit-Interval (1 h)"] = result.elapsedMs;
        assert.match(result.error ?? "", /^imagekit: POST \S+ was not sent: the service allows 1 request\(s\) per 3600000 ms \(3600 s\), more than maxRetryDelayMs \(60 s\) allows;.* 1 of 2 targets purged, 1 left for the next pulumi up/);
        assert.deepEqual(emulator.purgedUrls, [`${IK}/a.jpg`]);
        assert.deepEqual((result.partialOuts?.receipt as { reasons: object }).reasons, [{ why: "created", targets: [`${IK}/a.jpg`] }]);
        assert.ok(result.elapsedMs < 5_000);
    });

    it("stops at purgeTimeoutMs, whatever the retries would still allow", async () => {
        const token = freshToken("cm-deadline");
        const emulator = await codemagicWith(token);
        emulator.inject(Array.from({ length: 10 }, () => ({ status: 503, body: "{}", headers: { "retry-after": "1" } })));

        const result = await up(codemagic, { baseUrl: emulator.baseUrl, appId: APP, token, maxRetries: 10, purgeTimeoutMs: 2_500 });

        observed["purgeTimeoutMs 2.5 s against ten 503s with Retry-After: 1"] = result.elapsedMs;
        assert.match(result.error ?? "", /^codemagic: GET \S+ returned 503 Service Unavailable after 3 attempts \(purgeTimeoutMs \(2\.5 s\) would pass before the retry\)/);
        assert.ok(result.elapsedMs < 3_000, `${result.elapsedMs} ms`);
    });

    it("treats Retry-After: -5 and a date in the past as no hint, and backs off instead", async () => {
        const token = freshToken("cm-negative");
        const emulator = await codemagicWith(token);
        const past = new Date(Date.now() - 60_000).toUTCString();
        emulator.inject([
            { status: 503, body: "{}", headers: { "retry-after": "-5" } },
            { status: 503, body: "{}", headers: { "retry-after": past } },
            { status: 503, body: "{}", headers: { "retry-after": "-5" } },
        ]);

        const result = await up(codemagic, { baseUrl: emulator.baseUrl, appId: APP, token, maxRetries: 3 });

        const gets = emulator.requests.filter((r) => r.method === "GET").map((r) => r.atMs);
        const gaps = gets.slice(1).map((at, i) => at - gets[i]);
        assert.equal(result.error, undefined);
        assert.equal(gets.length, 4);
        // Backoff from 250 ms, doubling, half of it jitter: at least 125, 250 and 500 ms.
        assert.ok(gaps[0] >= 100 && gaps[1] >= 200 && gaps[2] >= 450, JSON.stringify(gaps));
    });
});

describe("bounded memory: an answer larger than any purge API sends is cut, and not retried", function () {
    this.timeout(120_000);

    for (const framing of ["chunked", "ended by closing the connection"] as const) {
    it(`reads at most 16 MiB of a 600 MB body (${framing}), fails once with a message that says so, and keeps the host's memory flat`, async () => {
        let served = 0;
        const server = http.createServer((_req, res) => {
            served++;
            if (framing !== "chunked") {
                // No Content-Length and no chunks: the body runs until the server closes the connection.
                res.useChunkedEncodingByDefault = false;
                res.shouldKeepAlive = false;
            }
            res.writeHead(200, { "content-type": "application/json" });
            const chunk = Buffer.alloc(1024 * 1024, "a");
            let sent = 0;
            const pump = () => {
                while (sent < 600 && res.write(chunk)) {
                    sent++;
                }
                if (sent >= 600) {
                    res.end();
                } else {
                    res.once("drain", pump);
                }
            };
            res.on("close", () => {
                sent = 600;
            });
            pump();
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        global.gc?.();
        const before = process.memoryUsage().rss;
        let peak = before;
        const sampler = setInterval(() => {
            peak = Math.max(peak, process.memoryUsage().rss);
        }, 5);

        const result = await up(flextype, { baseUrl, token: freshToken("ft-big"), accessToken: "access-big-body-1" });
        clearInterval(sampler);
        server.closeAllConnections();
        await new Promise((r) => server.close(r));

        const growthMb = Math.round((peak - before) / 1024 / 1024);
        console.log(`      peak host memory growth against a 600 MB body: ${growthMb} MB (rss ${Math.round(peak / 1024 / 1024)} MB)`);
        assert.equal(result.error, `flextype: POST ${baseUrl}/api/v1/cache/clear returned 200 with a body larger than 16 MiB (more than 16,777,216 bytes read); `
            + "stopped reading it and did not retry: no answer of this API is that large, so the base URL may point at something else");
        assert.equal(served, 1);
        assert.ok(growthMb < 150, `${growthMb} MB`);
    });
    }
});

describe("TLS: a certificate the host does not trust is refused once, with the way to trust a private CA", function () {
    this.timeout(30_000);

    it("does not retry a self-signed certificate and names NODE_EXTRA_CA_CERTS", async () => {
        let served = 0;
        const fixtures = path.join(__dirname, "fixtures");
        const server = https.createServer({ key: fs.readFileSync(path.join(fixtures, "self-signed.key")), cert: fs.readFileSync(path.join(fixtures, "self-signed.crt")) }, (_req, res) => {
            served++;
            res.end("{}");
        });
        let connections = 0;
        server.on("connection", () => connections++);
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

        const result = await up(flextype, { baseUrl, token: freshToken("ft-tls"), accessToken: "access-tls-1", maxRetries: 3 });
        server.closeAllConnections();
        await new Promise((r) => server.close(r));

        assert.equal(result.error, `flextype: POST ${baseUrl}/api/v1/cache/clear failed: the server's TLS certificate was refused: it is self-signed `
            + "(DEPTH_ZERO_SELF_SIGNED_CERT); not retried; if the server uses a certificate of your own CA, trust it by setting "
            + "NODE_EXTRA_CA_CERTS=/path/to/ca.pem in the environment that runs pulumi");
        assert.equal(served, 0);
        assert.equal(connections, 1);
    });
});
