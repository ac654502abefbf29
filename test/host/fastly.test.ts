import assert from "node:assert/strict";
import { FastlyEmulator } from "../../src/services/fastly/emulator";
import { Purge } from "../../src/services/fastly/resource";
import { ProviderHost, type ProviderError } from "../harness/provider-host";
import type { Props } from "../harness/sdk";
import { serializedProvider } from "../harness/serialize";
import { linkPackageIntoNodeModules, REPO_ROOT } from "../harness/workspace";

const URN = "urn:pulumi:test::p::pulumi-nodejs:dynamic/fastly:Purge::site";
const TOKEN = "CANARY-fastly-host-token-3f9a";
const SERVICE = "SU1Z0isxPaozGVKXdv0eY";

describe("fastly through the provider host (gRPC, as the engine calls it)", function () {
    this.timeout(60_000);
    let host: ProviderHost;
    let emulator: FastlyEmulator;
    let provider: string;

    before(async () => {
        linkPackageIntoNodeModules();
        provider = await serializedProvider(() => new Purge("site", { serviceId: SERVICE, surrogateKeys: ["blog"], apiToken: TOKEN }));
        // The token from the environment only, as a CI runner sets FASTLY_API_TOKEN.
        host = await ProviderHost.start({ cwd: REPO_ROOT, env: { FASTLY_API_TOKEN: TOKEN } });
        await host.configure({});
    });

    after(() => host.stop());

    beforeEach(async () => {
        emulator = await new FastlyEmulator({ tokens: { [TOKEN]: { scopes: ["purge_select"] } }, services: [SERVICE] }).start();
    });

    afterEach(() => emulator.stop());

    async function checked(inputs: Props, olds: Props = {}): Promise<Props> {
        const result = await host.check(URN, olds, { serviceId: SERVICE, baseUrl: emulator.baseUrl, ...inputs, __provider: provider });
        assert.deepEqual(result.failures, []);
        return result.inputs;
    }

    it("serializes to a provider that holds no token", () => {
        assert.ok(!provider.includes(TOKEN));
        assert.match(provider, /"pulumi-cache-purge\/provider\/fastly"/);
    });

    it("soft-purges both keys on create with the environment's token, then only the changed one, named with old -> new hash before any request", async () => {
        const inputs = await checked({ surrogateKeys: { blog: "aaaaaaaa11112222", news: "aaaaaaaa11112222" }, softPurge: true });
        const created = await host.create(URN, inputs);
        const changed = await checked({ surrogateKeys: { blog: "aaaaaaaa11112222", news: "bbbbbbbb33334444" }, softPurge: true }, inputs);

        const diff = await host.diff(URN, created.id, created.outputs, changed);
        const updated = await host.update(URN, created.id, created.outputs, changed);

        assert.equal(diff.changes, "some");
        assert.equal(changed.purgePlan, `purge 1 of 2 targets: key news (trigger: aaaaaaaa… -> bbbbbbbb…); 1 request: POST ${emulator.baseUrl}/service/${SERVICE}/purge (1 soft key)`);
        assert.deepEqual(emulator.purges.map((p) => [p.names, p.soft]), [[["blog", "news"], true], [["news"], true]]);
        assert.ok(emulator.requests.every((r) => r.headers["fastly-key"] === TOKEN && r.headers["fastly-soft-purge"] === "1"));
        const receipt = updated.receipt as { targets: string[]; details: { purgeIds: string } };
        assert.deepEqual(receipt.targets, ["key news"]);
        assert.equal(receipt.details.purgeIds, JSON.stringify(emulator.purges[1].ids));
        assert.ok(!JSON.stringify(updated).includes(TOKEN));
    });

    it("fails a create on a service the token cannot see, quoting Fastly's words, and records nothing as purged", async () => {
        const inputs = await checked({ serviceId: "UnknownService0001", surrogateKeys: ["blog"] });

        const error = await host.create(URN, inputs).then(() => undefined, (e: ProviderError) => e);

        assert.equal(error?.message, `fastly: POST ${emulator.baseUrl}/service/UnknownService0001/purge returned 404 Not Found: `
            + "\"Record not found: Cannot find service 'UnknownService0001' (check serviceId: the service's id, not its name)\"");
        assert.equal(error?.partialOutputs, undefined);
        assert.equal(emulator.purges.length, 0);
    });
});
