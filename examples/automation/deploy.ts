/**
 * A CI deploy step that drives a stack with purges through Pulumi's Automation API instead of shell
 * commands: preview, then up, then read what was purged from the stack's outputs.
 *
 *   FLEXTYPE_URL=https://cms.example.com FLEXTYPE_TOKEN=… FLEXTYPE_ACCESS_TOKEN=… npx ts-node deploy.ts
 *
 * It runs examples/flextype (beside this folder). The backend and the secrets passphrase come from the
 * environment as for any pulumi command (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE), and so do the
 * credentials: they go into the stack config as secrets, never into the program.
 */
import * as path from "path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";

function required(name: string): string {
    const value = process.env[name];
    if (!value) {
        throw new Error(`${name} is not set`);
    }
    return value;
}

async function main(): Promise<void> {
    const stack = await LocalWorkspace.createOrSelectStack({
        stackName: process.env.STACK ?? "ci",
        workDir: path.join(__dirname, "..", "flextype"),
    });
    await stack.setAllConfig({
        "baseUrl": { value: required("FLEXTYPE_URL") },
        "cache-purge:flextypeToken": { value: required("FLEXTYPE_TOKEN"), secret: true },
        "cache-purge:flextypeAccessToken": { value: required("FLEXTYPE_ACCESS_TOKEN"), secret: true },
    });

    const preview = await stack.preview();
    console.log(`preview: ${JSON.stringify(preview.changeSummary)}`);

    const up = await stack.up({ onOutput: (line) => { if (line.includes("flextype:")) process.stdout.write(`  ${line.trim()}\n`); } });
    console.log(`up: ${up.summary.result}, ${JSON.stringify(up.summary.resourceChanges)}`);

    // The receipt says what this deploy purged; a deploy that purged nothing keeps the last receipt.
    // Its targets are "all" when the purge covered every target the resource declares.
    const receipt = up.outputs.receipt?.value as { purgedAt: string; targets: string[] | "all"; count: number; requests: number } | null;
    const targets = receipt && (receipt.targets === "all" ? `all ${receipt.count} target(s)` : receipt.targets.join(", "));
    console.log(receipt ? `last purge: ${targets} at ${receipt.purgedAt} (${receipt.requests} request(s))` : "nothing purged yet");
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
