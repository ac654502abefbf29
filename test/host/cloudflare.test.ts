import assert from "node:assert/strict";
import { CloudflareEmulator } from "../../src/services/cloudflare/emulator";
import { ZonePurge } from "../../src/services/cloudflare/resource";
import { ProviderHost, type ProviderError } from "../harness/provider-host";
import type { Props } from "../harness/sdk";
import { serializedProvider } from "../harness/serialize";
import { linkPackageIntoNodeModules, REPO_ROOT } from "../harness/workspace";

const URN = "urn:pulumi:test::p::pulumi-nodejs:dynamic/cloudflare:ZonePurge::site";
const TOKEN = "CANARY-cloudflare-host-token-8b3d";
const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
const HASH_A = "aaaaaaaa1111111111111111";
const HASH_B = "bbbbbbbb2222222222222222";

describe("cloudflare through the provider host (gRPC, as the engine calls it)", function () {
    this.timeout(60_000);
    let host: ProviderHost;
    let emulator: CloudflareEmulator;
    let provider: string;

    before(async () => {
        linkPackageIntoNodeModules();
        provider = await serializedProvider(() => new ZonePurge("site", { zoneId: ZONE, tags: ["blog"], apiToken: TOKEN }));
        // The token from the stack config only, as `pulumi config set --secret cache-purge:cloudflareApiToken` puts it.
        host = await ProviderHost.start({ cwd: REPO_ROOT, env: { CLOUDFLARE_API_TOKEN: "" } });
        await host.configure({ "cache-purge:cloudflareApiToken": TOKEN });
    });

    after(() => host.stop());

    beforeEach(async () => {
        emulator = await new CloudflareEmulator({ tokens: { [TOKEN]: [ZONE] }, zones: [ZONE], plan: "pro" }).start();
    });

    afterEach(() => emulator.stop());

    async function checked(inputs: Props, olds: Props = {}): Promise<Props> {
        const result = await host.check(URN, olds, { zoneId: ZONE, baseUrl: emulator.baseUrl, plan: "pro", ...inputs, __provider: provider });
        assert.deepEqual(result.failures, []);
        return result.inputs;
    }

    it("serializes to a provider that holds no token", () => {
        assert.ok(!provider.includes(TOKEN));
        assert.match(provider, /"pulumi-cache-purge\/provider\/cloudflare"/);
    });

    it("purges both files on create with the stack config's token, then only the changed one, named with old -> new hash before any request", async () => {
        const a = "https://www.example.com/a.css";
        const b = "https://www.example.com/b.js";
        const inputs = await checked({ files: { [a]: HASH_A, [b]: HASH_A } });
        const created = await host.create(URN, inputs);
        const changed = await checked({ files: { [a]: HASH_A, [b]: HASH_B } }, inputs);
        const requestsBeforeUpdate = emulator.requests.length;

        const diff = await host.diff(URN, created.id, created.outputs, changed);
        const updated = await host.update(URN, created.id, created.outputs, changed);

        assert.equal(requestsBeforeUpdate, 1);
        assert.equal(diff.changes, "some");
        assert.equal(changed.purgePlan, `purge 1 of 2 targets: file ${b} (trigger: aaaaaaaa… -> bbbbbbbb…); 1 request: POST ${emulator.baseUrl}/zones/${ZONE}/purge_cache (1 file)`);
        assert.deepEqual(emulator.purges.map((p) => p.values), [[a, b], [b]]);
        assert.equal(emulator.requests[0].headers.authorization, `Bearer ${TOKEN}`);
        const receipt = updated.receipt as { targets: string[]; details: { purgeIds: { files: string[] } } };
        assert.deepEqual(receipt.targets, [`file ${b}`]);
        assert.deepEqual(receipt.details.purgeIds.files, [emulator.purges[1].id]);
        assert.ok(!JSON.stringify(updated).includes(TOKEN));
    });

    it("fails a create whose token Cloudflare refuses with its code and words, and records nothing as purged", async () => {
        const inputs = await checked({ tags: ["blog"], apiToken: "CANARY-cloudflare-refused-1c4e" });

        const error = await host.create(URN, inputs).then(() => undefined, (e: ProviderError) => e);

        assert.equal(error?.message, `cloudflare: POST ${emulator.baseUrl}/zones/${ZONE}/purge_cache returned 403 Forbidden: `
            + "\"code 10000: Authentication error (check the API token: it needs the Zone > Cache Purge permission on this zone)\"");
        assert.equal(error?.partialOutputs, undefined);
        assert.equal(emulator.purges.length, 0);
    });
});
