import assert from "node:assert/strict";
import { HttpEmulator } from "../../src/services/http/emulator";
import { Purge } from "../../src/services/http/resource";
import { ProviderError, ProviderHost } from "../harness/provider-host";
import type { Props } from "../harness/sdk";
import { serializedProvider } from "../harness/serialize";
import { linkPackageIntoNodeModules, REPO_ROOT } from "../harness/workspace";

const URN = "urn:pulumi:test::p::pulumi-nodejs:dynamic/http:Purge::cdn";
const CANARY = "CANARY-host-http-token-2b7c";

describe("http purge through the provider host (gRPC, as the engine calls it)", function () {
    this.timeout(60_000);
    let host: ProviderHost;
    let server: HttpEmulator;
    let provider: string;

    before(async () => {
        linkPackageIntoNodeModules();
        provider = await serializedProvider(() => new Purge("cdn", { request: { url: "https://cdn.example.com/purge/{target}" }, targets: ["a"], secretHeaders: { Authorization: `Bearer ${CANARY}` } }));
        host = await ProviderHost.start({ cwd: REPO_ROOT });
        await host.configure({});
    });

    after(() => host.stop());

    beforeEach(async () => {
        server = await new HttpEmulator().start();
    });

    afterEach(() => server.stop());

    async function checked(inputs: Props, olds: Props = {}): Promise<Props> {
        const result = await host.check(URN, olds, { ...inputs, __provider: provider });
        assert.deepEqual(result.failures, []);
        return result.inputs;
    }

    const inputs = (targets: Record<string, string>, token = CANARY): Props => ({
        request: { url: `${server.baseUrl}/purge/{target}` }, targets: JSON.stringify(targets), secretHeaders: { Authorization: `Bearer ${token}` },
    });

    it("serializes to a provider under 2,500 bytes that holds no credential and requires only its subpath", () => {
        assert.ok(provider.length <= 2_500, `__provider is ${provider.length} bytes`);
        assert.ok(!provider.includes(CANARY));
        assert.match(provider, /"pulumi-cache-purge\/provider\/http"/);
    });

    it("creates with one request per target, then purges only the changed target, and nothing on a rotated token", async () => {
        const first = await checked(inputs({ a: "1", b: "1" }));
        const created = await host.create(URN, first);
        const changed = await checked(inputs({ a: "1", b: "2" }), first);
        const updated = await host.update(URN, created.id, created.outputs, changed);
        const rotated = await checked(inputs({ a: "1", b: "2" }, "CANARY-host-rotated-9d0e"), changed);
        const diff = await host.diff(URN, created.id, updated, rotated);
        await host.update(URN, created.id, updated, rotated);

        assert.deepEqual(server.requests.map((r) => `${r.path} ${r.headers.authorization}`), [`/purge/a Bearer ${CANARY}`, `/purge/b Bearer ${CANARY}`, `/purge/b Bearer ${CANARY}`]);
        assert.equal(changed.purgePlan, `purge 1 of 2 targets: b (trigger: 1 -> 2); 1 request: POST ${server.baseUrl}/purge/b (Authorization: [secret])`);
        assert.equal(rotated.purgePlan, "no purge");
        assert.equal(diff.changes, "some");
        assert.ok(!JSON.stringify([created.outputs.receipt, updated.receipt, updated.purged]).includes(CANARY));
    });

    it("refuses a bad template through the host with the reason alone, naming the input", async () => {
        const result = await host.check(URN, {}, { request: { url: "https://cdn.example.com/purge?token=abc123def" }, __provider: provider });

        assert.deepEqual(result.failures, [{ property: "", reason: "request.url: the query parameter \"token\" looks like a credential, and the URL is stored in plaintext and shown in the plan; send it in secretHeaders" }]);
        assert.equal(server.requests.length, 0);
    });

    it("reports a failed batch as a partial failure that the engine records", async () => {
        server.answer = (r) => (r.path === "/purge/b" ? { status: 403, body: { message: `forbidden for ${r.headers.authorization}` } } : { status: 200, body: {} });
        const first = await checked(inputs({ a: "1", b: "1", c: "1" }));

        const error = await host.create(URN, first).then(() => undefined, (e: unknown) => e);

        assert.ok(error instanceof ProviderError);
        assert.equal(error.message, `http: POST ${server.baseUrl}/purge/b returned 403 Forbidden: "forbidden for [secret]"; 1 of 3 targets purged, 2 left for the next pulumi up (b, c)`);
        assert.deepEqual((error.partialOutputs?.purged as { pending: string[] }).pending, ["b", "c"]);
    });
});
