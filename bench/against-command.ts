import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { FlextypeEmulator } from "../src/services/flextype/emulator";
import { CliStack, pulumiCli } from "../test/harness/pulumi-cli";
import { tempDir } from "../test/harness/workspace";
import { installedBench } from "./installed";
import { childCpuS } from "./program-scale";
import type { Figure } from "./report";
import { describe, fixed, summarize } from "./stats";

const TOKEN = "0123456789abcdef0123456789abcdef";
const ACCESS = "bench-access-token";
/** The release of `@pulumi/command` measured; its provider is built from the same tag. */
export const COMMAND_VERSION = "1.2.1";

type Variant = "package" | "naive" | "command" | "plugin";

/**
 * The `pulumi-resource-command` the baseline needs: `PULUMI_RESOURCE_COMMAND` names the binary, or one is
 * on PATH. Its Go module is not served by the proxy here, so the bench cannot build it itself.
 */
export function commandProvider(): { readonly dir: string } | { readonly missing: string } {
    const given = process.env.PULUMI_RESOURCE_COMMAND;
    if (given) {
        return fs.existsSync(given) ? { dir: path.dirname(path.resolve(given)) } : { missing: `PULUMI_RESOURCE_COMMAND=${given} does not exist` };
    }
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        if (dir && fs.existsSync(path.join(dir, "pulumi-resource-command"))) {
            return { dir };
        }
    }
    return {
        missing: "no pulumi-resource-command: set PULUMI_RESOURCE_COMMAND to one built from the pulumi-command repository at "
            + `v${COMMAND_VERSION} (\`cd provider && go build -o <dir>/ ./cmd/pulumi-resource-command\`; its dependencies are on the Go proxy)`,
    };
}

/** N Flextype purges in Pulumi YAML, served by the provider plugin: YAML has no loop, so the program is written out. */
function yamlProgram(count: number): string {
    const resource = (i: number) => `  cms-${i}:\n    type: cache-purge:flextype:CachePurge\n    properties:\n      baseUrl: \${baseUrl}\n      triggers:\n        content: \${contentHash}`;
    const config = "config:\n  baseUrl:\n    type: string\n  contentHash:\n    type: string";
    return `name: bench-plugin\nruntime: yaml\n${config}\n${count > 0 ? `resources:\n${Array.from({ length: count }, (_, i) => resource(i)).join("\n")}\n` : ""}`;
}

function config(variant: Variant, count: number, baseUrl: string) {
    const project = `bench-${variant}`;
    const shared = {
        // The YAML program is written out with its count (see yamlProgram).
        ...(variant === "plugin" ? {} : { [`${project}:count`]: { value: String(count) } }),
        [`${project}:baseUrl`]: { value: baseUrl },
        [`${project}:contentHash`]: { value: "3f2a1b4c5d6e7f8091a2b3c4d5e6f708" },
    };
    return variant === "package" || variant === "plugin"
        ? { ...shared, "cache-purge:flextypeToken": { value: TOKEN, secret: true }, "cache-purge:flextypeAccessToken": { value: ACCESS, secret: true } }
        : { ...shared, [`${project}:token`]: { value: TOKEN }, [`${project}:accessToken`]: { value: ACCESS, secret: true } };
}

let serial = 0;
let commandInstalled = false;

/** Installs `@pulumi/command` into the installed bench project (bench/installed.ts), once per run. */
export function installCommand(projectDir: string): void {
    if (!commandInstalled) {
        execFileSync("npm", ["install", "--no-save", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", `@pulumi/command@${COMMAND_VERSION}`], { cwd: projectDir, stdio: "pipe" });
        commandInstalled = true;
    }
}

/** A new stack of `count` resources of one variant, in the installed project, with checkpoints retained. */
async function newStack(binDir: string, variant: Variant, count: number, emulator: FlextypeEmulator, extraPath: string | undefined) {
    const project = installedBench();
    if (variant === "command") {
        installCommand(project.dir);
    }
    const name = `cmp${process.pid}x${serial++}`;
    let programDir = path.join(project.programsDir, variant);
    if (variant === "plugin") {
        programDir = path.join(project.dir, `bench-plugin-${name}`);
        fs.mkdirSync(programDir);
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), yamlProgram(count));
    }
    const work = tempDir(`bench-cmd-${variant}`);
    const env: NodeJS.ProcessEnv = { FLEXTYPE_TOKEN: "", FLEXTYPE_ACCESS_TOKEN: "", PULUMI_RETAIN_CHECKPOINTS: "true" };
    const stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: name, env });
    // The plugin as npm installs it, in node_modules/.bin; the command provider where it was built.
    const paths = [...(variant === "plugin" ? [path.join(project.dir, "node_modules", ".bin")] : []), ...(extraPath ? [extraPath] : [])];
    stack.env.PATH = [stack.env.PATH ?? "", ...paths].join(path.delimiter);
    await stack.init(config(variant, count, emulator.baseUrl));
    const checkpoints = () => countFiles(path.join(work.dir, "backend"), (f) => f.includes(`${name}.json.`) && !f.endsWith(".bak"));
    const remove = () => {
        fs.rmSync(variant === "plugin" ? programDir : path.join(programDir, `Pulumi.${name}.yaml`), { recursive: true, force: true });
        work.remove();
    };
    return { stack, checkpoints, remove };
}

function countFiles(dir: string, match: (file: string) => boolean): number {
    let n = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
        if (entry.isFile() && match(entry.name)) {
            n++;
        }
    }
    return n;
}

/** Runs one CLI command, failing with its output if it fails: its wall time and the CPU of every process it ran. */
export async function timed<T extends { ok: boolean; milliseconds: number; output: string }>(what: string, run: () => Promise<T>): Promise<{ s: number; cpuS: number }> {
    const cpu = childCpuS();
    const result = await run();
    if (!result.ok) {
        throw new Error(`${what} failed:\n${result.output.slice(-2000)}`);
    }
    return { s: result.milliseconds / 1000, cpuS: childCpuS() - cpu };
}

/**
 * Under the real CLI, a new stack of N Flextype purges: preview then up, for this package's dynamic
 * resources, its provider plugin (a YAML program), the naive dynamic provider and `@pulumi/command`
 * running curl, interleaved; N = 0 is each program's floor.
 */
async function newStackFigures(binDir: string, commandDir: string | undefined, emulator: FlextypeEmulator, sizes: readonly number[], runs: number): Promise<Figure[]> {
    const variants: Variant[] = ["package", "naive", ...(commandDir ? ["command" as const] : []), ...(fs.existsSync(path.join(binDir, "pulumi-language-yaml")) ? ["plugin" as const] : [])];
    const figures: Figure[] = [];
    const floor: Record<string, number> = {};
    for (const count of sizes) {
        const times: Record<string, number[]> = {};
        const push = (key: string, v: number) => (times[key] ??= []).push(v);
        for (let i = 0; i < runs; i++) {
            const order = i % 2 === 0 ? variants : [...variants].reverse();
            for (const variant of count === 0 ? order.filter((v) => v !== "naive") : order) {
                const clears = emulator.clears;
                const { stack, remove } = await newStack(binDir, variant, count, emulator, commandDir);
                try {
                    const preview = await timed(`${variant} preview N=${count}`, () => stack.preview());
                    const up = await timed(`${variant} up N=${count}`, () => stack.up());
                    if (emulator.clears - clears !== count) {
                        throw new Error(`${variant} at N = ${count}: ${emulator.clears - clears} clears, expected ${count}`);
                    }
                    push(`${variant} preview`, preview.s);
                    push(`${variant} up`, up.s);
                } finally {
                    remove();
                }
            }
        }
        for (const mode of ["preview", "up"] as const) {
            const ours = summarize(times[`package ${mode}`]);
            const plugin = times[`plugin ${mode}`] && summarize(times[`plugin ${mode}`]);
            const command = times[`command ${mode}`] && summarize(times[`command ${mode}`]);
            if (count === 0) {
                for (const [variant, t] of [["package", ours], ["plugin", plugin], ["command", command]] as const) {
                    if (t) {
                        floor[`${variant} ${mode}`] = t.median;
                    }
                }
                const each = [`TypeScript ${describe(ours, "s")}`, ...(plugin ? [`YAML ${describe(plugin, "s")}`] : []), ...(command ? [`TypeScript with @pulumi/command ${describe(command, "s")}`] : [])];
                figures.push({ name: `empty program under the real pulumi CLI: ${mode}`, goal: "reported (the floor)", measured: each.join("; "), met: undefined, notes: ["Each program with count 0: the engine, the language host and the program, no resource."] });
                continue;
            }
            const firstCost = (variant: string, t: { median: number } | undefined) => (t && floor[`${variant} ${mode}`] !== undefined ? `${variant} +${fixed(t.median - floor[`${variant} ${mode}`])} s` : undefined);
            const naive = summarize(times[`naive ${mode}`]);
            const parts = [`ours ${describe(ours, "s")}`, `naive dynamic ${describe(naive, "s")} (ours ${fixed(ours.median / naive.median)}×)`];
            if (plugin) {
                parts.push(`plugin (YAML) ${describe(plugin, "s")}`);
            }
            let ratio: number | undefined;
            if (command) {
                ratio = (plugin ?? ours).median / command.median;
                parts.push(`command + curl ${describe(command, "s")} (the dynamic resources ${fixed(ours.median / command.median)}× command)`);
            }
            if (count === 1) {
                const costs = [firstCost("package", ours), firstCost("plugin", plugin), firstCost("command", command)].filter((c) => c !== undefined);
                parts.push(`cost of the first resource over the same program empty: ${costs.join(", ")}`);
            }
            const goal = `${count >= 100 ? "≤ 0.80×" : "≤ 1.00×"} command, for the ${plugin ? "provider plugin" : "dynamic resources (no YAML host: the plugin was not measured)"}`;
            figures.push({
                name: `${mode} of a new stack under the real pulumi CLI, ${count} Flextype purge${count === 1 ? "" : "s"}, vs @pulumi/command + curl`,
                goal,
                measured: `${ratio === undefined ? "command baseline skipped" : `**${fixed(ratio)}×** command (${plugin ? "plugin" : "dynamic"})`}; ${parts.join("; ")}`,
                met: ratio === undefined ? undefined : ratio <= (count >= 100 ? 0.8 : 1.0),
                notes: [
                    `A new stack each run (test/harness/pulumi-cli.ts \`CliStack\`, local file backend), in the project where the package is installed from its tarball: bench/programs/package (N × \`flextype.CachePurge\`), bench/programs/naive (N × the object-literal dynamic provider of bench/naive), a Pulumi YAML program of N \`cache-purge:flextype:CachePurge\` served by \`pulumi-resource-cache-purge\` from node_modules/.bin, and bench/programs/command (N × \`@pulumi/command@${COMMAND_VERSION}\` \`local.Command\` running curl against the same endpoint, \`triggers\` the same hash), against one \`FlextypeEmulator\`; interleaved, ${runs} run(s) each; every up checked to send exactly N clears.`,
                ],
            });
        }
    }
    return figures;
}

/**
 * Under the real CLI, the commonest deploy: nothing changed since the last up (which purged). Ours and
 * the naive provider, interleaved; the engine's checkpoint writes are counted from the files the file
 * backend keeps with PULUMI_RETAIN_CHECKPOINTS.
 */
async function noOpFigures(binDir: string, emulator: FlextypeEmulator, sizes: readonly number[], runs: number): Promise<Figure[]> {
    const figures: Figure[] = [];
    for (const count of sizes) {
        const times: Record<"package" | "naive", number[]> = { package: [], naive: [] };
        const writes: Record<"package" | "naive", number[]> = { package: [], naive: [] };
        for (let i = 0; i < runs; i++) {
            for (const variant of i % 2 === 0 ? ["naive", "package"] as const : ["package", "naive"] as const) {
                const { stack, checkpoints, remove } = await newStack(binDir, variant, count, emulator, undefined);
                try {
                    await timed(`${variant} first up N=${count}`, () => stack.up());
                    const before = checkpoints();
                    const clears = emulator.clears;
                    const noop = await timed(`${variant} no-op up N=${count}`, () => stack.up());
                    if (emulator.clears !== clears) {
                        throw new Error(`${variant}: the no-op up at N = ${count} sent ${emulator.clears - clears} clears`);
                    }
                    times[variant].push(noop.s);
                    writes[variant].push(checkpoints() - before);
                } finally {
                    remove();
                }
            }
        }
        const ours = summarize(times.package);
        const naive = summarize(times.naive);
        const ratio = ours.median / naive.median;
        figures.push({
            name: `no-op up under the real pulumi CLI (nothing changed since the purging up), ${count} Flextype resources, vs the naive provider`,
            goal: "≤ 1.05× naive (median); the state is not rewritten per unchanged resource",
            measured: `**${fixed(ratio)}×**; ours ${describe(ours, "s")}, ${summarize(writes.package).median} checkpoint writes; naive ${describe(naive, "s")}, ${summarize(writes.naive).median} checkpoint writes`,
            met: ratio <= 1.05,
            notes: [
                `A new stack of N resources, one \`pulumi up\` (which purges), then the \`pulumi up\` measured, with the same program and config; ${runs} run(s) each, interleaved. Checkpoint writes: the files the file backend keeps for the stack with PULUMI_RETAIN_CHECKPOINTS=true, counted before and after the measured up.`,
            ],
        });
    }
    return figures;
}

/** New stacks against the naive provider and, when a provider is found, `@pulumi/command` + curl (skipped, saying why, otherwise). */
export async function commandFigures(sizes: readonly number[], runs: number): Promise<Figure[]> {
    return withCliAndEmulator(async (binDir, emulator) => {
        const command = commandProvider();
        const skipped: Figure[] = "missing" in command
            ? [{ name: "@pulumi/command + curl baseline", goal: "reported", measured: `skipped: ${command.missing}`, met: undefined, notes: [] }]
            : [];
        return [...skipped, ...await newStackFigures(binDir, "dir" in command ? command.dir : undefined, emulator, [0, ...sizes], runs)];
    });
}

/** The no-op deploys: nothing changed since the purging up, ours against the naive provider. */
export async function noOpDeployFigures(sizes: readonly number[], runs: number): Promise<Figure[]> {
    return withCliAndEmulator((binDir, emulator) => noOpFigures(binDir, emulator, sizes, runs));
}

async function withCliAndEmulator(run: (binDir: string, emulator: FlextypeEmulator) => Promise<Figure[]>): Promise<Figure[]> {
    const cli = pulumiCli();
    if ("missing" in cli) {
        return [{ name: "comparisons under the real pulumi CLI", goal: "reported", measured: `not measured: ${cli.missing}`, met: undefined, notes: [] }];
    }
    const emulator = await new FlextypeEmulator({ [TOKEN]: { accessToken: ACCESS } }).start();
    try {
        return await run(cli.binDir, emulator);
    } finally {
        await emulator.stop();
    }
}
