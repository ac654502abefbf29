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

const KEY = "private_bench_large_preview";

/** This package's `imagekit.UrlPurge`, or `@pulumi/command` running curl over the same URLs. */
type Variant = "imagekit" | "command";
const PROGRAM: Record<Variant, string> = { imagekit: "imagekit-large", command: "command-large" };

interface LargeStack {
    readonly variant: Variant;
    readonly stack: CliStack;
    readonly remove: () => void;
}

let serial = 0;

/** A new stack of one program of `count` URLs, none changed yet (config `changed` unset), in the installed project. */
async function newStack(binDir: string, variant: Variant, count: number, emulator: ImageKitEmulator, commandDir: string | undefined): Promise<LargeStack> {
    const project = installedBench();
    if (variant === "command") {
        installCommand(project.dir);
    }
    const name = `big${process.pid}x${serial++}`;
    const programDir = path.join(project.programsDir, PROGRAM[variant]);
    const work = tempDir(`bench-large-${variant}`);
    // The key only from stack config: not from this machine's environment.
    const stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: name, env: { IMAGEKIT_PRIVATE_KEY: "" } });
    if (commandDir) {
        stack.env.PATH = [stack.env.PATH ?? "", commandDir].join(path.delimiter);
    }
    const prefix = `bench-${PROGRAM[variant]}`;
    await stack.init({
        [`${prefix}:count`]: { value: String(count) },
        [`${prefix}:baseUrl`]: { value: emulator.baseUrl },
        "cache-purge:imagekitPrivateKey": { value: KEY, secret: true },
    });
    return {
        variant, stack,
        remove: () => {
            // The stack's config and the curl config file the command program writes beside it.
            for (const file of [`Pulumi.${name}.yaml`, `purge-${name}.curl`]) {
                fs.rmSync(path.join(programDir, file), { force: true });
            }
            work.remove();
        },
    };
}

/** An up that must purge exactly `expected` URLs on the emulator: its time and CPU. */
async function upPurging(s: LargeStack, emulator: ImageKitEmulator, expected: number, what: string): Promise<{ s: number; cpuS: number }> {
    const before = emulator.purges.length;
    const up = await timed(`${s.variant} ${what}`, () => s.stack.up());
    const purged = emulator.purges.length - before;
    if (purged !== expected) {
        throw new Error(`${s.variant} ${what}: the emulator accepted ${purged} purges, expected ${expected}`);
    }
    return up;
}

/** A preview that must show the change of one URL: ours names it in the plan, command replaces its Command. */
async function previewOfOneChange(s: LargeStack, count: number): Promise<{ s: number; cpuS: number }> {
    let output = "";
    const t = await timed(`${s.variant} preview`, async () => {
        const result: CliResult = await s.stack.preview();
        output = result.output;
        return result;
    });
    const expected = s.variant === "imagekit" ? `purge 1 of ${count.toLocaleString("en-US")} targets` : "1 to replace";
    if (!output.includes(expected)) {
        throw new Error(`${s.variant} preview of one changed URL does not say "${expected}":\n${output.slice(-2000)}`);
    }
    return t;
}

/**
 * Under the real CLI, one resource of N URLs after one URL's hash changed: this package's
 * `imagekit.UrlPurge` against what a user writes instead, a `local.Command` whose triggers are the N
 * `url=hash` strings running one curl over all N. Each variant gets a new stack and a first up (every URL
 * purged, counted on the emulator); one hash changes; `pulumi preview` is timed `runs` times, the
 * variants interleaved; one more preview of each is sampled for where its CPU goes; and the follow-up up
 * purges (ours: the one URL; command: all N again).
 */
export async function largePreviewFigures(count: number, runs: number): Promise<Figure[]> {
    const cli = pulumiCli();
    const command = commandProvider();
    const name = `preview of one ImageKit resource of ${count.toLocaleString("en-US")} URLs after one URL changed, vs @pulumi/command + curl, under the real pulumi CLI`;
    if ("missing" in cli || "missing" in command) {
        return [{ name, goal: "≤ 1.5× command's preview", measured: `not measured: ${"missing" in cli ? cli.missing : ""}${"missing" in command ? command.missing : ""}`, met: undefined, notes: [] }];
    }
    const emulator = await new ImageKitEmulator({ privateKey: KEY, monthlyQuota: 1_000_000 }).start();
    const stacks: LargeStack[] = [];
    try {
        const variants: Variant[] = ["imagekit", "command"];
        const firstUp: Partial<Record<Variant, { s: number; cpuS: number }>> = {};
        for (const variant of variants) {
            const s = await newStack(cli.binDir, variant, count, emulator, command.dir);
            stacks.push(s);
            firstUp[variant] = await upPurging(s, emulator, count, `first up of ${count} URLs`);
            await s.stack.setConfig({ [`bench-${PROGRAM[variant]}:changed`]: { value: String(count >> 1) } });
        }
        const preview: Record<Variant, number[]> = { imagekit: [], command: [] };
        const previewCpu: Record<Variant, number[]> = { imagekit: [], command: [] };
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

        const ours = summarize(preview.imagekit);
        const theirs = summarize(preview.command);
        const ratio = ours.median / theirs.median;
        const cpu = (variant: Variant) => `${fixed(summarize(previewCpu[variant]).median)} CPU-s`;
        const roles = (variant: Variant) => Object.entries(split[variant] ?? {}).sort((a, b) => b[1] - a[1]).map(([role, s]) => `${role} ${fixed(s)}`).join(", ");
        const ups = (variant: Variant, label: string) => `${label}: first up ${fixed(firstUp[variant]!.s)} s (${count.toLocaleString("en-US")} purge requests), up after the change ${fixed(followUp[variant]!.s)} s (${variant === "imagekit" ? 1 : count.toLocaleString("en-US")} purge request${variant === "imagekit" ? "" : "s"})`;
        return [{
            name,
            goal: "≤ 1.5× command's preview",
            measured: `**${fixed(ratio)}×**; ours ${describe(ours, "s")}, ${cpu("imagekit")}; command + curl ${describe(theirs, "s")}, ${cpu("command")}; ${ups("imagekit", "ours")}; ${ups("command", "command")}`,
            met: ratio <= 1.5,
            notes: [
                `A new stack per variant (test/harness/pulumi-cli.ts \`CliStack\`, local file backend), in the project where the package is installed from its tarball, against one \`ImageKitEmulator\` (no latency, no rate limit): bench/programs/imagekit-large, one \`imagekit.UrlPurge\` whose \`urls\` maps ${count.toLocaleString("en-US")} URLs to a sha256 each, the key from the stack config \`cache-purge:imagekitPrivateKey\`; and bench/programs/command-large, one \`@pulumi/command@${COMMAND_VERSION}\` \`local.Command\` whose \`triggers\` are the ${count.toLocaleString("en-US")} \`url=hash\` strings and whose \`create\` runs one \`curl --parallel --parallel-max 16 -K -\` over a config file the program writes (one \`POST /v1/files/purge {"url": …}\` section per URL; the key added to each section at run time from an environment variable marked secret). Each first up is checked to purge every URL on the emulator; then config \`changed\` gives one URL a new hash, and \`pulumi preview\` is timed ${runs} times per variant, interleaved, each checked to show the change (ours: \`purge 1 of N targets\`; command: its Command replaced). CPU: every process the command ran (the CLI, the language host, the program, the provider), from this process's children's times.`,
                `Where each preview's CPU goes, one more preview each, sampled from /proc every 100 ms (each process's last sample, so a little low; the provider host includes its shell launcher): ours ${roles("imagekit")}; command ${roles("command")} CPU-s.`,
                "The follow-up up: ours sends one purge request, for the URL that changed; the Command's triggers changed, so it is replaced and its curl purges every URL again (both counted on the emulator).",
            ],
        }];
    } finally {
        for (const s of stacks) {
            s.remove();
        }
        await emulator.stop();
    }
}
