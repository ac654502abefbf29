import * as fs from "fs";
import * as path from "path";
import { ImageKitEmulator } from "../src/services/imagekit/emulator";
import { CliStack, type CliResult, pulumiCli } from "../test/harness/pulumi-cli";
import { tempDir } from "../test/harness/workspace";
import { COMMAND_VERSION, commandProvider, installCommand, timed } from "./against-command";
import { installedBench } from "./installed";
import { cpuByRole } from "./process-cpu";
import type { Figure } from "./report";
import { describe, fixed, summarize } from "./stats";

/** The private key of the ImageKit benches' emulator, in each stack's config `cache-purge:imagekitPrivateKey`. */
export const IMAGEKIT_KEY = "private_bench_large_preview";

/** This package's `imagekit.UrlPurge`, the naive dynamic provider, or `@pulumi/command` running curl over the same URLs. */
type Variant = "imagekit" | "naive" | "command";
const PROGRAM: Record<Variant, string> = { imagekit: "imagekit-large", naive: "naive-large", command: "command-large" };

export interface ImageKitStack {
    readonly variant: string;
    readonly stack: CliStack;
    readonly remove: () => void;
}

let serial = 0;

/**
 * A new stack of one program of bench/programs (config `count` and `baseUrl`, the key only from stack
 * config, not from this machine's environment), in the installed project. A `command-*` program gets
 * `@pulumi/command` installed and `commandDir` on PATH.
 */
export async function newImageKitStack(binDir: string, variant: string, program: string, count: number, emulator: ImageKitEmulator, commandDir: string | undefined): Promise<ImageKitStack> {
    const project = installedBench();
    const usesCommand = program.startsWith("command-");
    if (usesCommand) {
        installCommand(project.dir);
    }
    const name = `ik${process.pid}x${serial++}`;
    const programDir = path.join(project.programsDir, program);
    const work = tempDir(`bench-${program}`);
    const stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: name, env: { IMAGEKIT_PRIVATE_KEY: "" } });
    if (usesCommand && commandDir) {
        stack.env.PATH = [stack.env.PATH ?? "", commandDir].join(path.delimiter);
    }
    await stack.init({
        [`bench-${program}:count`]: { value: String(count) },
        [`bench-${program}:baseUrl`]: { value: emulator.baseUrl },
        "cache-purge:imagekitPrivateKey": { value: IMAGEKIT_KEY, secret: true },
    });
    return {
        variant, stack,
        remove: () => {
            // The stack's config and the curl config file command-large writes beside it.
            for (const file of [`Pulumi.${name}.yaml`, `purge-${name}.curl`]) {
                fs.rmSync(path.join(programDir, file), { force: true });
            }
            work.remove();
        },
    };
}

/** An up that must purge exactly `expected` distinct URLs on the emulator, once each: its time and CPU. */
export async function upPurging(s: ImageKitStack, emulator: ImageKitEmulator, expected: number, what: string): Promise<{ s: number; cpuS: number }> {
    const before = emulator.purges.length;
    const up = await timed(`${s.variant} ${what}`, () => s.stack.up());
    const purged = emulator.purges.slice(before).map((p) => p.url);
    if (purged.length !== expected || new Set(purged).size !== expected) {
        throw new Error(`${s.variant} ${what}: the emulator accepted ${purged.length} purges of ${new Set(purged).size} URLs, expected ${expected} of ${expected}`);
    }
    return up;
}

/** What each preview of one changed URL must say: ours names it in the plan; the engine updates the naive resource (its inputs changed) and replaces the Command (its triggers changed). */
function previewSays(variant: Variant, count: number): string {
    return { imagekit: `purge 1 of ${count.toLocaleString("en-US")} targets`, naive: "1 to update", command: "1 to replace" }[variant];
}

async function previewOfOneChange(s: ImageKitStack & { readonly variant: Variant }, count: number): Promise<{ s: number; cpuS: number }> {
    let output = "";
    const t = await timed(`${s.variant} preview`, async () => {
        const result: CliResult = await s.stack.preview();
        output = result.output;
        return result;
    });
    const expected = previewSays(s.variant, count);
    if (!output.includes(expected)) {
        throw new Error(`${s.variant} preview of one changed URL does not say "${expected}":\n${output.slice(-2000)}`);
    }
    return t;
}

type LargeStack = ImageKitStack & { readonly variant: Variant };

/**
 * Under the real CLI, one resource of N URLs after one URL's hash changed: this package's
 * `imagekit.UrlPurge` against what a user writes instead, the naive dynamic provider given the N URLs
 * and their hashes as its triggers, and a `local.Command` whose triggers are the N `url=hash` strings
 * running one curl over all N. Each variant gets a new stack and a first up (every URL purged, counted
 * on the emulator); one hash changes; `pulumi preview` is timed `runs` times, the variants interleaved;
 * one more preview of each is sampled for where its CPU goes; and the follow-up up purges (ours: the one
 * URL; the others: all N again).
 */
export async function largePreviewFigures(count: number, runs: number): Promise<Figure[]> {
    const cli = pulumiCli();
    const command = commandProvider();
    const n = count.toLocaleString("en-US");
    const name = `preview of one ImageKit resource of ${n} URLs after one URL changed, vs @pulumi/command + curl and the naive dynamic provider, under the real pulumi CLI`;
    if ("missing" in cli || "missing" in command) {
        return [{ name, goal: "≤ 1.5× command's preview", measured: `not measured: ${"missing" in cli ? cli.missing : ""}${"missing" in command ? command.missing : ""}`, met: undefined, notes: [] }];
    }
    const emulator = await new ImageKitEmulator({ privateKey: IMAGEKIT_KEY, monthlyQuota: 1_000_000 }).start();
    const stacks: LargeStack[] = [];
    try {
        const variants: Variant[] = ["imagekit", "naive", "command"];
        const firstUp: Partial<Record<Variant, { s: number; cpuS: number }>> = {};
        for (const variant of variants) {
            const s = { ...await newImageKitStack(cli.binDir, variant, PROGRAM[variant], count, emulator, command.dir), variant };
            stacks.push(s);
            firstUp[variant] = await upPurging(s, emulator, count, `first up of ${count} URLs`);
            await s.stack.setConfig({ [`bench-${PROGRAM[variant]}:changed`]: { value: String(count >> 1) } });
        }
        const preview: Record<Variant, number[]> = { imagekit: [], naive: [], command: [] };
        const previewCpu: Record<Variant, number[]> = { imagekit: [], naive: [], command: [] };
        for (let i = 0; i < runs; i++) {
            for (const s of i % 2 === 0 ? stacks : [...stacks].reverse()) {
                const t = await previewOfOneChange(s, count);
                preview[s.variant].push(t.s);
                previewCpu[s.variant].push(t.cpuS);
            }
        }
        const split: Partial<Record<Variant, Record<string, number>>> = {};
        for (const s of stacks) {
            split[s.variant] = (await cpuByRole(() => previewOfOneChange(s, count))).cpuS;
        }
        const followUp: Partial<Record<Variant, { s: number; cpuS: number }>> = {};
        for (const s of stacks) {
            followUp[s.variant] = await upPurging(s, emulator, s.variant === "imagekit" ? 1 : count, "up after one URL changed");
        }

        const [ours, naive, theirs] = variants.map((v) => summarize(preview[v]));
        const ratio = ours.median / theirs.median;
        const cpu = (variant: Variant) => `${fixed(summarize(previewCpu[variant]).median)} CPU-s`;
        const roles = (variant: Variant) => Object.entries(split[variant] ?? {}).sort((a, b) => b[1] - a[1]).map(([role, s]) => `${role} ${fixed(s)}`).join(", ");
        const ups = (variant: Variant, label: string) => `${label}: first up ${fixed(firstUp[variant]!.s)} s (${n} purge requests), up after the change ${fixed(followUp[variant]!.s)} s (${variant === "imagekit" ? 1 : n} purge request${variant === "imagekit" ? "" : "s"})`;
        return [{
            name,
            goal: "≤ 1.5× command's preview; against naive: reported",
            measured: `**${fixed(ratio)}×** command; ours ${describe(ours, "s")}, ${cpu("imagekit")}; command + curl ${describe(theirs, "s")}, ${cpu("command")}; naive dynamic ${describe(naive, "s")}, ${cpu("naive")} (ours ${fixed(ours.median / naive.median)}× naive); ${ups("imagekit", "ours")}; ${ups("command", "command")}; ${ups("naive", "naive")}`,
            met: ratio <= 1.5,
            notes: [
                `A new stack per variant (test/harness/pulumi-cli.ts \`CliStack\`, local file backend), in the project where the package is installed from its tarball, against one \`ImageKitEmulator\` (no latency, no rate limit), the key from the stack config \`cache-purge:imagekitPrivateKey\`: bench/programs/imagekit-large, one \`imagekit.UrlPurge\` whose \`urls\` maps ${n} URLs to a sha256 each; bench/programs/naive-large, one resource of the naive dynamic provider of bench/naive/url-purge.ts (one POST per URL, in turn) given the ${n} URLs and, as its \`triggers\`, the same URL -> hash map; and bench/programs/command-large, one \`@pulumi/command@${COMMAND_VERSION}\` \`local.Command\` whose \`triggers\` are the ${n} \`url=hash\` strings and whose \`create\` runs one \`curl --parallel --parallel-max 16 --fail-early -K -\` over a config file the program writes (one \`POST /v1/files/purge {"url": …}\` section per URL; the key added to each section at run time from an environment variable marked secret). Each first up is checked to purge every URL once on the emulator; then config \`changed\` gives one URL a new hash, and \`pulumi preview\` is timed ${runs} times per variant, interleaved, each checked to show the change (ours: \`purge 1 of N targets\`; naive: its resource updated; command: its Command replaced). CPU: every process the command ran (the CLI, the language host, the program, the provider), from this process's children's times.`,
                `Where each preview's CPU goes, one more preview each, sampled from /proc every 100 ms (each process's last sample, so a little low; the provider host includes its shell launcher): ours ${roles("imagekit")}; naive ${roles("naive")}; command ${roles("command")} CPU-s.`,
                "The follow-up up: ours sends one purge request, for the URL that changed; the naive resource's inputs changed, so it is updated and purges every URL again, one after another; the Command's triggers changed, so it is replaced and its curl purges every URL again (all counted on the emulator).",
            ],
        }];
    } finally {
        for (const s of stacks) {
            s.remove();
        }
        await emulator.stop();
    }
}
