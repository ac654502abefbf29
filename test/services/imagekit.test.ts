import assert from "node:assert/strict";
import { Headers } from "node-fetch";
import { HttpClient } from "../../src/core/http/client";
import { setProgressSink } from "../../src/core/progress-log";
import { Redactor } from "../../src/core/redact";
import { ImageKitApi, imagekitErrorHint, imagekitErrorMessage, imagekitRateLimit } from "../../src/services/imagekit/client";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import imagekitProvider = require("../../src/services/imagekit/provider");
import fc from "fast-check";
import { canonicalPurgeUrl, inspectPurgeUrl, purgeUrlProblem, urlFormProblem } from "../../src/services/imagekit/url-rules";

const KEY = "private_unit_9f8e7d6c5b4a";
const IK = "https://ik.imagekit.io/acme";

function client(): HttpClient {
    return new HttpClient({
        service: "imagekit",
        timeoutMs: 5000,
        maxRetries: 0,
        maxRetryDelayMs: 2000,
        baseRetryDelayMs: 10,
        redactor: new Redactor([KEY]),
        log: { info: () => undefined, warn: () => undefined },
        errorMessage: imagekitErrorMessage,
        errorHint: (r) => imagekitErrorHint(r, (input) => `the ${input} input`),
    });
}

function urlMap(count: number, hash = "h1"): Record<string, string> {
    return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${IK}/img/${String(i).padStart(3, "0")}.jpg`, `${hash}-${i}`]));
}

describe("imagekit URL rules", () => {
    it("gives, without parsing, the same canonical form and verdict as the URL parser for any URL", () => {
        // URLs near the fast path's edges: upper case, ports, escapes, dot segments, punycode, IP hosts, queries.
        const piece = fc.constantFrom("a", "Z", "0", "-", ".", "..", "%61", "%2F", "%zz", "~", "_", "*", "?x", "#f", "@", ":", "xn--", "%2e", "\\", " ", "!", "'");
        const label = fc.array(fc.constantFrom("a", "b", "1", "-", "xn--", "A", "0x"), { minLength: 1, maxLength: 4 }).map((p) => p.join(""));
        const host = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom("", ":443", ":8080", ".")).map(([labels, tail]) => labels.join(".") + tail);
        const path = fc.array(fc.array(piece, { maxLength: 3 }).map((p) => p.join("")), { maxLength: 4 }).map((segments) => `/${segments.join("/")}`);
        const url = fc.tuple(fc.constantFrom("https://", "http://", "HTTPS://", "ftp://"), host, path).map(([scheme, h, p]) => scheme + h + p);

        fc.assert(fc.property(url, (raw) => {
            const problem = urlFormProblem(raw);
            const expected = problem === undefined ? { canonical: canonicalPurgeUrl(raw) ?? raw } : { problem };
            assert.deepEqual(inspectPurgeUrl(raw), expected);
        }), { numRuns: 5000 });
    });

    it("accepts absolute http(s) URLs and trailing wildcards where ImageKit allows them", () => {
        const accepted = [
            `${IK}/default-image.jpg`,
            `${IK}/images/upload*`,
            `${IK}/a-long-folder-name*`,
            `${IK}/sample.jpg*`,
            "https://images.example.com/products/shoe.png?tr=w-300",
        ];

        const problems = accepted.map((url) => purgeUrlProblem(url));

        assert.deepEqual(problems, accepted.map(() => undefined));
    });

    it("says which rule a refused URL breaks", () => {
        const refused = ["img/a.jpg", "ftp://ik.imagekit.io/acme/a.jpg", `${IK}/a/*/b.jpg`, `${IK}/images*`, `${IK}/media/catalog/*`];

        const problems = refused.map((url) => purgeUrlProblem(url));

        assert.deepEqual(problems, [
            `expected an absolute http(s) URL such as https://ik.imagekit.io/your_id/image.jpg, got "img/a.jpg"`,
            `expected an http:// or https:// URL, got "ftp://ik.imagekit.io/acme/a.jpg"`,
            `a wildcard * is allowed only as the last character, got "${IK}/a/*/b.jpg"`,
            `a wildcard * needs a path of two levels or more (/images/upload*), of at least 15 characters, or a file name with an extension (/sample.jpg*) before it, got "${IK}/images*"`,
            `ImageKit never accepts a wildcard purge of media/catalog/*, got "${IK}/media/catalog/*"`,
        ]);
    });
});

describe("imagekit rate-limit headers", () => {
    it("reads the limit per interval and the reset as milliseconds to wait", () => {
        const headers = new Headers({ "x-ratelimit-limit": "50", "x-ratelimit-interval": "1000", "x-ratelimit-reset": "250" });

        const info = imagekitRateLimit(headers, 1_000_000);

        assert.deepEqual(info, { limit: 50, intervalMs: 1000, resetAtMs: 1_000_250 });
    });

    it("ignores headers that are absent or not numbers", () => {
        const headers = new Headers({ "x-ratelimit-limit": "lots" });

        const info = imagekitRateLimit(headers, 5);

        assert.deepEqual(info, {});
    });
});

describe("imagekit client against the emulator", () => {
    let emulator: ImageKitEmulator;

    beforeEach(async () => {
        emulator = await new ImageKitEmulator({ privateKey: KEY }).start();
    });

    afterEach(async () => {
        await emulator.stop();
    });

    it("purges one URL with Basic auth and returns ImageKit's 24-hex request id", async () => {
        const http = client();

        const requestId = await new ImageKitApi(http, emulator.baseUrl, KEY).purgeUrl(`${IK}/a.jpg`);

        assert.match(requestId ?? "", /^[0-9a-f]{24}$/);
        assert.equal(emulator.requests.length, 1);
        const [request] = emulator.requests;
        assert.equal(request.method, "POST");
        assert.equal(request.path, "/v1/files/purge");
        assert.equal(request.headers.authorization, `Basic ${Buffer.from(`${KEY}:`).toString("base64")}`);
        assert.deepEqual(request.fields, { url: `${IK}/a.jpg` });
        assert.deepEqual(emulator.purges.map((p) => [p.url, p.requestId]), [[`${IK}/a.jpg`, requestId]]);
    });

    it("reads Pending, then Completed once the emulator's pending time has passed", async () => {
        emulator.pendingMs = 200;
        const http = client();
        const requestId = (await new ImageKitApi(http, emulator.baseUrl, KEY).purgeUrl(`${IK}/a.jpg`))!;

        const first = await new ImageKitApi(http, emulator.baseUrl, KEY).purgeStatus(requestId);
        await new Promise((r) => setTimeout(r, 250));
        const second = await new ImageKitApi(http, emulator.baseUrl, KEY).purgeStatus(requestId);

        assert.deepEqual([first, second], ["Pending", "Completed"]);
        assert.equal(emulator.requests[1].path, `/v1/files/purge/${requestId}`);
    });

    it("fails a wrong key with ImageKit's 403 message and no key in the text", async () => {
        emulator.privateKey = "private_other_account";
        const http = client();

        const error = await new ImageKitApi(http, emulator.baseUrl, KEY).purgeUrl(`${IK}/a.jpg`).then(() => undefined, (e: Error) => e);

        assert.equal(error?.message, `imagekit: POST ${emulator.baseUrl}/v1/files/purge returned 403 Forbidden: "Your account cannot be authenticated."; `
            + "check the private key (from the privateKey input): it must be the account's private key (private_…, not the public one), not expired, "
            + "and the account active; copy it again from ImageKit's dashboard > Developer options");
    });

    it("fails a URL the service refuses with its 400 message", async () => {
        emulator.wildcardMode = "reject";
        const http = client();

        const error = await new ImageKitApi(http, emulator.baseUrl, KEY).purgeUrl(`${IK}/images/upload*`).then(() => undefined, (e: Error) => e);

        assert.equal(error?.message, `imagekit: POST ${emulator.baseUrl}/v1/files/purge returned 400 Bad Request: "Invalid url"`);
        assert.equal(emulator.purges.length, 0);
    });

    it("fails an unknown request id with ImageKit's 400 message", async () => {
        const http = client();

        const error = await new ImageKitApi(http, emulator.baseUrl, KEY).purgeStatus("598821f949c0a938d57563bd").then(() => undefined, (e: Error) => e);

        assert.equal(error?.message, `imagekit: GET ${emulator.baseUrl}/v1/files/purge/598821f949c0a938d57563bd returned 400 Bad Request: "No request found for this requestId."`);
    });

    it("answers 429 with the three rate-limit headers once the window is spent", async () => {
        emulator.rateLimit = { limit: 1, windowMs: 60_000 };
        const http = client();
        await new ImageKitApi(http, emulator.baseUrl, KEY).purgeUrl(`${IK}/a.jpg`);

        const error = await new ImageKitApi(http, emulator.baseUrl, KEY).purgeUrl(`${IK}/b.jpg`).then(() => undefined, (e: Error) => e);
        const raw = await fetchRaw(`${emulator.baseUrl}/v1/files/purge`);

        assert.match(error?.message ?? "", /returned 429 Too Many Requests: "Too many requests"$/);
        assert.equal(raw.headers.get("x-ratelimit-limit"), "1");
        assert.equal(raw.headers.get("x-ratelimit-interval"), "60000");
        assert.ok(Number(raw.headers.get("x-ratelimit-reset")) > 50_000, "reset is the milliseconds left in the window");
    });

    it("refuses purges once the monthly quota is used up", async () => {
        emulator.monthlyQuota = 1;
        const http = client();
        await new ImageKitApi(http, emulator.baseUrl, KEY).purgeUrl(`${IK}/a.jpg`);

        const error = await new ImageKitApi(http, emulator.baseUrl, KEY).purgeUrl(`${IK}/b.jpg`).then(() => undefined, (e: Error) => e);

        assert.match(error?.message ?? "", /returned 403 Forbidden: "You have exceeded the monthly purge request limit\."; the account's monthly purge quota is used up: ImageKit counts every purge request, retries included; not retried\. Wait for the next month, or ask ImageKit support to raise the quota$/);
        assert.deepEqual(emulator.purgedUrls, [`${IK}/a.jpg`]);
    });
});

describe("imagekit provider in process (check, diff, create, update)", () => {
    let emulator: ImageKitEmulator;
    let log: string[];
    let key: string;

    beforeEach(async () => {
        // A key per test: the rate gate is shared per account across the process, as in a deployment.
        key = `private_inproc_${Math.random().toString(16).slice(2)}`;
        emulator = await new ImageKitEmulator({ privateKey: key }).start();
        log = [];
        setProgressSink((_severity, message) => log.push(message));
    });

    afterEach(async () => {
        setProgressSink(undefined);
        await emulator.stop();
    });

    async function checked(inputs: Record<string, unknown>, olds: Record<string, unknown> = {}) {
        return imagekitProvider.check(olds, { baseUrl: emulator.baseUrl, privateKey: key, ...inputs });
    }

    it("refuses bad inputs in check, naming the field or URL, before any request", async () => {
        const result = await checked({
            urls: { "img/a.jpg": "h", [`${IK}/a/*/b.jpg`]: "h", [`${IK}/ok.jpg`]: 7 },
        });

        assert.deepEqual(result.failures, [
            { property: "", reason: `urls["img/a.jpg"]: expected an absolute http(s) URL such as https://ik.imagekit.io/your_id/image.jpg, got "img/a.jpg"` },
            { property: "", reason: `urls["${IK}/a/*/b.jpg"]: a wildcard * is allowed only as the last character, got "${IK}/a/*/b.jpg"` },
            { property: "", reason: `urls["${IK}/ok.jpg"]: expected a content hash (a string), got 7` },
        ]);
        assert.equal(emulator.requests.length, 0);
    });

    it("names the position of a bad URL in a list", async () => {
        const result = await checked({ urls: [`${IK}/a.jpg`, "/relative.jpg"] });

        assert.deepEqual(result.failures, [
            { property: "", reason: `urls[1]: expected an absolute http(s) URL such as https://ik.imagekit.io/your_id/image.jpg, got "/relative.jpg"` },
        ]);
    });

    it("refuses, in check, a plan with more URLs than maxPurgeRequests, naming the count", async () => {
        const result = await checked({ urls: urlMap(12), maxPurgeRequests: 10 });

        assert.deepEqual(result.failures, [{
            property: "",
            reason: "urls: this update would send 12 purge requests, more than maxPurgeRequests (10); ImageKit counts each against the account's monthly "
                + "purge quota: purge fewer URLs (a trailing * purges a folder) or raise maxPurgeRequests",
        }]);
        assert.equal(emulator.requests.length, 0);
    });

    it("previews no purge when the URL map is checked again unchanged, and diff sees no change", async () => {
        const urls = urlMap(50);
        const first = await checked({ urls });
        const created = await imagekitProvider.create(first.inputs);

        const again = await checked({ urls }, first.inputs);
        const diff = await imagekitProvider.diff(created.id, created.outs, again.inputs);

        assert.equal(again.inputs.purgePlan, first.inputs.purgePlan);
        assert.equal(again.inputs.urls, first.inputs.urls);
        assert.equal(diff.changes, false);
    });

    it("deduplicates a list, stores only what was declared, and applies the defaults where they are read", async () => {
        const result = await checked({ urls: [`${IK}/a.jpg`, `${IK}/a.jpg`, `${IK}/b.jpg`] });

        assert.deepEqual(result.failures, undefined);
        // As the engine stores it: the JSON text of the list (src/core/bulk-input.ts), and no defaults.
        assert.equal(result.inputs.urls, JSON.stringify([`${IK}/a.jpg`, `${IK}/b.jpg`]));
        assert.deepEqual(Object.keys(result.inputs).sort(), ["baseUrl", "privateKey", "purgePlan", "urls"]);
        // The defaults hold all the same: no wait (the receipt says accepted), and the quota of 1,000.
        const created = await imagekitProvider.create(result.inputs);
        assert.equal((created.outs?.receipt as { completion: string }).completion, "accepted");
        const tooMany = await checked({ urls: urlMap(1001) });
        assert.match(tooMany.failures?.[0]?.reason ?? "", /more than maxPurgeRequests \(1,000\)/);
        assert.equal(result.inputs.purgePlan, `purge 2 of 2 targets: ${IK}/a.jpg, ${IK}/b.jpg (created); 2 requests: POST ${emulator.baseUrl}/v1/files/purge, POST ${emulator.baseUrl}/v1/files/purge`);
    });

    it("with 200 mapped URLs and 3 changed, previews exactly those 3 and purges exactly those 3", async () => {
        const before = urlMap(200);
        const created = await imagekitProvider.create((await checked({ urls: before })).inputs);
        const after = { ...before };
        const changed = [`${IK}/img/007.jpg`, `${IK}/img/100.jpg`, `${IK}/img/199.jpg`];
        for (const url of changed) {
            after[url] = "h2";
        }
        const requestsAfterCreate = emulator.requests.length;

        const preview = await checked({ urls: after }, (await checked({ urls: before })).inputs);
        const diff = await imagekitProvider.diff(created.id, created.outs, preview.inputs);
        const requestsDuringPreview = emulator.requests.length - requestsAfterCreate;
        const updated = await imagekitProvider.update(created.id, created.outs, preview.inputs);

        assert.equal(requestsAfterCreate, 200);
        assert.equal(requestsDuringPreview, 0);
        assert.equal(diff.changes, true);
        const post = `POST ${emulator.baseUrl}/v1/files/purge`;
        assert.equal(preview.inputs.purgePlan, `purge 3 of 200 targets: ${changed[0]} (trigger: h1-7 -> h2); ${changed[1]} (trigger: h1-100 -> h2); `
            + `${changed[2]} (trigger: h1-199 -> h2); 3 requests: ${post}, ${post}, ${post}`);
        assert.deepEqual(emulator.purgedUrls.slice(200).sort(), changed);
        assert.deepEqual((updated.outs?.receipt as { targets: string[] }).targets.sort(), changed);
    });

    it("fails a batch naming the URL the server refuses, and the next update purges only it", async () => {
        const urls = urlMap(10);
        const seventh = `${IK}/img/006.jpg`;
        emulator.failUrls.set(seventh, 400);
        const inputs = (await checked({ urls })).inputs;

        const error = await imagekitProvider.create(inputs).then(() => undefined, (e: Error & { properties?: Record<string, unknown>; id?: string }) => e);
        emulator.failUrls.clear();
        const retried = await imagekitProvider.update(error!.id!, error!.properties!, inputs);

        assert.equal(error?.message, `imagekit: POST ${emulator.baseUrl}/v1/files/purge returned 400 Bad Request: "Invalid url"; 9 of 10 targets purged, `
            + `1 left for the next pulumi up (${seventh})`);
        assert.deepEqual((retried.outs?.receipt as { targets: string[] }).targets, [seventh]);
        assert.equal(emulator.purgedUrls.length, 10);
        assert.equal(emulator.purgedUrls.at(-1), seventh);
    });

    it("with the URL map a secret, names no URL in the plan, the failure, the receipt or the record, and the next update purges the one left", async () => {
        const urls = urlMap(10);
        const seventh = `${IK}/img/006.jpg`;
        const secret = { __secretTargetNames: ["urls"], __secretTargets: true };
        emulator.failUrls.set(seventh, 400);
        const refused = await checked({ urls: { ...urls, [`${IK}/img/*/b.jpg`]: "h" }, ...secret });
        const result = await checked({ urls, ...secret });

        const error = await imagekitProvider.create(result.inputs).then(() => undefined, (e: Error & { properties?: Record<string, unknown>; id?: string }) => e);
        emulator.failUrls.clear();
        const retried = await imagekitProvider.update(error!.id!, error!.properties!, result.inputs);

        assert.equal(result.inputs.purgePlan, `purge 10 of 10 targets: 10 targets with secret names (created); 10 requests: POST ${emulator.baseUrl}/v1/files/purge, `
            + `POST ${emulator.baseUrl}/v1/files/purge, POST ${emulator.baseUrl}/v1/files/purge, …`);
        assert.match(refused.failures?.[0]?.reason ?? "", /^urls\["\[secret\]"\]: /);
        assert.equal(error?.message, `imagekit: POST ${emulator.baseUrl}/v1/files/purge returned 400 Bad Request: "Invalid url"; 9 of 10 targets purged, `
            + "1 left for the next pulumi up ([secret])");
        const failed = error!.properties as { receipt: { targets: string[] }; purged: { pending: string[] } };
        assert.deepEqual(failed.receipt.targets, Array(9).fill("[secret]"));
        assert.deepEqual(failed.purged.pending, ["(secret target 6)"]);
        assert.equal(retried.outs?.purgePlan, `purge 1 of 10 targets: 1 target with a secret name (left over from a failed purge); 1 request: POST ${emulator.baseUrl}/v1/files/purge`);
        assert.deepEqual((retried.outs?.receipt as { targets: string[] }).targets, ["[secret]"]);
        assert.equal(emulator.purgedUrls.length, 10);
        assert.equal(emulator.purgedUrls.at(-1), seventh);
        const shown = JSON.stringify([refused.failures, result.inputs.purgePlan, error?.message, failed.receipt, failed.purged, retried.outs?.receipt, log]);
        for (const url of Object.keys(urls)) {
            assert.ok(!shown.includes(url) && !shown.includes(encodeURIComponent(url)), `${url} is shown`);
        }
    });

    it("with wait, returns only after every request id reads Completed", async () => {
        emulator.pendingMs = 700;
        const inputs = (await checked({ urls: urlMap(5), wait: true })).inputs;

        const created = await imagekitProvider.create(inputs);

        const receipt = created.outs?.receipt as { completion: string; targets: unknown; details: { requestIds: string } };
        assert.equal(receipt.completion, "confirmed");
        // The ids in the order of the URLs purged: every URL's, so in the order of `urls`.
        const idOf = new Map(emulator.purges.map((p) => [p.url, p.requestId]));
        assert.equal(receipt.targets, "all");
        assert.deepEqual(JSON.parse(receipt.details.requestIds), Object.keys(urlMap(5)).map((url) => idOf.get(url)));
        const lastStatus = emulator.requests.filter((r) => r.method === "GET").slice(-5);
        assert.equal(lastStatus.length, 5);
        assert.ok(lastStatus.every((r) => r.atMs - emulator.purges[4].atMs >= 690), "the last round of polls came after the pending time");
        assert.ok(log.includes("imagekit: 5 of 5 purge requests completed"), log.join("\n"));
    });

    it("fails with the pending request ids when wait runs past waitTimeoutMs", async () => {
        emulator.pendingMs = 60_000;
        const inputs = (await checked({ urls: [`${IK}/a.jpg`], wait: true, waitTimeoutMs: 1000 })).inputs;

        const error = await imagekitProvider.create(inputs).then(() => undefined, (e: Error) => e);

        assert.equal(error?.message, `imagekit: 1 of 1 purge requests still Pending after waiting 1 s (request ids ${emulator.purges[0].requestId}); `
            + "ImageKit accepted them and will finish on its own: raise waitTimeoutMs or set wait: false; "
            + "all 1 targets were accepted by the service and are recorded as purged, so the next pulumi up does not send them again");
    });
});

async function fetchRaw(url: string) {
    const { default: fetch } = await import("node-fetch");
    return fetch(url, { method: "POST" });
}
