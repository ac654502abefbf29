import * as fs from "fs";
import * as path from "path";
import { FlextypeEmulator } from "../src/services/flextype/emulator";
import { CliStack, pulumiCli } from "../test/harness/pulumi-cli";
import { tempDir } from "../test/harness/workspace";
import { installedBench } from "./installed";
import type { Figure } from "./report";
import { describe, fixed, summarize } from "./stats";

const TOKEN = "0123456789abcdef0123456789abcdef";
const ACCESS = "bench-access-token";
const HASH = "3f2a1b4c5d6e7f8091a2b3c4d5e6f708";

type Variant = "dynamic" | "plugin";

/** N Flextype purges in Pulumi YAML, served by the provider plugin: YAML has no loop, so the program is written out. */
function yamlProgram(count: number): string {
    const resources = Array.from({ length: count }, (_, i) => [
        `  cms-${i}:`,
        "    type: cache-purge:flextype:CachePurge",
        "    properties:",
        "      baseUrl: ${baseUrl}",
        "      triggers:",
        "        content: ${contentHash}",
    ].join("\n"));
    return ["name: bench-yaml", "runtime: yaml", "config:", "  baseUrl:", "    type: string", "  contentHash:", "    type: string", "resources:", ...resources, ""].join("\n");
}

let serial = 0;

/** One preview and one up of a new stack; seconds each. */
async function once(binDir: string, variant: Variant, count: number, emulator: FlextypeEmulator): Promise<{ previewS: number; upS: number }> {
    const project = installedBench();
    const work = tempDir(`bench-plugin-${variant}`);
    const name = `plg${process.pid}x${serial++}`;
    let programDir = path.join(project.programsDir, "package");
    if (variant === "plugin") {
        programDir = path.join(project.dir, `bench-yaml-${name}`);
        fs.mkdirSync(programDir);
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), yamlProgram(count));
    }
    const nodeBin = path.join(project.dir, "node_modules", ".bin");
    const stack = new CliStack({
        binDir, programDir, workDir: work.dir, stack: name,
        // The plugin as npm installs it: node_modules/.bin on PATH, as a user's `npm install -g` puts it there.
        env: { FLEXTYPE_TOKEN: "", FLEXTYPE_ACCESS_TOKEN: "", PATH: `${binDir}${path.delimiter}${nodeBin}${path.delimiter}${process.env.PATH ?? ""}` },
    });
    try {
        const projectName = variant === "plugin" ? "bench-yaml" : "bench-package";
        await stack.init({
            [`${projectName}:baseUrl`]: { value: emulator.baseUrl },
            [`${projectName}:contentHash`]: { value: HASH },
            ...(variant === "dynamic" ? { [`${projectName}:count`]: { value: String(count) } } : {}),
            "cache-purge:flextypeToken": { value: TOKEN, secret: true },
            "cache-purge:flextypeAccessToken": { value: ACCESS, secret: true },
        });
        const clears = emulator.clears;
        const preview = await stack.preview();
        const up = await stack.up();
        if (!preview.ok || !up.ok || emulator.clears - clears !== count) {
            throw new Error(`${variant} at N = ${count}: preview ${preview.ok}, up ${up.ok}, ${emulator.clears - clears} clears:\n${preview.output.slice(-1500)}\n${up.output.slice(-1500)}`);
        }
        return { previewS: preview.milliseconds / 1000, upS: up.milliseconds / 1000 };
    } finally {
        fs.rmSync(path.join(programDir, `Pulumi.${name}.yaml`), { force: true });
        if (variant === "plugin") {
            fs.rmSync(programDir, { recursive: true, force: true });
        }
        work.remove();
    }
}

/**
 * The provider plugin (a YAML program) against the dynamic resources (the same purges from TypeScript)
 * under the real CLI, new stacks of N Flextype purges, interleaved: the same requests, and the plugin
 * skips closure serialization and the Node language host.
 */
export async function pluginFigures(sizes: readonly number[], runs: number): Promise<Figure[]> {
    const cli = pulumiCli();
    if ("missing" in cli) {
        return [{ name: "the provider plugin vs the dynamic resources", goal: "reported", measured: `not measured: ${cli.missing}`, met: undefined, notes: [] }];
    }
    if (!fs.existsSync(path.join(cli.binDir, "pulumi-language-yaml"))) {
        return [{ name: "the provider plugin vs the dynamic resources", goal: "reported", measured: `not measured: no pulumi-language-yaml in ${cli.binDir} (scripts/pulumi-cli.sh builds it)`, met: undefined, notes: [] }];
    }
    const emulator = await new FlextypeEmulator({ [TOKEN]: { accessToken: ACCESS } }).start();
    const figures: Figure[] = [];
    try {
        for (const count of sizes) {
            const times: Record<string, number[]> = {};
            for (let i = 0; i < runs; i++) {
                for (const variant of i % 2 === 0 ? ["dynamic", "plugin"] as const : ["plugin", "dynamic"] as const) {
                    const t = await once(cli.binDir, variant, count, emulator);
                    (times[`${variant} preview`] ??= []).push(t.previewS);
                    (times[`${variant} up`] ??= []).push(t.upS);
                }
            }
            for (const mode of ["preview", "up"] as const) {
                const plugin = summarize(times[`plugin ${mode}`]);
                const dynamic = summarize(times[`dynamic ${mode}`]);
                const ratio = plugin.median / dynamic.median;
                figures.push({
                    name: `${mode} of a new stack under the real pulumi CLI, ${count} Flextype purge${count === 1 ? "" : "s"}: the provider plugin (YAML) vs the dynamic resources (TypeScript)`,
                    goal: "≤ 1.00× the dynamic resources (median), the same requests",
                    measured: `**${fixed(ratio)}×**; plugin ${describe(plugin, "s")}; dynamic ${describe(dynamic, "s")}; both sent exactly ${count} clear${count === 1 ? "" : "s"} per up`,
                    met: ratio <= 1.0,
                    notes: [`A new stack each run, in the project where the package is installed from its tarball: a Pulumi YAML program of N \`cache-purge:flextype:CachePurge\` (written out; YAML has no loop) served by \`pulumi-resource-cache-purge\` from node_modules/.bin, and bench/programs/package (N × \`flextype.CachePurge\`), credentials from the same stack config keys; interleaved, ${runs} run(s) each.`],
                });
            }
        }
    } finally {
        await emulator.stop();
    }
    return figures;
}
