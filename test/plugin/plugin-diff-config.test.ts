import assert from "node:assert/strict";
import * as path from "path";
import { ProviderHost } from "../harness/provider-host";
import { type Props, wrapSecret } from "../harness/sdk";
import { REPO_ROOT } from "../harness/workspace";

const PLUGIN = path.join(REPO_ROOT, "dist", "plugin", "main.js");
const URN = "urn:pulumi:dev::site::pulumi:providers:cache-purge::default_0_2_0";
const TOKEN = wrapSecret("CANARY-diff-config-token-5c2e");

/**
 * The plugin's answer to DiffConfig, which decides whether the engine updates the provider or replaces it
 * and, with it, every purge resource it serves (a replaced purge resource purges). The engine sends the
 * provider's inputs with `version` in them, the plugin's version a program pinned (registry.go keeps it
 * through FilterProviderConfig). test/cli/plugin-upgrade.test.ts shows the same under the real CLI.
 */
describe("the cache-purge plugin's provider config diff", function () {
    this.timeout(60_000);
    let host: ProviderHost;

    before(async () => {
        host = await ProviderHost.start({ cwd: REPO_ROOT, hostScript: PLUGIN });
    });

    after(() => host.stop());

    const updates: Array<[string, Props, Props, string[]]> = [
        ["a pinned version raised", { version: "0.1.0", flextypeToken: TOKEN }, { version: "0.2.0", flextypeToken: TOKEN }, ["version"]],
        ["a pinned version taken out", { version: "0.1.0", flextypeToken: TOKEN }, { flextypeToken: TOKEN }, ["version"]],
        ["a rotated credential", { flextypeToken: TOKEN }, { flextypeToken: wrapSecret("CANARY-diff-config-rotated-9d1f") }, ["flextypeToken"]],
    ];
    for (const [what, olds, news, diffs] of updates) {
        it(`answers ${what} as an update of the provider, never a replacement`, async () => {
            const answer = await host.diffConfig(URN, olds, news);

            assert.deepEqual(answer, { changes: "some", diffs, replaces: [] });
        });
    }

    it("answers the same config as no change, so the engine keeps the provider as it is", async () => {
        const config = { version: "0.2.0", flextypeToken: TOKEN };

        const answer = await host.diffConfig(URN, config, { ...config });

        assert.deepEqual(answer, { changes: "none", diffs: [], replaces: [] });
    });
});
