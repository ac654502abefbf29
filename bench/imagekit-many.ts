import * as fs from "fs";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { FlextypeEmulator } from "../src/services/flextype/emulator";
import { ImageKitEmulator } from "../src/services/imagekit/emulator";
import { CliStack, pulumiCli } from "../test/harness/pulumi-cli";
import { tempDir } from "../test/harness/workspace";
import { COMMAND_VERSION, commandProvider, installedPluginHome } from "./against-command";
import { installedBench } from "./installed";
import { IMAGEKIT_KEY, type ImageKitStack, newImageKitStack, upPurging } from "./large-preview";
import { manyUrlMaps, URLS_PER_RESOURCE } from "./programs/large-urls";
import type { Figure } from "./report";
import { describe, fixed, type Summary, summarize } from "./stats";

/** This package's `imagekit.UrlPurge`, the naive dynamic provider, or `@pulumi/command` running curl. */
type Variant = "imagekit" | "naive" | "command" | "plugin";
const PROGRAM: Record<Exclude<Variant, "plugin">, string> = { imagekit: "imagekit-many", naive: "naive-imagekit", command: "command-imagekit" };
const LABEL: Record<Variant, string> = { imagekit: "ours (dynamic)", naive: "naive dynamic", command: "command + curl", plugin: "the plugin (YAML, installed)" };

let serial = 0;

/**
 * The same N resources in Pulumi YAML, served by the provider plugin installed from its tarball: YAML has
 * no loop, so the program is written out, each URL map literal (the maps of bench/programs/large-urls.ts).
 */
async function pluginStack(binDir: string, count: number, emulator: ImageKitEmulator): Promise<ImageKitStack> {
    const project = installedBench();
    // The plugin's home is shared by the run; its schema is cached there by a Flextype preview (no requests).
    const flextype = await new FlextypeEmulator({}).start();
    const home = await installedPluginHome(binDir, flextype).finally(() => flextype.stop());
    const name = `ikp${process.pid}x${serial++}`;
    const programDir = path.join(project.dir, `bench-plugin-ik-${name}`);
    const maps = manyUrlMaps({ requireNumber: () => count } as unknown as pulumi.Config);
    const resources = maps.map((urls, i) => [
        `  images-${i}:`, "    type: cache-purge:imagekit:UrlPurge", "    properties:", "      baseUrl: ${baseUrl}", "      urls:",
        ...Object.entries(urls).map(([url, hash]) => `        ${JSON.stringify(url)}: ${JSON.stringify(hash)}`),
    ].join("\n"));
    fs.mkdirSync(programDir);
    fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), `name: bench-plugin-ik\nruntime: yaml\nconfig:\n  baseUrl:\n    type: string\nresources:\n${resources.join("\n")}\n`);
    const work = tempDir("bench-plugin-ik");
    const stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: name, env: { IMAGEKIT_PRIVATE_KEY: "", PULUMI_HOME: home } });
    await stack.init({ "bench-plugin-ik:baseUrl": { value: emulator.baseUrl }, "cache-purge:imagekitPrivateKey": { value: IMAGEKIT_KEY, secret: true } });
    return { variant: "plugin", stack, remove: () => { fs.rmSync(programDir, { recursive: true, force: true }); work.remove(); } };
}

/**
 * Under the real CLI, `pulumi up` of a new stack of N resources of 10 ImageKit URLs each: this package's
 * `imagekit.UrlPurge` (every input but the URLs and the emulator's address at its default), the naive
 * dynamic provider, and `@pulumi/command` running one curl per resource (skipped, saying why, without a
 * `pulumi-resource-command`). The variants interleaved, `runs` rounds; every up checked to purge each
 * of the N × 10 URLs exactly once on the emulator.
 */
export async function imagekitManyFigures(count: number, runs: number): Promise<Figure[]> {
    const urls = count * URLS_PER_RESOURCE;
    const name = `up of a new stack under the real pulumi CLI, ${count} ImageKit resources × ${URLS_PER_RESOURCE} URLs, vs @pulumi/command + curl and the naive dynamic provider`;
    const goal = count >= 100 ? 0.8 : 1.0;
    const cli = pulumiCli();
    const yaml = "binDir" in cli && fs.existsSync(path.join(cli.binDir, "pulumi-language-yaml"));
    const goalText = `≤ ${fixed(goal)}× command, for the ${yaml ? "provider plugin" : "dynamic resources (no YAML host: the plugin was not measured)"}; the dynamic resources and against naive: reported`;
    if ("missing" in cli) {
        return [{ name, goal: goalText, measured: `not measured: ${cli.missing}`, met: undefined, notes: [] }];
    }
    const command = commandProvider();
    const commandDir = "dir" in command ? command.dir : undefined;
    const variants: Variant[] = ["imagekit", "naive", ...(commandDir ? ["command" as const] : []), ...(yaml ? ["plugin" as const] : [])];
    // No latency, no rate limit, purges Completed at once; a quota no run reaches.
    const emulator = await new ImageKitEmulator({ privateKey: IMAGEKIT_KEY, monthlyQuota: 1_000_000 }).start();
    const times: Record<Variant, number[]> = { imagekit: [], naive: [], command: [], plugin: [] };
    const cpu: Record<Variant, number[]> = { imagekit: [], naive: [], command: [], plugin: [] };
    try {
        for (let i = 0; i < runs; i++) {
            for (const variant of i % 2 === 0 ? variants : [...variants].reverse()) {
                const s = variant === "plugin" ? await pluginStack(cli.binDir, count, emulator) : await newImageKitStack(cli.binDir, variant, PROGRAM[variant], count, emulator, commandDir);
                try {
                    const up = await upPurging(s, emulator, urls, `up of ${count} × ${URLS_PER_RESOURCE} URLs`);
                    times[variant].push(up.s);
                    cpu[variant].push(up.cpuS);
                } finally {
                    s.remove();
                }
            }
        }
        if (emulator.statusReads !== 0) {
            throw new Error(`${emulator.statusReads} purge status reads: no variant waits for completion here (\`wait\` is off by default)`);
        }
    } finally {
        await emulator.stop();
    }

    const of: Partial<Record<Variant, Summary>> = Object.fromEntries(variants.map((v) => [v, summarize(times[v])]));
    const ours = of.imagekit!;
    const naive = of.naive!;
    const ratio = of.command ? (of.plugin ?? ours).median / of.command.median : undefined;
    const each = variants.map((v) => `${LABEL[v]} ${describe(of[v]!, "s")}, ${fixed(summarize(cpu[v]).median)} CPU-s`);
    return [{
        name,
        goal: goalText,
        measured: `${ratio === undefined ? "command baseline skipped" : `**${fixed(ratio)}×** command (${of.plugin ? "plugin" : "dynamic"})`}; the dynamic resources ${of.command ? `${fixed(ours.median / of.command.median)}× command, ` : ""}${fixed(ours.median / naive.median)}× naive; ${each.join("; ")}`,
        met: ratio === undefined ? undefined : ratio <= goal,
        notes: [
            `A new stack each run (test/harness/pulumi-cli.ts \`CliStack\`, local file backend), in the project where the package is installed from its tarball, the key from the stack config \`cache-purge:imagekitPrivateKey\`, against one \`ImageKitEmulator\` (no latency, no rate limit, a purge \`Completed\` at once): bench/programs/imagekit-many, N × \`imagekit.UrlPurge\` whose \`urls\` maps 10 URLs to a sha256 each, every other input at its default, so \`wait\` is off (its default: \`up\` does not poll \`GET /v1/files/purge/:requestId\`, as neither baseline does; checked: the emulator answered no status read); bench/programs/naive-imagekit, N × the naive dynamic provider of bench/naive/url-purge.ts (node-fetch, one POST per URL in turn, the URL -> hash map as its \`triggers\`); a Pulumi YAML program of the same N \`cache-purge:imagekit:UrlPurge\` with the same maps, served by \`pulumi-resource-cache-purge\` installed from its release tarball (\`pulumi plugin install … --file\`, its schema cached); bench/programs/command-imagekit, N × \`@pulumi/command@${COMMAND_VERSION}\` \`local.Command\` whose \`triggers\` are its 10 \`url=hash\` strings and whose \`create\` runs one \`curl --fail-early -K -\` over a config of 10 \`POST /v1/files/purge {"url": …}\` sections, the key added to each at run time from an environment variable marked secret. Interleaved, ${runs} run(s) each; every up checked to purge each of the N × 10 URLs exactly once on the emulator. CPU: every process the up ran, from this process's children's times.`,
            ...(commandDir ? [] : [`The command baseline was skipped: ${"missing" in command ? command.missing : ""}`]),
        ],
    }];
}
