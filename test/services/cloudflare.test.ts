import assert from "node:assert/strict";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import { CloudflareEmulator, type CloudflareEmulatorPlan } from "../../src/services/cloudflare/emulator";
import { accountBuckets, PACING_MARGIN_MS, TokenBucket } from "../../src/services/cloudflare/limits";
import { cloudflareService } from "../../src/services/cloudflare/service";
import { freshToken, numbered, progressLog } from "./provider-run";

const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
const provider = createProviderImplementation(cloudflareService);
type Props = Record<string, unknown>;
type Failed = Error & { properties?: Props; id?: string };

describe("cloudflare ZonePurge, through the provider implementation against the emulator", function () {
    this.timeout(20_000);
    const log = progressLog();
    let emulator: CloudflareEmulator;
    let token: string;

    async function start(plan: CloudflareEmulatorPlan = "free"): Promise<void> {
        token = freshToken("cf");
        emulator = await new CloudflareEmulator({ tokens: { [token]: [ZONE] }, zones: [ZONE], plan }).start();
    }

    beforeEach(() => start());

    afterEach(() => emulator.stop());

    async function checked(inputs: Props, olds: Props = {}) {
        return provider.check(olds, { baseUrl: emulator.baseUrl, apiToken: token, zoneId: ZONE, maxRetries: 2, maxRetryDelayMs: 2_000, ...inputs });
    }

    it("purges files, tags, hosts and prefixes with one request per kind, a Bearer token, and keeps each purge id", async () => {
        const result = await checked({
            files: ["https://www.example.com/css/site.css"], tags: ["blog"], hosts: ["images.example.com"], prefixes: ["www.example.com/docs"],
        });

        const created = await provider.create(result.inputs);

        const endpoint = `${emulator.baseUrl}/zones/${ZONE}/purge_cache`;
        assert.equal(result.inputs.purgePlan, "purge 4 of 4 targets: file https://www.example.com/css/site.css, tag blog, host images.example.com, "
            + `prefix www.example.com/docs (created); 4 requests: POST ${endpoint} (1 file), POST ${endpoint} (1 tag), POST ${endpoint} (1 host), …`);
        assert.deepEqual(emulator.purges.map((p) => [p.kind, p.values]), [
            ["files", ["https://www.example.com/css/site.css"]], ["tags", ["blog"]], ["hosts", ["images.example.com"]], ["prefixes", ["www.example.com/docs"]],
        ]);
        assert.ok(emulator.requests.every((r) => r.headers.authorization === `Bearer ${token}` && r.method === "POST"));
        const receipt = created.outs.receipt as { completion: string; details: { purgeIds: Record<string, string[]> } };
        assert.equal(receipt.completion, "synchronous");
        assert.deepEqual(receipt.details.purgeIds, {
            files: [emulator.purges[0].id], tags: [emulator.purges[1].id], hosts: [emulator.purges[2].id], prefixes: [emulator.purges[3].id],
        });
    });

    it("purges everything with {\"purge_everything\": true} and nothing else", async () => {
        const result = await checked({ purgeEverything: true, triggers: { site: "v1" } });

        await provider.create(result.inputs);

        assert.deepEqual(emulator.requests.map((r) => r.fields), [{ purge_everything: true }]);
        assert.equal(emulator.purges[0].kind, "purge_everything");
    });

    it("batches 250 files as 100, 100 and 50 on Pro, and as one request of 250 on Enterprise", async () => {
        const files = Array.from({ length: 250 }, (_, i) => `https://www.example.com/f/${i}.js`);
        await emulator.stop();
        await start("pro");
        await provider.create((await checked({ files, plan: "pro" })).inputs);
        const pro = emulator.purges.map((p) => p.values.length);
        await emulator.stop();
        await start("enterprise");

        await provider.create((await checked({ files, plan: "enterprise" })).inputs);

        assert.deepEqual(pro, [100, 100, 50]);
        assert.deepEqual(emulator.purges.map((p) => p.values.length), [250]);
    });

    it("sends every file once per cache-key header set, a file's sets always in the same request", async () => {
        const files = Array.from({ length: 60 }, (_, i) => `https://www.example.com/f/${i}.js`);
        const cacheKeyHeaders = [{ "CF-Device-Type": "desktop" }, { "CF-Device-Type": "mobile" }];

        await provider.create((await checked({ files, cacheKeyHeaders })).inputs);

        assert.deepEqual(emulator.purges.map((p) => p.values.length), [100, 20]);
        assert.deepEqual(emulator.requests[0].fields?.files && (emulator.requests[0].fields.files as unknown[]).slice(0, 2), [
            { url: files[0], headers: { "CF-Device-Type": "desktop" } }, { url: files[0], headers: { "CF-Device-Type": "mobile" } },
        ]);
    });

    it("with a map of 200 tags and 2 changed, previews and purges exactly those 2 in one request", async () => {
        const before = numbered("tag", 200);
        const first = await checked({ tags: before });
        const created = await provider.create(first.inputs);
        const after = { ...before, "tag-0007": "h2", "tag-0150": "h2" };

        const preview = await checked({ tags: after }, first.inputs);
        const diff = await provider.diff(created.id, created.outs, preview.inputs);
        const updated = await provider.update(created.id, created.outs, preview.inputs);

        assert.equal(diff.changes, true);
        assert.equal(preview.inputs.purgePlan, "purge 2 of 200 targets: tag tag-0007, tag tag-0150 (trigger: h1 -> h2); "
            + `1 request: POST ${emulator.baseUrl}/zones/${ZONE}/purge_cache (2 tags)`);
        assert.deepEqual(emulator.purges.at(-1)?.values, ["tag-0007", "tag-0150"]);
        assert.deepEqual((updated.outs.receipt as { targets: string[] }).targets, ["tag tag-0007", "tag tag-0150"]);
    });

    it("refuses bad inputs in check, naming the field and what is allowed, before any request", async () => {
        const result = await checked({
            zoneId: "example.com",
            files: ["/relative.css"],
            prefixes: ["https://www.example.com/docs"],
            hosts: ["www.example.com/path"],
        });
        const both = await checked({ purgeEverything: true, tags: ["blog"] });
        const none = await checked({});

        assert.deepEqual(result.failures?.map((f) => f.reason), [
            "zoneId: expected the zone's id: 32 lower-case hex characters, as the zone's Overview page in the dashboard shows it (API > Zone ID), got \"example.com\"",
            "files[0]: expected an absolute URL such as https://www.example.com/css/styles.css, got \"/relative.css\"",
            "hosts[0]: expected a host name such as www.example.com (no scheme, no path), got \"www.example.com/path\"",
            "prefixes[0]: write the prefix without the scheme, as Cloudflare does: \"www.example.com/docs\", got \"https://www.example.com/docs\"",
        ]);
        assert.deepEqual(both.failures?.map((f) => f.reason), ["purgeEverything, tags: purgeEverything already purges every file of the zone; pass one or the other"]);
        assert.deepEqual(none.failures?.map((f) => f.reason), ["files, tags, hosts, prefixes or purgeEverything: name at least one thing to purge"]);
        assert.equal(emulator.requests.length, 0);
    });

    it("fails at once on Cloudflare's 403 code 10000, quoting the code and message and saying which permission the token needs", async () => {
        const result = await checked({ tags: ["blog"], apiToken: "cf-CANARY-wrong-token" });

        const error = await provider.create(result.inputs).then(() => undefined, (e: Error) => e);

        assert.equal(error?.message, `cloudflare: POST ${emulator.baseUrl}/zones/${ZONE}/purge_cache returned 403 Forbidden: `
            + "\"code 10000: Authentication error (check the API token: it needs the Zone > Cache Purge permission on this zone)\"");
        assert.equal(emulator.requests.length, 1);
        assert.ok(!error?.message.includes("CANARY"));
    });

    it("does not take a 200 whose envelope says \"success\": false as a purge", async () => {
        emulator.answerSuccessFalse = true;

        const error = await provider.create((await checked({ tags: ["blog"] })).inputs).then(() => undefined, (e: Error) => e);

        assert.equal(error?.message, `cloudflare: POST ${emulator.baseUrl}/zones/${ZONE}/purge_cache returned 200 OK with "success": false and no errors[]; the purge is not taken as done`);
    });

    it("with the file map a secret, names no URL in the plan, nor where Cloudflare's error quotes one", async () => {
        const secretUrl = "https://www.example.com/unreleased/launch.html";
        emulator.inject({ status: 400, body: JSON.stringify({ success: false, errors: [{ code: 1012, message: `Invalid url ${secretUrl}` }], messages: [], result: null }) });
        const result = await checked({ files: { [secretUrl]: "h1" }, __secretTargetNames: ["files"], __secretTargets: true });

        const error = await provider.create(result.inputs).then(() => undefined, (e: Error) => e);

        assert.equal(result.inputs.purgePlan, `purge 1 target with a secret name (created); 1 request: POST ${emulator.baseUrl}/zones/${ZONE}/purge_cache (1 file)`);
        assert.equal(error?.message, `cloudflare: POST ${emulator.baseUrl}/zones/${ZONE}/purge_cache returned 400 Bad Request: "code 1012: Invalid url [secret]"`);
    });

    it("waits the Retry-After of a 429 (code 1134) and purges exactly once", async () => {
        await emulator.stop();
        await start("pro");
        emulator.setBucket(0);

        const created = await provider.create((await checked({ tags: ["blog"], plan: "pro" })).inputs);

        assert.equal(emulator.rateLimited, 1);
        assert.equal(emulator.purges.length, 1);
        assert.equal((created.outs.receipt as { retries: number }).retries, 1);
        assert.ok(log.some((line) => /429 Too Many Requests; retrying in 1 s/.test(line)), log.join("\n"));
    });

    it("paces 30 requests on Pro to the bucket of 25 and 5 a second, so Cloudflare never answers 429", async () => {
        await emulator.stop();
        await start("pro");
        const startedMs = Date.now();

        await provider.create((await checked({ tags: numbered("tag", 3000), plan: "pro" })).inputs);

        assert.equal(emulator.purges.length, 30);
        assert.equal(emulator.rateLimited, 0);
        assert.ok(Date.now() - startedMs >= 800, `took ${Date.now() - startedMs} ms; 5 requests past the burst need about 1 s`);
        assert.ok(log.some((line) => line.startsWith("cloudflare: pacing to the pro plan's limit of 5 purge requests a second: waiting")), log.join("\n"));
    });

    it("on Free, stops before a wait longer than maxRetryDelayMs, records the 25 requests sent, and leaves the rest for the next up", async () => {
        const inputs = (await checked({ tags: numbered("tag", 2600) })).inputs;

        const error = await provider.create(inputs).then(() => undefined, (e: Failed) => e);

        assert.equal(emulator.purges.length, 25);
        assert.equal(emulator.rateLimited, 0);
        assert.match(error?.message ?? "", /^cloudflare: the next purge request would wait 12 s for the free plan's rate limit \(5 purge requests a minute, bursts of 25\), more than maxRetryDelayMs \(2 s\) allows; .*; 2,500 of 2,600 targets purged, 100 left for the next pulumi up \(tag tag-2500, /);
        const pending = (error?.properties as { purged: { pending: string[] } }).purged.pending;
        assert.equal(pending.length, 100);
    });

    it("after a batch fails part-way, the next update purges only the batch that was left", async () => {
        await emulator.stop();
        await start("pro");
        const inputs = (await checked({ tags: numbered("tag", 150), plan: "pro" })).inputs;
        emulator.inject([{ status: 400, body: JSON.stringify({ success: false, errors: [{ code: 1012, message: "bad tag" }], messages: [], result: null }) }],
            (r) => (r.fields?.tags as string[] | undefined)?.[0] === "tag-0100");

        const error = await provider.create(inputs).then(() => undefined, (e: Failed) => e);
        const retried = await provider.update(error!.id!, error!.properties!, inputs);

        assert.equal(error?.message, `cloudflare: POST ${emulator.baseUrl}/zones/${ZONE}/purge_cache returned 400 Bad Request: "code 1012: bad tag"; `
            + "100 of 150 targets purged, 50 left for the next pulumi up (tag tag-0100, tag tag-0101, tag tag-0102, tag tag-0103, tag tag-0104, and 45 more)");
        assert.equal((retried.outs.receipt as { count: number }).count, 50);
        assert.deepEqual(emulator.purges.map((p) => p.values.length), [100, 50]);
    });
});

describe("cloudflare token bucket", () => {
    it("holds the bucket size as a burst, then refills at the plan's rate", () => {
        const bucket = new TokenBucket(25, 5 / 60, 0);
        for (let i = 0; i < 25; i++) {
            assert.equal(bucket.waitMs(1, 0), 0);
            bucket.take(1, 0);
        }

        assert.equal(bucket.waitMs(1, 0), 12_000 + PACING_MARGIN_MS);
        assert.equal(bucket.waitMs(1, 12_000), 0);
    });

    it("keeps half a second of Pro's refill free for requests that arrive late: a burst of 22, then 5 a second", () => {
        // GIVEN a new account on Pro (Cloudflare's bucket: 25, 5 a second)
        const buckets = accountBuckets(`skew-${process.hrtime.bigint()}`, "pro", 0);

        // WHEN requests are counted at one instant
        let sent = 0;
        while (buckets.requests.waitMs(1, 0) === 0 && sent < 100) {
            buckets.requests.take(1, 0);
            sent++;
        }

        // THEN 22 go at once (2.5 held back), and the next waits for half a token and the margin
        assert.equal(sent, 22);
        assert.equal(buckets.requests.waitMs(1, 0), 100 + PACING_MARGIN_MS);
    });
});
