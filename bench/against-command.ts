import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { FlextypeEmulator } from "../src/services/flextype/emulator";
import { CliStack, cliEnvironment, pulumiCli } from "../test/harness/pulumi-cli";
import { REPO_ROOT, tempDir } from "../test/harness/workspace";
import { installedBench } from "./installed";
import { childCpuS } from "./program-scale";
import type { Figure } from "./report";
import { describe, fixed, type Summary, summarize } from "./stats";

const TOKEN = "0123456789abcdef0123456789abcdef";
const ACCESS = "bench-access-token";
/** The release of `@pulumi/command` measured; its provider is built from the same tag. */
export const COMMAND_VERSION = "1.2.1";

/**
 * `plugin` is the provider plugin installed as the release route installs it (`pulumi plugin install …
 * --file <tarball>`), where the CLI keeps its schema; `plugin-path` is npm's `node_modules/.bin` on
 * PATH, where the CLI keeps no schema and starts the plugin once more per pass to read it.
 */
export type Variant = "package" | "naive" | "command" | "plugin" | "plugin-path";
const YAML_VARIANTS: readonly Variant[] = ["plugin", "plugin-path"];

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
    const project = YAML_VARIANTS.includes(variant) ? "bench-plugin" : `bench-${variant}`;
    const shared = {
        // The YAML program is written out with its count (see yamlProgram).
        ...(YAML_VARIANTS.includes(variant) ? {} : { [`${project}:count`]: { value: String(count) } }),
        [`${project}:baseUrl`]: { value: baseUrl },
        [`${project}:contentHash`]: { value: "3f2a1b4c5d6e7f8091a2b3c4d5e6f708" },
    };
    return variant === "package" || YAML_VARIANTS.includes(variant)
        ? { ...shared, "cache-purge:flextypeToken": { value: TOKEN, secret: true }, "cache-purge:flextypeAccessToken": { value: ACCESS, secret: true } }
        : { ...shared, [`${project}:token`]: { value: TOKEN }, [`${project}:accessToken`]: { value: ACCESS, secret: true } };
}

let serial = 0;
let commandInstalled = false;
let pluginHome: string | undefined;

/**
 * A PULUMI_HOME with the plugin installed from its release tarball (scripts/plugin-tarball.sh), shared by
 * the `plugin` stacks of this run as a user's home is by their stacks. The CLI caches the schema there
 * on the first program that uses the plugin, as it would on a user's first run, before any is measured.
 */
export async function installedPluginHome(binDir: string, emulator: FlextypeEmulator): Promise<string> {
    if (pluginHome === undefined) {
        const work = tempDir("bench-plugin-home");
        const tarball = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "plugin-tarball.sh"), work.dir], { encoding: "utf8" }).trim().split("\n").pop()!;
        const version = /-v([^-]+)-linux/.exec(path.basename(tarball))?.[1] ?? "";
        const home = path.join(work.dir, "pulumi-home");
        execFileSync(path.join(binDir, "pulumi"), ["plugin", "install", "resource", "cache-purge", version, "--file", tarball], {
            env: { ...cliEnvironment(binDir, work.dir), PULUMI_HOME: home }, stdio: "pipe",
        });
        pluginHome = home;
        const { stack, remove } = await newStack(binDir, "plugin", 1, emulator, undefined);
        try {
            const warm = await stack.preview();
            if (!warm.ok || !fs.readdirSync(path.join(home, "plugins")).some((f) => f.startsWith("schema-cache-purge"))) {
                throw new Error(`the installed plugin's schema was not cached in ${home}:\n${warm.output.slice(-2000)}`);
            }
        } finally {
            remove();
        }
    }
    return pluginHome;
}

/** Installs `@pulumi/command` into the installed bench project (bench/installed.ts), once per run. */
export function installCommand(projectDir: string): void {
    if (!commandInstalled) {
        execFileSync("npm", ["install", "--no-save", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", `@pulumi/command@${COMMAND_VERSION}`], { cwd: projectDir, stdio: "pipe" });
        commandInstalled = true;
    }
}

/** A new stack of `count` resources of one variant, in the installed project, with checkpoints retained. */
export async function newStack(binDir: string, variant: Variant, count: number, emulator: FlextypeEmulator, extraPath: string | undefined) {
    const project = installedBench();
    if (variant === "command") {
        installCommand(project.dir);
    }
    const name = `cmp${process.pid}x${serial++}`;
    let programDir = path.join(project.programsDir, variant);
    if (YAML_VARIANTS.includes(variant)) {
        programDir = path.join(project.dir, `bench-${variant}-${name}`);
        fs.mkdirSync(programDir);
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), yamlProgram(count));
    }
    const work = tempDir(`bench-cmd-${variant}`);
    const env: NodeJS.ProcessEnv = {
        FLEXTYPE_TOKEN: "", FLEXTYPE_ACCESS_TOKEN: "", PULUMI_RETAIN_CHECKPOINTS: "true",
        ...(variant === "plugin" ? { PULUMI_HOME: await installedPluginHome(binDir, emulator) } : {}),
    };
    const stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: name, env });
    // The plugin as npm installs it, in node_modules/.bin; the command provider where it was built.
    const paths = [...(variant === "plugin-path" ? [path.join(project.dir, "node_modules", ".bin")] : []), ...(extraPath ? [extraPath] : [])];
    stack.env.PATH = [stack.env.PATH ?? "", ...paths].join(path.delimiter);
    await stack.init(config(variant, count, emulator.baseUrl));
    const checkpoints = () => countFiles(path.join(work.dir, "backend"), (f) => f.includes(`${name}.json.`) && !f.endsWith(".bak"));
    const remove = () => {
        fs.rmSync(YAML_VARIANTS.includes(variant) ? programDir : path.join(programDir, `Pulumi.${name}.yaml`), { recursive: true, force: true });
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
    const yaml = fs.existsSync(path.join(binDir, "pulumi-language-yaml")) ? ["plugin" as const, "plugin-path" as const] : [];
    const variants: Variant[] = ["package", "naive", ...(commandDir ? ["command" as const] : []), ...yaml];
    const figures: Figure[] = [];
    const floor: Record<string, number> = {};
    for (const count of sizes) {
        const times: Record<string, number[]> = {};
        const push = (key: string, v: number) => (times[key] ??= []).push(v);
        for (let i = 0; i < runs; i++) {
            const order = i % 2 === 0 ? variants : [...variants].reverse();
            // Empty, a YAML program starts no plugin at all, wherever it is installed.
            for (const variant of count === 0 ? order.filter((v) => v !== "naive" && v !== "plugin-path") : order) {
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
            const of = (variant: Variant) => (times[`${variant} ${mode}`] ? summarize(times[`${variant} ${mode}`]) : undefined);
            if (count === 0) {
                figures.push(floorFigure(mode, of, floor));
                continue;
            }
            figures.push(againstCommandFigure(mode, count, of, runs));
            if (count === 1) {
                figures.push(firstResourceFigure(mode, of, floor));
            }
        }
    }
    return figures;
}

type Of = (variant: Variant) => Summary | undefined;

function floorFigure(mode: string, of: Of, floor: Record<string, number>): Figure {
    const labels: [Variant, string][] = [["package", "TypeScript"], ["plugin", "YAML"], ["command", "TypeScript with @pulumi/command"]];
    for (const [variant] of labels) {
        const t = of(variant);
        if (t) {
            floor[`${variant} ${mode}`] = t.median;
        }
    }
    floor[`plugin-path ${mode}`] = floor[`plugin ${mode}`];
    const each = labels.flatMap(([variant, label]) => (of(variant) ? [`${label} ${describe(of(variant)!, "s")}`] : []));
    return { name: `empty program under the real pulumi CLI: ${mode}`, goal: "reported (the floor)", measured: each.join("; "), met: undefined, notes: ["Each program with count 0: the engine, the language host and the program, no resource."] };
}

function againstCommandFigure(mode: string, count: number, of: Of, runs: number): Figure {
    const ours = of("package")!;
    const naive = of("naive")!;
    const plugin = of("plugin");
    const pluginPath = of("plugin-path");
    const command = of("command");
    const parts = [`ours ${describe(ours, "s")}`, `naive dynamic ${describe(naive, "s")} (ours ${fixed(ours.median / naive.median)}×)`];
    if (plugin) {
        parts.push(`plugin (YAML, installed) ${describe(plugin, "s")}`);
    }
    if (pluginPath) {
        parts.push(`plugin (YAML, npm's bin on PATH) ${describe(pluginPath, "s")}`);
    }
    const ratio = command ? (plugin ?? ours).median / command.median : undefined;
    if (command) {
        parts.push(`command + curl ${describe(command, "s")} (the dynamic resources ${fixed(ours.median / command.median)}× command${pluginPath ? `, the plugin on PATH ${fixed(pluginPath.median / command.median)}×` : ""})`);
    }
    return {
        name: `${mode} of a new stack under the real pulumi CLI, ${count} Flextype purge${count === 1 ? "" : "s"}, vs @pulumi/command + curl`,
        goal: `${count >= 100 ? "≤ 0.80×" : "≤ 1.00×"} command, for the ${plugin ? "provider plugin" : "dynamic resources (no YAML host: the plugin was not measured)"}`,
        measured: `${ratio === undefined ? "command baseline skipped" : `**${fixed(ratio)}×** command (${plugin ? "plugin" : "dynamic"})`}; ${parts.join("; ")}`,
        met: ratio === undefined ? undefined : ratio <= (count >= 100 ? 0.8 : 1.0),
        notes: [
            `A new stack each run (test/harness/pulumi-cli.ts \`CliStack\`, local file backend), in the project where the package is installed from its tarball: bench/programs/package (N × \`flextype.CachePurge\`), bench/programs/naive (N × the object-literal dynamic provider of bench/naive), a Pulumi YAML program of N \`cache-purge:flextype:CachePurge\` served by \`pulumi-resource-cache-purge\` installed from the release tarball (\`pulumi plugin install … --file\`, its schema cached by the CLI as after a user's first run) and, the second route, from npm's node_modules/.bin on PATH, and bench/programs/command (N × \`@pulumi/command@${COMMAND_VERSION}\` \`local.Command\` running curl against the same endpoint, \`triggers\` the same hash), against one \`FlextypeEmulator\`; interleaved, ${runs} run(s) each; every up checked to send exactly N clears.`,
        ],
    };
}

/** The issue's goal for the plugin: its first resource costs at most 1.2× what command's first costs. */
function firstResourceFigure(mode: string, of: Of, floor: Record<string, number>): Figure {
    const cost = (variant: Variant) => {
        const t = of(variant);
        return t && floor[`${variant} ${mode}`] !== undefined ? t.median - floor[`${variant} ${mode}`] : undefined;
    };
    const [plugin, command, dynamic, pluginPath] = [cost("plugin"), cost("command"), cost("package"), cost("plugin-path")];
    const ratio = plugin !== undefined && command !== undefined ? plugin / command : undefined;
    const parts = [
        ...(plugin !== undefined ? [`plugin (installed) +${fixed(plugin)} s`] : []),
        ...(command !== undefined ? [`command +${fixed(command)} s`] : []),
        ...(dynamic !== undefined ? [`the dynamic resources +${fixed(dynamic)} s`] : []),
        ...(pluginPath !== undefined ? [`plugin on PATH +${fixed(pluginPath)} s`] : []),
    ];
    return {
        name: `${mode}: cost of the first purge resource over the same program empty, provider plugin vs @pulumi/command`,
        goal: "≤ 1.20× command's, for the provider plugin",
        measured: `${ratio === undefined ? "not measured (no command provider or no YAML host)" : `**${fixed(ratio)}×**`}; ${parts.join("; ")}`,
        met: ratio === undefined ? undefined : ratio <= 1.2,
        notes: ["Each median of the N = 1 step above less the median of the same program with count 0 (the figure \"empty program\"). Where the time goes: the figure \"where the first resource's time goes\"."],
    };
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

export async function withCliAndEmulator(run: (binDir: string, emulator: FlextypeEmulator) => Promise<Figure[]>): Promise<Figure[]> {
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
