import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { FlextypeEmulator } from "../../src/testing";
import { consumerProject } from "../harness/consumer-project";
import { type CliResult, CliStack, describeWithCli, type StackConfig } from "../harness/pulumi-cli";
import { tempDir } from "../harness/workspace";

const TOKEN = "5e1d2c3b4a59687766554433221100ff";
const ACCESS = "CANARY-limits-access-40aa";
const PROJECT = "purge-limits";

/**
 * A site whose content pages are each a shared trigger (`content/pages/page-N.md` -> hash), as a user
 * writes one trigger per file; `version` changes every hash at once. `longName` and `controlName` add
 * one trigger whose name the engine cannot carry, or that would paint a line of its own in a terminal.
 */
const PROGRAM = `import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();
const version = cfg.require("version");
const triggers: Record<string, string> = {};
for (let i = 0; i < cfg.requireNumber("pages"); i++) {
    triggers[\`content/pages/page-\${i}.md\`] = createHash("sha256").update(\`\${version}:\${i}\`).digest("hex");
}
const longName = cfg.getNumber("longName");
if (longName !== undefined) {
    triggers["content/" + "x".repeat(longName - 8)] = "1";
}
if (cfg.getBoolean("controlName")) {
    triggers["page.md\\n\\u001b[32m+ fake line\\u001b[0m"] = "1";
}

export const receipt = new purge.flextype.CachePurge("cms", {
    baseUrl: cfg.require("flextypeUrl"),
    triggers: pulumi.output(triggers),
}).receipt;
`;

describeWithCli("names and counts the Pulumi engine cannot carry, under the real pulumi CLI", function (binDir) {
    this.timeout(600_000);
    let cms: FlextypeEmulator;
    let work: { dir: string; remove: () => void };
    let programDir: string;
    let stacks = 0;

    before(() => {
        programDir = path.join(consumerProject(), `limits-program-${process.pid}`);
        fs.mkdirSync(programDir, { recursive: true });
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
        fs.writeFileSync(path.join(programDir, "index.ts"), PROGRAM);
    });

    after(() => fs.rmSync(programDir, { recursive: true, force: true }));

    beforeEach(async () => {
        cms = await new FlextypeEmulator({ [TOKEN]: { accessToken: ACCESS } }).start();
        work = tempDir("cli-limits");
    });

    afterEach(async () => {
        await cms.stop();
        work.remove();
    });

    async function newStack(config: StackConfig): Promise<CliStack> {
        stacks += 1;
        const stack = new CliStack({ binDir, programDir, workDir: path.join(work.dir, `stack-${stacks}`), stack: `l${stacks}` });
        await stack.init({
            [`${PROJECT}:flextypeUrl`]: { value: cms.baseUrl },
            [`${PROJECT}:version`]: { value: "1" },
            "cache-purge:flextypeToken": { value: TOKEN, secret: true },
            "cache-purge:flextypeAccessToken": { value: ACCESS, secret: true },
            ...config,
        });
        return stack;
    }

    function ok(result: CliResult): CliResult {
        assert.equal(result.ok, true, result.output.slice(-4000));
        return result;
    }

    /** The longest line a command printed: what a terminal, a CI log or a pager has to hold. */
    const longestLine = (result: CliResult) => Math.max(...result.output.split("\n").map((line) => line.length));

    it("purges once per change of 600 shared triggers, twice over, and leaves the stack unlocked", async () => {
        const stack = await newStack({ [`${PROJECT}:pages`]: { value: "600" } });
        ok(await stack.up());

        await stack.setConfig({ [`${PROJECT}:version`]: { value: "2" } });
        const first = ok(await stack.up());
        await stack.setConfig({ [`${PROJECT}:version`]: { value: "3" } });
        const second = ok(await stack.up());

        assert.equal(cms.clears, 3);
        assert.doesNotMatch(first.output + second.output, /string exceeded max length|panic/);
        const receipt = await stack.output("receipt") as { count: number; targets: unknown; reasons: unknown };
        assert.deepEqual([receipt.count, receipt.targets], [1, "all"]);
        assert.match(JSON.stringify(receipt.reasons), /"trigger content\/pages\/page-0\.md: [0-9a-f]{8}… -> [0-9a-f]{8}…, .*and 5\d\d more"/);
        const state = JSON.parse(await stack.exportState()) as { deployment: { pending_operations?: unknown[] } };
        assert.deepEqual(state.deployment.pending_operations ?? [], []);
        assert.ok(longestLine(second) < 2_000, `longest line ${longestLine(second)} characters`);
        ok(await stack.destroy());
    });

    it("refuses a trigger name of 20,000 characters in preview, naming the input and the limit", async () => {
        const stack = await newStack({ [`${PROJECT}:pages`]: { value: "1" }, [`${PROJECT}:longName`]: { value: "20000" } });

        const preview = await stack.preview();

        assert.equal(preview.ok, false);
        assert.equal(cms.requests.length, 0);
        assert.match(preview.output, /has a problem: triggers\["content\/x{20,}…"\]: the name is 20,000 bytes long; a name may be at most 4,096 bytes \(UTF-8\)/);
        assert.doesNotMatch(preview.output, /string exceeded max length|panic|goroutine/);
        assert.ok(longestLine(preview) < 1_000, `longest line ${longestLine(preview)} characters`);
    });

    it("refuses a trigger name with a line break and a terminal escape in preview, showing them escaped", async () => {
        const stack = await newStack({ [`${PROJECT}:pages`]: { value: "1" }, [`${PROJECT}:controlName`]: { value: "true" } });

        const preview = await stack.preview();

        assert.equal(preview.ok, false);
        assert.equal(cms.requests.length, 0);
        assert.match(preview.output, /has a problem: triggers\["page\.md\\n\\u001b\[32m\+ fake line\\u001b\[0m"\]: a name must not hold control characters \(here a line break\); /);
        assert.ok(!preview.output.includes("\u001b"), "no raw escape reaches the terminal");
        assert.doesNotMatch(preview.output, /^\s*\+ fake line/m);
    });
});
