import assert from "node:assert/strict";
import { setProgressSink } from "../../src/core/progress-log";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import type { PurgeService } from "../../src/core/service";
import { CloudflareEmulator } from "../../src/services/cloudflare/emulator";
import { cloudflareService } from "../../src/services/cloudflare/service";
import { CloudFrontEmulator } from "../../src/services/cloudfront/emulator";
import { cloudfrontService } from "../../src/services/cloudfront/service";
import { CodemagicEmulator } from "../../src/services/codemagic/emulator";
import { codemagicService } from "../../src/services/codemagic/service";
import { FastlyEmulator } from "../../src/services/fastly/emulator";
import { fastlyService } from "../../src/services/fastly/service";
import { flextypeService } from "../../src/services/flextype/service";
import { HttpEmulator } from "../../src/services/http/emulator";
import { httpService } from "../../src/services/http/service";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { imagekitService } from "../../src/services/imagekit/service";
import { up } from "./provider-driver";

/**
 * Nothing lost, nothing purged twice (issue 13, items 8 to 10 and 12): a shared budget is never
 * overspent by concurrent resources (Codemagic's, Cloudflare's and Fastly's), accepted purges are
 * recorded even when a wait fails (ImageKit's, CloudFront's and any HTTP API's), names that are
 * Object.prototype members are names like any other, and one URL spelt four ways is refused.
 */

const codemagic = codemagicService as unknown as PurgeService;
const imagekit = imagekitService as unknown as PurgeService;
const IK = "https://ik.imagekit.io/acme";

/** Creates one resource of `service` per inputs, all at once, each with its own provider, as the engine runs one provider process for a stack. */
async function concurrently(service: PurgeService, inputs: readonly Record<string, unknown>[]): Promise<string[]> {
    setProgressSink(() => undefined);
    try {
        return await Promise.all(inputs.map(async (news) => {
            const provider = createProviderImplementation(service);
            const checked = await provider.check({}, news);
            return provider.create(checked.inputs).then(() => "ok", (e: Error) => e.message);
        }));
    } finally {
        setProgressSink(undefined);
    }
}

describe("a shared rate budget under concurrency", function () {
    this.timeout(120_000);
    let emulator: CodemagicEmulator;

    afterEach(() => emulator.stop());

    it("keeps 12 concurrent Codemagic resources on one token within a budget of 20 per 4 s: no 429, every purge done", async () => {
        const token = `cm-concurrent-${Date.now()}`;
        emulator = await new CodemagicEmulator().addToken(token).start();
        emulator.deletionDelayMs = 0;
        const apps = Array.from({ length: 12 }, (_, i) => `60ddd0b747960e0012474${String(700 + i)}`);
        for (const app of apps) {
            emulator.addApp(app, [{ workflowId: "build-ipa" }]);
        }
        emulator.rateLimit = { limit: 20, windowMs: 4_000 };

        const results = await concurrently(codemagic, apps.map((appId) => ({ baseUrl: emulator.baseUrl, appId, token })));

        console.log(`      12 concurrent Codemagic resources: ${emulator.requests.length} requests sent, ${emulator.rateLimited} answered 429`);
        assert.deepEqual(results, apps.map(() => "ok"));
        assert.equal(emulator.rateLimited, 0);
        assert.equal(emulator.requests.length, 24);
    });
});

describe("Cloudflare's per-account purge bucket under concurrency", function () {
    this.timeout(30_000);
    let emulator: CloudflareEmulator;

    afterEach(() => emulator.stop());

    it("keeps 30 concurrent Cloudflare resources on one Pro token within its bucket of 25 and 5 a second: no 429, each tag purged once", async () => {
        const token = `cf-concurrent-${Date.now()}`;
        const zone = "023e105f4ecef8ad9ca31a8372d0c353";
        emulator = await new CloudflareEmulator({ tokens: { [token]: [zone] }, zones: [zone], plan: "pro" }).start();
        const tags = Array.from({ length: 30 }, (_, i) => `page-${i}`);

        const started = Date.now();
        const results = await concurrently(cloudflareService as unknown as PurgeService,
            tags.map((tag) => ({ baseUrl: emulator.baseUrl, zoneId: zone, apiToken: token, plan: "pro", tags: [tag] })));
        const elapsedMs = Date.now() - started;

        console.log(`      30 concurrent Cloudflare resources: ${emulator.requests.length} requests sent, ${emulator.rateLimited} answered 429, ${elapsedMs} ms`);
        assert.deepEqual(results, tags.map(() => "ok"));
        assert.equal(emulator.rateLimited, 0);
        assert.deepEqual(emulator.purges.map((p) => p.values.join(" ")).sort(), [...tags].sort());
        assert.ok(elapsedMs >= 800, `took ${elapsedMs} ms; the 5 requests past the burst of 25 need about 1 s`);
    });
});

describe("Fastly's rate limit under concurrency", function () {
    this.timeout(30_000);
    let emulator: FastlyEmulator;

    afterEach(() => emulator.stop());

    it("keeps 8 concurrent Fastly resources on one token within 8 requests a second: no 429, each key and URL purged once", async () => {
        const token = `fastly-concurrent-${Date.now()}`;
        const service = "SU1Z0isxPaozGVKXdv0eY";
        emulator = await new FastlyEmulator({ tokens: { [token]: { scopes: ["purge_select"] } }, services: [service] }).start();
        emulator.rateLimit = { limit: 8, windowMs: 1_000 };
        const pages = Array.from({ length: 8 }, (_, i) => `page-${i}`);

        const results = await concurrently(fastlyService as unknown as PurgeService, pages.map((page) => ({
            baseUrl: emulator.baseUrl, serviceId: service, apiToken: token, surrogateKeys: [page], urls: [`https://www.example.com/${page}`],
        })));

        console.log(`      8 concurrent Fastly resources: ${emulator.requests.length} requests sent, ${emulator.rateLimited} answered 429`);
        assert.deepEqual(results, pages.map(() => "ok"));
        assert.equal(emulator.rateLimited, 0);
        assert.deepEqual(emulator.purges.map((p) => `${p.kind} ${p.names.join(" ")}`).sort(),
            pages.flatMap((page) => [`keys ${page}`, `url www.example.com/${page}`]).sort());
    });
});

describe("an ImageKit wait that times out", function () {
    this.timeout(30_000);
    let emulator: ImageKitEmulator;

    afterEach(() => emulator.stop());

    it("records the accepted purges, so the next up sends no purge request for them", async () => {
        const privateKey = `private_ik_wait_${Date.now()}`;
        emulator = await new ImageKitEmulator({ privateKey, pendingMs: 600_000 }).start();
        const urls = Array.from({ length: 20 }, (_, i) => `${IK}/img/${i}.jpg`);
        const inputs = { baseUrl: emulator.baseUrl, urls, privateKey, wait: true, waitTimeoutMs: 1_000 };

        const first = await up(imagekit, inputs);
        const purgesAfterFirst = emulator.purges.length;
        const next = await up(imagekit, inputs, first.partialOuts);

        console.log(`      purge requests: ${purgesAfterFirst} on the up whose wait timed out, ${emulator.purges.length - purgesAfterFirst} on the next up`);
        assert.match(first.error ?? "", /^imagekit: 20 of 20 purge requests still Pending after waiting 1 s .*; all 20 targets were accepted by the service and are recorded as purged, so the next pulumi up does not send them again$/);
        assert.equal(purgesAfterFirst, 20);
        assert.equal((first.partialOuts?.receipt as { completion: string }).completion, "accepted");
        assert.equal(next.error, undefined);
        assert.equal(emulator.purges.length, 20);
    });
});

describe("a CloudFront wait that times out", function () {
    this.timeout(30_000);
    let emulator: CloudFrontEmulator;

    afterEach(() => emulator.stop());

    it("records the invalidation CloudFront accepted, so the next up sends no CreateInvalidation for its paths", async () => {
        const keyId = "AKIANOTHINGTWICE0000";
        const secretAccessKey = `CANARY/nothing-twice/${Date.now()}`;
        emulator = await new CloudFrontEmulator({ accounts: { [keyId]: secretAccessKey }, distributions: ["E2QWRUHEXAMPLE"], inProgressMs: 600_000 }).start();
        const inputs = {
            endpoint: emulator.baseUrl, distributionId: "E2QWRUHEXAMPLE", accessKeyId: keyId, secretAccessKey, paths: ["/index.html", "/app.js"],
            wait: true, waitTimeoutMs: 1_000, __urn: "urn:pulumi:dev::site::pulumi-nodejs:dynamic/cloudfront:Invalidation::site",
        };

        const first = await up(cloudfrontService as unknown as PurgeService, inputs);
        const next = await up(cloudfrontService as unknown as PurgeService, inputs, first.partialOuts);

        const id = emulator.invalidations[0]?.id;
        assert.match(first.error ?? "", new RegExp(`^cloudfront: invalidation ${id} on distribution E2QWRUHEXAMPLE still InProgress after waiting 1(\\.\\d)? s`));
        assert.match(first.error ?? "", /all 2 targets were accepted by the service and are recorded as purged/);
        assert.equal((first.partialOuts?.receipt as { completion: string }).completion, "accepted");
        assert.equal(next.error, undefined);
        assert.deepEqual(emulator.invalidations.map((i) => i.paths), [["/index.html", "/app.js"]]);
    });
});

describe("an HTTP purge's completion wait that times out", function () {
    this.timeout(30_000);
    let server: HttpEmulator;

    afterEach(() => server.stop());

    it("records the purges the API accepted, so the next up sends no purge request for them", async () => {
        server = await new HttpEmulator((r) => (r.method === "POST" ? { status: 202, body: { id: `job-${r.query.url}` } } : { status: 200, body: { state: "pending" } })).start();
        const inputs = {
            request: { url: `${server.baseUrl}/purge?url={target}` }, targets: ["a", "b", "c"],
            wait: { url: `${server.baseUrl}/jobs/{id}`, idPath: "id", donePath: "state", doneValue: "done", timeoutMs: 1_000 },
        };

        const first = await up(httpService as unknown as PurgeService, inputs);
        const postsAfterFirst = server.requests.filter((r) => r.method === "POST").length;
        const next = await up(httpService as unknown as PurgeService, inputs, first.partialOuts);

        assert.match(first.error ?? "", /^http: 3 of 3 purges not done after waiting 1 s \(ids job-a, job-b, job-c\): state never read "done"; .*all 3 targets were accepted by the service and are recorded as purged, so the next pulumi up does not send them again$/);
        assert.equal(postsAfterFirst, 3);
        assert.equal(next.error, undefined);
        assert.equal(server.requests.filter((r) => r.method === "POST").length, 3);
    });
});

describe("names that are Object.prototype members", () => {
    const flextypeInputs = { baseUrl: "https://cms.example.com", token: "tok-proto-1", accessToken: "acc-proto-1" };
    const flextype = flextypeService as unknown as PurgeService;

    async function planLine(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<string> {
        const provider = createProviderImplementation(flextype);
        const old = await provider.check({}, { ...flextypeInputs, ...olds });
        const checked = await provider.check(old.inputs, { ...flextypeInputs, ...news });
        return String(checked.inputs.purgePlan);
    }

    it("plans a purge when the trigger constructor is removed, as it does for site", async () => {
        const removedConstructor = await planLine({ triggers: { constructor: "aaaa", site: "s" } }, { triggers: { site: "s" } });
        const removedSite = await planLine({ triggers: { constructor: "aaaa", site: "s" } }, { triggers: { constructor: "aaaa" } });

        assert.equal(removedConstructor, "purge cache (trigger constructor removed); 1 request: POST https://cms.example.com/api/v1/cache/clear");
        assert.equal(removedSite, "purge cache (trigger site removed); 1 request: POST https://cms.example.com/api/v1/cache/clear");
    });

    it("says trigger valueOf added with its value, not a function's source", async () => {
        const line = await planLine({ triggers: {} }, { triggers: { valueOf: "bbbb" } });

        assert.equal(line, "purge cache (trigger valueOf added: bbbb); 1 request: POST https://cms.example.com/api/v1/cache/clear");
    });

    it("purges Codemagic workflows named constructor and valueOf, and then only the one whose hash changed", async () => {
        const token = `cm-proto-${Date.now()}`;
        const emulator = await new CodemagicEmulator().addToken(token).start();
        emulator.deletionDelayMs = 0;
        const appId = "60ddd0b747960e00124747cb";
        emulator.addApp(appId, [{ workflowId: "constructor" }, { workflowId: "valueOf" }, { workflowId: "toString" }]);
        const inputs = { baseUrl: emulator.baseUrl, appId, token };

        try {
            const created = await up(codemagic, { ...inputs, workflows: { constructor: "c1", valueOf: "v1" } });
            const deletedOnCreate = emulator.deletions.length;
            // New builds made new caches: a workflow with no cache to delete would not count as purged.
            emulator.addApp(appId, [{ workflowId: "constructor" }, { workflowId: "valueOf" }, { workflowId: "toString" }]);
            const updated = await up(codemagic, { ...inputs, workflows: { constructor: "c2", valueOf: "v1" } }, created.outs);

            assert.equal(created.error, undefined);
            assert.equal(updated.error, undefined);
            assert.equal(deletedOnCreate, 2);
            assert.deepEqual((updated.outs?.receipt as { reasons: unknown }).reasons, [{ why: "trigger: c1 -> c2", targets: ["constructor"] }]);
        } finally {
            await emulator.stop();
        }
    });

    it("refuses a workflow or trigger named __proto__ instead of dropping it", async () => {
        const workflows: Record<string, string> = JSON.parse('{"__proto__": "h1", "build": "h2"}') as Record<string, string>;
        const provider = createProviderImplementation(codemagic);

        const result = await provider.check({}, { baseUrl: "https://api.codemagic.io", appId: "60ddd0b747960e00124747cb", token: "tok-proto-2", workflows });

        assert.deepEqual(result.failures, [{ property: "workflows", reason: 'workflows.__proto__: the name "__proto__" is not allowed; choose another name' }]);
    });
});

describe("one ImageKit URL written several ways", () => {
    it("refuses the duplicates after canonicalization, naming both spellings", async () => {
        const provider = createProviderImplementation(imagekit);

        const result = await provider.check({}, {
            urls: [`${IK}/summer/a.jpg`, "https://IK.ImageKit.io/acme/summer/a.jpg", "https://ik.imagekit.io:443/acme/summer/a.jpg", "https://ik.imagekit.io/acme/summer/%61.jpg"],
            privateKey: "private_ik_dup",
        });

        assert.deepEqual(result.failures?.map((f) => f.reason), [
            `urls[1]: "https://IK.ImageKit.io/acme/summer/a.jpg" is the same URL as urls[0] ("${IK}/summer/a.jpg"), written differently; list each URL once`,
            `urls[2]: "https://ik.imagekit.io:443/acme/summer/a.jpg" is the same URL as urls[0] ("${IK}/summer/a.jpg"), written differently; list each URL once`,
            `urls[3]: "https://ik.imagekit.io/acme/summer/%61.jpg" is the same URL as urls[0] ("${IK}/summer/a.jpg"), written differently; list each URL once`,
        ]);
    });

    it("never throws on malformed percent-encoding in a wildcard URL", async () => {
        const provider = createProviderImplementation(imagekit);

        const accepted = await provider.check({}, { urls: [`${IK}/summer/100%*`, `${IK}/summer/%E2%82*`], privateKey: "private_ik_pct" });
        const refused = await provider.check({}, { urls: [`${IK}/%ZZ*`], privateKey: "private_ik_pct" });

        assert.deepEqual(accepted.failures ?? [], []);
        assert.equal(accepted.inputs.urls, JSON.stringify([`${IK}/summer/100%*`, `${IK}/summer/%E2%82*`]));
        assert.deepEqual(refused.failures?.map((f) => f.reason), [
            "urls[0]: a wildcard * needs a path of two levels or more (/images/upload*), of at least 15 characters, or a file name with an extension "
            + `(/sample.jpg*) before it, got "${IK}/%ZZ*"`,
        ]);
    });
});

describe("a trigger that stops being secret", () => {
    it("does not show the value it had while it was secret", async () => {
        const provider = createProviderImplementation(flextypeService as unknown as PurgeService);
        const base = { baseUrl: "https://cms.example.com", token: "tok-unsecret-1", accessToken: "acc-unsecret-1" };
        const old = await provider.check({}, { ...base, triggers: { apiKey: "sk_old_secret_1" }, __secretTriggers: ["apiKey"] });

        const now = await provider.check(old.inputs, { ...base, triggers: { apiKey: "plain-now" } });

        assert.equal(now.inputs.purgePlan, "purge cache (trigger apiKey changed (secret)); 1 request: POST https://cms.example.com/api/v1/cache/clear");
    });
});
