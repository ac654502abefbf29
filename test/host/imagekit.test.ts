import assert from "node:assert/strict";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { UrlPurge } from "../../src/services/imagekit/resource";
import { ProviderError, ProviderHost } from "../harness/provider-host";
import type { Props } from "../harness/sdk";
import { serializedProvider } from "../harness/serialize";
import { linkPackageIntoNodeModules, REPO_ROOT } from "../harness/workspace";

const URN = "urn:pulumi:test::p::pulumi-nodejs:dynamic/imagekit:UrlPurge::images";
const CANARY = "private_CANARY_host_7d1f";
const IK = "https://ik.imagekit.io/acme";

function urlMap(count: number, hash = "h1"): Record<string, string> {
    return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${IK}/img/${String(i).padStart(3, "0")}.jpg`, `${hash}-${i}`]));
}

describe("imagekit through the provider host (gRPC, as the engine calls it)", function () {
    this.timeout(120_000);
    let host: ProviderHost;
    let emulator: ImageKitEmulator;
    let provider: string;
    let key: string;

    before(async () => {
        linkPackageIntoNodeModules();
        provider = await serializedProvider(() => new UrlPurge("images", { urls: [`${IK}/a.jpg`], privateKey: CANARY }));
        host = await ProviderHost.start({ cwd: REPO_ROOT, env: { IMAGEKIT_PRIVATE_KEY: "" } });
        await host.configure({});
    });

    after(() => host.stop());

    beforeEach(async () => {
        // One key per test: the host paces each account across all its resources, as in one deployment.
        key = `private_${CANARY}_${Math.random().toString(16).slice(2)}`;
        emulator = await new ImageKitEmulator({ privateKey: key }).start();
    });

    afterEach(() => emulator.stop());

    async function checked(inputs: Props, olds: Props = {}): Promise<Props> {
        const result = await host.check(URN, olds, { baseUrl: emulator.baseUrl, privateKey: key, ...inputs, __provider: provider });
        assert.deepEqual(result.failures, []);
        return result.inputs;
    }

    it("serializes to a small provider that holds no private key", () => {
        assert.ok(provider.length <= 2_500, `__provider is ${provider.length} bytes`);
        assert.ok(!provider.includes(CANARY));
        assert.match(provider, /"pulumi-cache-purge\/provider\/imagekit"/);
    });

    it("previews exactly the 3 changed URLs of 200 without a request, and the update purges exactly those", async () => {
        const before = urlMap(200);
        const inputs = await checked({ urls: before });
        const created = await host.create(URN, inputs);
        const after = { ...before, [`${IK}/img/000.jpg`]: "h2", [`${IK}/img/050.jpg`]: "h2", [`${IK}/img/150.jpg`]: "h2" };
        const requestsAfterCreate = emulator.requests.length;

        const news = await checked({ urls: after }, inputs);
        const diff = await host.diff(URN, created.id, created.outputs, news);
        const requestsDuringPreview = emulator.requests.length - requestsAfterCreate;
        const outputs = await host.update(URN, created.id, created.outputs, news);

        const post = `POST ${emulator.baseUrl}/v1/files/purge`;
        assert.equal(news.purgePlan, `purge 3 of 200 targets: ${IK}/img/000.jpg (trigger: h1-0 -> h2); ${IK}/img/050.jpg (trigger: h1-50 -> h2); `
            + `${IK}/img/150.jpg (trigger: h1-150 -> h2); 3 requests: ${post}, ${post}, ${post}`);
        assert.equal(requestsDuringPreview, 0);
        assert.equal(diff.changes, "some");
        assert.deepEqual(emulator.purgedUrls.slice(200).sort(), [`${IK}/img/000.jpg`, `${IK}/img/050.jpg`, `${IK}/img/150.jpg`]);
        const receipt = outputs.receipt as { targets: string[]; completion: string; details: { requestIds: string } };
        assert.equal(receipt.completion, "accepted");
        // ImageKit's request ids, in the order of the receipt's targets.
        const idOf = new Map(emulator.purges.slice(200).map((p) => [p.url, p.requestId]));
        assert.deepEqual(receipt.targets, [`${IK}/img/000.jpg`, `${IK}/img/050.jpg`, `${IK}/img/150.jpg`]);
        assert.deepEqual(JSON.parse(receipt.details.requestIds), receipt.targets.map((url) => idOf.get(url)));
        // Stored as the engine keeps it: the URL map as one JSON text, not 200 values.
        assert.equal(typeof outputs.urls, "string");
        assert.deepEqual(JSON.parse(outputs.urls as string), after);
    });

    it("purges 300 URLs against an account limited to 50 requests/s with no 429 reaching the user", async () => {
        emulator.rateLimit = { limit: 50, windowMs: 1000 };
        const inputs = await checked({ urls: urlMap(300) });
        const started = Date.now();

        const created = await host.create(URN, inputs);

        const elapsedMs = Date.now() - started;
        assert.equal(new Set(emulator.purgedUrls).size, 300);
        assert.equal((created.outputs.receipt as { count: number }).count, 300);
        const retries = (created.outputs.receipt as { retries: number }).retries;
        assert.equal(retries, emulator.rateLimited, "every 429 was retried inside the provider");
        // Figures for the report, not assertions on time.
        console.log(`      300 URLs at 50/s: ${elapsedMs} ms, ${emulator.rateLimited} 429(s) absorbed`);
    });

    it("waits out the reset a 429 names when the account's window is already spent, and purges every URL", async () => {
        emulator.rateLimit = { limit: 5, windowMs: 1000 };
        emulator.setRateWindow(5);
        const inputs = await checked({ urls: urlMap(10) });

        const created = await host.create(URN, inputs);

        assert.ok(emulator.rateLimited > 0, "the emulator answered 429 at least once");
        assert.equal((created.outputs.receipt as { retries: number }).retries, emulator.rateLimited);
        assert.equal(new Set(emulator.purgedUrls).size, 10);
    });

    it("with wait, create returns after every request id reads Completed, and the receipt says confirmed", async () => {
        emulator.pendingMs = 600;
        const inputs = await checked({ urls: urlMap(4), wait: true });

        const created = await host.create(URN, inputs);

        const lastPurgeAtMs = Math.max(...emulator.purges.map((p) => p.atMs));
        const finalPolls = emulator.requests.filter((r) => r.method === "GET").slice(-4);
        assert.equal((created.outputs.receipt as { completion: string }).completion, "confirmed");
        assert.deepEqual(finalPolls.map((r) => r.path).sort(), emulator.purges.map((p) => `/v1/files/purge/${p.requestId}`).sort());
        assert.ok(finalPolls.every((r) => r.atMs - lastPurgeAtMs >= 590), "the polls that ended the wait came after the pending time");
    });

    it("fails a batch naming URL #7 that the server refuses, records the rest, and the next update purges only it", async () => {
        const urls = urlMap(12);
        const seventh = `${IK}/img/006.jpg`;
        emulator.failUrls.set(seventh, 500);
        const inputs = await checked({ urls, maxRetries: 1 });

        const error = await host.create(URN, inputs).then(() => undefined, (e: ProviderError) => e);
        emulator.failUrls.clear();
        const next = await checked({ urls, maxRetries: 1 }, inputs);
        const diff = await host.diff(URN, error!.partialId!, error!.partialOutputs!, next);
        const outputs = await host.update(URN, error!.partialId!, error!.partialOutputs!, next);

        assert.equal(error?.message, `imagekit: POST ${emulator.baseUrl}/v1/files/purge returned 500 Internal Server Error after 2 attempts: `
            + `"We have experienced an internal error while processing your request."; 11 of 12 targets purged, 1 left for the next pulumi up (${seventh})`);
        assert.equal(diff.changes, "some");
        assert.deepEqual((outputs.receipt as { targets: string[] }).targets, [seventh]);
        assert.deepEqual((outputs.receipt as { reasons: unknown }).reasons, [{ why: "left over from a failed purge", targets: [seventh] }]);
        assert.equal(emulator.purgedUrls.length, 12);
    });

    it("refuses bad inputs in check, naming the field or URL, before any request", async () => {
        const result = await host.check(URN, {}, {
            baseUrl: emulator.baseUrl,
            privateKey: key,
            urls: ["relative/a.jpg", `${IK}/a/*/b.jpg`],
            __provider: provider,
        });
        const map = await host.check(URN, {}, { baseUrl: emulator.baseUrl, privateKey: key, urls: { [`${IK}/a.jpg`]: 5 }, __provider: provider });
        const tooMany = await host.check(URN, {}, { baseUrl: emulator.baseUrl, privateKey: key, urls: urlMap(3), maxPurgeRequests: 2, __provider: provider });

        assert.deepEqual(result.failures.map((f) => f.reason), [
            `urls[0]: expected an absolute http(s) URL such as https://ik.imagekit.io/your_id/image.jpg, got "relative/a.jpg"`,
            `urls[1]: a wildcard * is allowed only as the last character, got "${IK}/a/*/b.jpg"`,
        ]);
        assert.deepEqual(map.failures, [{ property: "", reason: `urls["${IK}/a.jpg"]: expected a content hash (a string), got 5` }]);
        assert.match(tooMany.failures[0].reason, /^urls: this update would send 3 purge requests, more than maxPurgeRequests \(2\);/);
        assert.equal(emulator.requests.length, 0);
    });

    it("says how to set the private key when none is given", async () => {
        const result = await host.check(URN, {}, { baseUrl: emulator.baseUrl, urls: [`${IK}/a.jpg`], __provider: provider });

        assert.deepEqual(result.failures, [{
            property: "",
            reason: "imagekit: no private key; pass privateKey, run `pulumi config set --secret cache-purge:imagekitPrivateKey <value>`, or set IMAGEKIT_PRIVATE_KEY",
        }]);
    });
});
