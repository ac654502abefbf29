import assert from "node:assert/strict";
import { ProviderHost } from "../harness/provider-host";
import { REPO_ROOT } from "../harness/workspace";

/**
 * The harness keeps what the provider host prints while it serves calls (a stack trace the SDK's host
 * writes on a failed check, a provider's stray log line), so tests that look for secrets in it see it.
 */
describe("the provider host harness", function () {
    this.timeout(30_000);

    it("keeps what the host writes to stdout and stderr while it serves calls", async () => {
        const host = await ProviderHost.start({ cwd: REPO_ROOT });
        try {
            const provider = `exports.handler = () => ({
                async create(inputs) {
                    process.stdout.write("canary-out\\n");
                    process.stderr.write("canary-err\\n");
                    return { id: "x", outs: inputs };
                },
            });\n`;
            await host.create("urn:pulumi:s::p::pulumi-nodejs:dynamic:Resource::x", { __provider: provider });
            for (let i = 0; i < 50 && !host.output.join("").includes("canary-err"); i++) {
                await new Promise((r) => setTimeout(r, 20));
            }
            const printed = host.output.join("");
            assert.match(printed, /canary-out/);
            assert.match(printed, /canary-err/);
        } finally {
            await host.stop();
        }
    });
});
