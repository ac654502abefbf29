import assert from "node:assert/strict";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import { FastlyEmulator } from "../../src/services/fastly/emulator";
import { fastlyService } from "../../src/services/fastly/service";
import { freshToken, numbered, progressLog } from "./provider-run";

const SERVICE = "SU1Z0isxPaozGVKXdv0eY";
const provider = createProviderImplementation(fastlyService);
type Props = Record<string, unknown>;
type Failed = Error & { properties?: Props; id?: string };

describe("fastly Purge, through the provider implementation against the emulator", function () {
    this.timeout(20_000);
    const log = progressLog();
    let emulator: FastlyEmulator;
    let token: string;

    beforeEach(async () => {
        token = freshToken("fastly");
        emulator = await new FastlyEmulator({ tokens: { [token]: { scopes: ["purge_select", "purge_all"] } }, services: [SERVICE] }).start();
    });

    afterEach(() => emulator.stop());

    async function checked(inputs: Props, olds: Props = {}) {
        return provider.check(olds, { baseUrl: emulator.baseUrl, apiToken: token, serviceId: SERVICE, maxRetries: 2, maxRetryDelayMs: 3_000, ...inputs });
    }

    it("purges surrogate keys in one request with Fastly-Key, then each URL with POST /purge/<host>/<path>, and keeps every purge id", async () => {
        const result = await checked({ surrogateKeys: ["blog", "product-42"], urls: ["https://www.example.com/css/site.css?v=2"] });

        const created = await provider.create(result.inputs);

        assert.equal(result.inputs.purgePlan, "purge 3 of 3 targets: key blog, key product-42, url https://www.example.com/css/site.css?v=2 (created); "
            + `2 requests: POST ${emulator.baseUrl}/service/${SERVICE}/purge (2 keys), POST ${emulator.baseUrl}/purge/www.example.com/css/site.css?v=2`);
        assert.deepEqual(emulator.requests.map((r) => [r.method, r.path, r.headers["fastly-key"] === token, r.fields]), [
            ["POST", `/service/${SERVICE}/purge`, true, { surrogate_keys: ["blog", "product-42"] }],
            ["POST", "/purge/www.example.com/css/site.css", true, undefined],
        ]);
        assert.equal(emulator.requests[1].query.v, "2");
        const receipt = created.outs.receipt as { completion: string; details: { purgeIds: string; soft: boolean } };
        assert.equal(receipt.completion, "synchronous");
        assert.equal(receipt.details.purgeIds, JSON.stringify([...emulator.purges[0].ids, ...emulator.purges[1].ids]));
        assert.match(emulator.purges[0].ids[0], /^\d+-\d+-\d{6}$/);
        assert.equal(receipt.details.soft, false);
    });

    it("soft-purges with Fastly-Soft-Purge: 1, and says so in the plan", async () => {
        const result = await checked({ surrogateKeys: ["blog"], softPurge: true });

        await provider.create(result.inputs);

        assert.equal(emulator.requests[0].headers["fastly-soft-purge"], "1");
        assert.equal(emulator.purges[0].soft, true);
        assert.match(String(result.inputs.purgePlan), /\(1 soft key\)$/);
    });

    it("purges everything with POST /service/<id>/purge_all", async () => {
        await provider.create((await checked({ purgeAll: true, triggers: { release: "v1" } })).inputs);

        assert.deepEqual(emulator.requests.map((r) => r.path), [`/service/${SERVICE}/purge_all`]);
        assert.equal(emulator.purges[0].kind, "all");
    });

    it("sends 600 keys as 256, 256 and 88, and an update purges only the 2 whose hash changed", async () => {
        const before = numbered("product", 600);
        const first = await checked({ surrogateKeys: before });
        const created = await provider.create(first.inputs);
        const preview = await checked({ surrogateKeys: { ...before, "product-0007": "h2", "product-0599": "h2" } }, first.inputs);

        const updated = await provider.update(created.id, created.outs, preview.inputs);

        assert.deepEqual(emulator.purges.map((p) => p.names.length), [256, 256, 88, 2]);
        assert.equal(preview.inputs.purgePlan, "purge 2 of 600 targets: key product-0007, key product-0599 (trigger: h1 -> h2); "
            + `1 request: POST ${emulator.baseUrl}/service/${SERVICE}/purge (2 keys)`);
        assert.deepEqual((updated.outs.receipt as { targets: string[] }).targets, ["key product-0007", "key product-0599"]);
    });

    it("refuses bad inputs in check, naming the field and what is allowed, before any request", async () => {
        const bad = await checked({ serviceId: "../admin", surrogateKeys: ["two words"], urls: ["/relative"] });
        const soft = await checked({ purgeAll: true, softPurge: true });
        const both = await checked({ purgeAll: true, urls: ["https://www.example.com/"] });
        const none = await checked({});

        assert.deepEqual(bad.failures?.map((f) => f.reason), [
            "serviceId: expected the service's id, an alphanumeric string such as SU1Z0isxPaozGVKXdv0eY, got \"../admin\"",
            "surrogateKeys[0]: a surrogate key holds only printable ASCII without blanks (0x21 to 0x7E), got \"two words\"",
            "urls[0]: expected an absolute URL such as https://www.example.com/css/styles.css, got \"/relative\"",
        ]);
        assert.deepEqual(soft.failures?.map((f) => f.reason), ["softPurge: Fastly cannot soft-purge everything; tag every response with one surrogate key (\"all\") and soft-purge that key instead, or leave softPurge out"]);
        assert.deepEqual(both.failures?.map((f) => f.reason), ["purgeAll, urls: purgeAll already purges everything the service cached; pass one or the other"]);
        assert.deepEqual(none.failures?.map((f) => f.reason), ["surrogateKeys, urls or purgeAll: name at least one thing to purge"]);
        assert.equal(emulator.requests.length, 0);
    });

    it("fails at once on a 401, quoting Fastly's msg and saying what to check", async () => {
        const error = await provider.create((await checked({ surrogateKeys: ["blog"], apiToken: "fastly-CANARY-wrong" })).inputs).then(() => undefined, (e: Error) => e);

        assert.equal(error?.message, `fastly: POST ${emulator.baseUrl}/service/${SERVICE}/purge returned 401 Unauthorized: `
            + "\"Provided credentials are missing or invalid (the API token is missing, expired or revoked)\"");
        assert.equal(emulator.requests.length, 1);
    });

    it("fails on a 403 for a token without the purge_all scope, naming the scopes", async () => {
        emulator.tokens.set(token, { scopes: ["purge_select"] });

        const error = await provider.create((await checked({ purgeAll: true })).inputs).then(() => undefined, (e: Error) => e);

        assert.equal(error?.message, `fastly: POST ${emulator.baseUrl}/service/${SERVICE}/purge_all returned 403 Forbidden: "You are not authorized to perform this action `
            + "(the API token needs the purge_select scope (keys and URLs) or purge_all (everything) on this service)\"");
    });

    it("does not take an answer without a purge id for every key as a purge", async () => {
        emulator.inject({ status: 200, body: JSON.stringify({ blog: "108-1391560174-974124" }) });

        const error = await provider.create((await checked({ surrogateKeys: ["blog", "news"] })).inputs).then(() => undefined, (e: Error) => e);

        assert.equal(error?.message, `fastly: POST ${emulator.baseUrl}/service/${SERVICE}/purge returned 200 without a purge id for 1 of 2 keys ("news"); they are not taken as purged`);
    });

    it("with the key map a secret, names no key in the plan or in the error about a missing purge id", async () => {
        emulator.inject({ status: 200, body: JSON.stringify({ "launch-2027": "108-1391560174-974124" }) });
        const result = await checked({ surrogateKeys: { "launch-2027": "h1", "acquisition-target": "h1" }, __secretTargetNames: ["surrogateKeys"], __secretTargets: true });

        const error = await provider.create(result.inputs).then(() => undefined, (e: Error) => e);

        assert.equal(result.inputs.purgePlan, `purge 2 of 2 targets: 2 targets with secret names (created); 1 request: POST ${emulator.baseUrl}/service/${SERVICE}/purge (2 keys)`);
        assert.equal(error?.message, `fastly: POST ${emulator.baseUrl}/service/${SERVICE}/purge returned 200 without a purge id for 1 of 2 keys ("[secret]"); they are not taken as purged`);
    });

    it("with the URL list a secret, shows no URL in the plan, nor in an error whose path names it", async () => {
        emulator.inject({ status: 400, body: JSON.stringify({ msg: "Bad request" }) });
        const result = await checked({ urls: ["https://www.example.com/unreleased/launch"], __secretTargetNames: ["urls"], __secretTargets: true });

        const error = await provider.create(result.inputs).then(() => undefined, (e: Error) => e);

        assert.equal(result.inputs.purgePlan, `purge 1 target with a secret name (created); 1 request: POST ${emulator.baseUrl}/purge/[secret]`);
        assert.equal(error?.message, `fastly: POST ${emulator.baseUrl}/purge/[secret] returned 400 Bad Request: "Bad request"`);
        assert.equal(emulator.purges.length, 0);
    });

    it("waits for Fastly-RateLimit-Reset when Fastly-RateLimit-Remaining reaches 0, and never meets a 429", async () => {
        emulator.rateLimit = { limit: 2, windowMs: 1_500 };
        const started = Date.now();

        await provider.create((await checked({ urls: ["https://www.example.com/a", "https://www.example.com/b", "https://www.example.com/c"] })).inputs);

        assert.equal(emulator.purges.length, 3);
        assert.equal(emulator.rateLimited, 0);
        assert.ok(Date.now() - started >= 500, `took ${Date.now() - started} ms`);
        assert.ok(log.some((l) => l.startsWith("fastly: rate limit budget spent; waiting for its reset")), log.join("\n"));
    });

    it("after a URL fails part-way, the next update purges only the URLs left", async () => {
        const urls = ["https://www.example.com/a", "https://www.example.com/b", "https://www.example.com/c"];
        const inputs = (await checked({ urls })).inputs;
        emulator.inject({ status: 400, body: JSON.stringify({ msg: "Bad request", detail: "no such host" }) }, (r) => r.path === "/purge/www.example.com/b");

        const error = await provider.create(inputs).then(() => undefined, (e: Failed) => e);
        const retried = await provider.update(error!.id!, error!.properties!, inputs);

        assert.equal(error?.message, `fastly: POST ${emulator.baseUrl}/purge/www.example.com/b returned 400 Bad Request: "Bad request: no such host"; `
            + "1 of 3 targets purged, 2 left for the next pulumi up (url https://www.example.com/b, url https://www.example.com/c)");
        assert.deepEqual((retried.outs.receipt as { targets: string[] }).targets, ["url https://www.example.com/b", "url https://www.example.com/c"]);
        assert.equal(emulator.purges.length, 3);
    });
});
