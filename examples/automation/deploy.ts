/**
 * A CI deploy step that drives a stack with purges through Pulumi's Automation API instead of shell
 * commands: preview, then up, then read what was purged from the stack's outputs.
 *
 *   FLEXTYPE_URL=https://cms.example.com FLEXTYPE_TOKEN=… FLEXTYPE_ACCESS_TOKEN=… npm run deploy
 *
 * The stack's program is index.ts in this folder. The backend and the secrets passphrase come from the
 * environment as for any pulumi command (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE), and so do the
 * credentials: they go into the stack config as secrets, never into the program. See docs/automation.md.
 */
import { LocalWorkspace } from "@pulumi/pulumi/automation";

function required(name: string): string {
    const value = process.env[name];
    if (!value) {
        throw new Error(`${name} is not set; set FLEXTYPE_URL, FLEXTYPE_TOKEN and FLEXTYPE_ACCESS_TOKEN (see docs/automation.md)`);
    }
    return value;
}

async function main(): Promise<void> {
    const stack = await LocalWorkspace.createOrSelectStack({
        stackName: process.env.STACK ?? "ci",
        workDir: __dirname,
    });
    await stack.setAllConfig({
        "baseUrl": { value: required("FLEXTYPE_URL") },
        "cache-purge:flextypeToken": { value: required("FLEXTYPE_TOKEN"), secret: true },
        "cache-purge:flextypeAccessToken": { value: required("FLEXTYPE_ACCESS_TOKEN"), secret: true },
    });

    const preview = await stack.preview();
    console.log(`preview: ${JSON.stringify(preview.changeSummary)}`);

    // The CLI's display arrives in chunks; of it, show only the plan line each purge prints under its resource.
    let partial = "";
    const up = await stack.up({
        onOutput: (chunk) => {
            const lines = (partial + chunk).split("\n");
            partial = lines.pop() ?? "";
            lines.filter((line) => line.trim().startsWith("flextype:")).forEach((line) => console.log(`  ${line.trim()}`));
        },
    });
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
