import assert from "node:assert/strict";
import { FlextypeEmulator } from "../../src/services/flextype/emulator";
import { CachePurge } from "../../src/services/flextype/resource";
import { ProviderHost } from "../harness/provider-host";
import type { Props } from "../harness/sdk";
import { serializedProvider } from "../harness/serialize";
import { linkPackageIntoNodeModules, REPO_ROOT } from "../harness/workspace";

const URN = "urn:pulumi:test::p::pulumi-nodejs:dynamic/flextype:CachePurge::cms";
const TOKEN = "0123456789abcdef0123456789abcdef";
const CANARY = "CANARY-host-access-31337";

describe("flextype through the provider host (gRPC, as the engine calls it)", function () {
    this.timeout(60_000);
    let host: ProviderHost;
    let emulator: FlextypeEmulator;
    let provider: string;

    before(async () => {
        linkPackageIntoNodeModules();
        provider = await serializedProvider(() => new CachePurge("cms", { baseUrl: "https://cms.example.com", accessToken: CANARY }));
        host = await ProviderHost.start({ cwd: REPO_ROOT });
        await host.configure({ "cache-purge:flextypeToken": TOKEN });
    });

    after(() => host.stop());

    beforeEach(async () => {
        emulator = await new FlextypeEmulator({ [TOKEN]: { accessToken: CANARY } }).start();
    });

    afterEach(() => emulator.stop());

    async function checked(inputs: Props, olds: Props = {}): Promise<Props> {
        const result = await host.check(URN, olds, { ...inputs, __provider: provider });
        assert.deepEqual(result.failures, []);
        return result.inputs;
    }

    it("serializes to a provider under 2,500 bytes that holds no credential", () => {
        assert.ok(provider.length <= 2_500, `__provider is ${provider.length} bytes`);
        assert.ok(!provider.includes(CANARY));
        assert.match(provider, /require\(this\.module\)/);
        assert.match(provider, /"pulumi-cache-purge\/provider\/flextype"/);
    });

    it("creates with one clear, then plans no purge and reports no change when nothing changed", async () => {
        const inputs = await checked({ baseUrl: emulator.baseUrl, accessToken: CANARY, triggers: { entries: "aaa" } });

        const created = await host.create(URN, inputs);
        const again = await checked({ baseUrl: `${emulator.baseUrl}/`, accessToken: CANARY, triggers: { entries: "aaa" } }, inputs);
        const diff = await host.diff(URN, created.id, created.outputs, again);

        assert.equal(emulator.clears, 1);
        assert.equal(again.purgePlan, inputs.purgePlan);
        assert.equal(diff.changes, "none");
        const receipt = created.outputs.receipt as Props;
        assert.equal(receipt.targets, "all");
        assert.deepEqual(receipt.reasons, [{ why: "created", targets: "all" }]);
        assert.equal(receipt.requests, 1);
        assert.equal(receipt.completion, "synchronous");
    });

    it("updates with one clear when a trigger changes, and says why in check", async () => {
        const inputs = await checked({ baseUrl: emulator.baseUrl, accessToken: CANARY, triggers: { entries: "1111111111aaaa" } });
        const created = await host.create(URN, inputs);

        const news = await checked({ baseUrl: emulator.baseUrl, accessToken: CANARY, triggers: { entries: "2222222222bbbb" } }, inputs);
        const diff = await host.diff(URN, created.id, created.outputs, news);
        const outputs = await host.update(URN, created.id, created.outputs, news);

        assert.equal(news.purgePlan, `purge cache (trigger entries: 11111111… -> 22222222…); 1 request: POST ${emulator.baseUrl}/api/v1/cache/clear`);
        assert.equal(diff.changes, "some");
        assert.equal(emulator.clears, 2);
        assert.deepEqual((outputs.receipt as Props).reasons, [{ why: "trigger entries: 11111111… -> 22222222…", targets: "all" }]);
    });

    it("updates without a request when only the access token changes", async () => {
        const inputs = await checked({ baseUrl: emulator.baseUrl, accessToken: CANARY });
        const created = await host.create(URN, inputs);

        const news = await checked({ baseUrl: emulator.baseUrl, accessToken: "another-access-token" }, inputs);
        const diff = await host.diff(URN, created.id, created.outputs, news);
        await host.update(URN, created.id, created.outputs, news);

        assert.equal(diff.changes, "some", "the new token must reach the state");
        assert.equal(news.purgePlan, "no purge");
        assert.equal(emulator.requests.length, 1);
    });

    it("retries 503 once and succeeds", async () => {
        emulator.inject({ status: 503 });
        const inputs = await checked({ baseUrl: emulator.baseUrl, accessToken: CANARY });

        const created = await host.create(URN, inputs);

        assert.equal(emulator.requests.length, 2);
        assert.equal(emulator.clears, 1);
        assert.equal((created.outputs.receipt as Props).retries, 1);
    });

    it("does not retry a 401 and quotes Flextype's message", async () => {
        const inputs = await checked({ baseUrl: emulator.baseUrl, accessToken: "not-the-access-token" });

        await assert.rejects(host.create(URN, inputs), {
            message: `flextype: POST ${emulator.baseUrl}/api/v1/cache/clear returned 401 Unauthorized: `
                + `"Token is wrong"; the token (from stack config cache-purge:flextypeToken) does not exist on the site, or the access token (from the accessToken input) does not match it`,
        });
        assert.equal(emulator.requests.length, 1);
    });

    it("does not retry a 400 and lists its possible causes", async () => {
        emulator.tokens.get(TOKEN)!.state = "disabled";
        const inputs = await checked({ baseUrl: emulator.baseUrl, accessToken: CANARY });

        await assert.rejects(host.create(URN, inputs), /returned 400 Bad Request: "Validation for this particular item failed"; Flextype answers 400 when the token \(from stack config cache-purge:flextypeToken\) is disabled/);
        assert.equal(emulator.requests.length, 1);
    });

    it("fails a hung server after timeoutMs without retrying", async () => {
        emulator.inject({ kind: "hang" });
        const inputs = await checked({ baseUrl: emulator.baseUrl, accessToken: CANARY, timeoutMs: 500 });

        await assert.rejects(host.create(URN, inputs), {
            message: `flextype: POST ${emulator.baseUrl}/api/v1/cache/clear failed: no answer within 500 ms; raise timeoutMs if the service is slow`,
        });
        assert.equal(emulator.requests.length, 1);
    });

    it("clears on delete only with purgeOnDelete", async () => {
        const plain = await host.create(URN, await checked({ baseUrl: emulator.baseUrl, accessToken: CANARY }));
        await host.delete(URN, plain.id, plain.outputs);
        const purging = await host.create(URN, await checked({ baseUrl: emulator.baseUrl, accessToken: CANARY, purgeOnDelete: true }));
        await host.delete(URN, purging.id, purging.outputs);

        assert.equal(emulator.clears, 3);
    });

    it("rejects bad inputs in check, naming each field, before any request", async () => {
        const missing = await host.check(URN, {}, { __provider: provider, accessToken: CANARY });
        const bad = await host.check(URN, {}, { __provider: provider, baseUrl: "ftp://cms.example.com", token: "", accessToken: CANARY, triggers: { entries: 42 } });

        assert.deepEqual(missing.failures, [{ property: "", reason: "baseUrl: required, expected a string" }]);
        assert.deepEqual(bad.failures, [
            { property: "", reason: "triggers.entries: expected a string, got 42" },
            { property: "", reason: `baseUrl: expected an https:// URL, got "ftp://cms.example.com"` },
            { property: "", reason: "token: must not be empty" },
        ]);
        assert.equal(emulator.requests.length, 0);
    });

    it("names all three ways to set a credential that is missing", async () => {
        const result = await host.check(URN, {}, { __provider: provider, baseUrl: emulator.baseUrl });

        assert.deepEqual(result.failures, [{
            property: "",
            reason: "flextype: no access token; pass accessToken, run `pulumi config set --secret cache-purge:flextypeAccessToken <value>`, or set FLEXTYPE_ACCESS_TOKEN",
        }]);
    });

    it("refuses plain http to a host that is not this machine", async () => {
        const result = await host.check(URN, {}, { __provider: provider, baseUrl: "http://cms.example.com", accessToken: CANARY });

        assert.deepEqual(result.failures, [{ property: "", reason: `baseUrl: expected an https:// URL (http:// is allowed only for localhost), got "http://cms.example.com"` }]);
    });
});
