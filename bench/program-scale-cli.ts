import * as fs from "fs";
import * as path from "path";
import { FlextypeEmulator } from "../src/services/flextype/emulator";
import { CliStack, pulumiCli } from "../test/harness/pulumi-cli";
import { tempDir } from "../test/harness/workspace";
import { installedBench } from "./installed";
import { childCpuS, programConfig, scaleFigures, type Times, type Variant } from "./program-scale";
import type { Figure } from "./report";

let stackSerial = 0;

/**
 * One `pulumi preview` and one `pulumi up` of a new stack of `count` resources under the real CLI: its
 * own file backend and home, so every run starts from nothing. Seconds each, wall and CPU.
 */
async function once(binDir: string, variant: Variant, count: number, emulator: FlextypeEmulator): Promise<Times> {
    const project = installedBench();
    const programDir = path.join(project.programsDir, variant);
    const stackName = `bench${process.pid}x${stackSerial++}`;
    const work = tempDir(`bench-cli-${variant}`);
    try {
        const stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: stackName, env: { FLEXTYPE_TOKEN: "", FLEXTYPE_ACCESS_TOKEN: "" } });
        await stack.init(programConfig(variant, count, emulator.baseUrl));
        const clears = emulator.clears;
        let cpu = childCpuS();
        const preview = await stack.preview();
        const previewCpuS = childCpuS() - cpu;
        cpu = childCpuS();
        const up = await stack.up();
        const upCpuS = childCpuS() - cpu;
        if (!preview.ok || !up.ok || emulator.clears - clears !== count) {
            throw new Error(`${variant} at N = ${count} under the pulumi CLI: preview ${preview.ok}, up ${up.ok}, ${emulator.clears - clears} clears:\n${preview.output.slice(-1500)}\n${up.output.slice(-1500)}`);
        }
        return { previewS: preview.milliseconds / 1000, upS: up.milliseconds / 1000, previewCpuS, upCpuS };
    } finally {
        fs.rmSync(path.join(programDir, `Pulumi.${stackName}.yaml`), { force: true });
        work.remove();
    }
}

/**
 * Program-level preview and up of N Flextype resources under the real pulumi CLI (built from source by
 * scripts/pulumi-cli.sh), this package against the naive provider of bench/naive, runs interleaved: the
 * figures of record, where bench/program-scale.ts gives the same on the test engine.
 */
export async function cliProgramScaleFigures(sizes: readonly number[], runs: number): Promise<Figure[]> {
    const cli = pulumiCli();
    if ("missing" in cli) {
        return [{ name: "program preview and up under the real pulumi CLI, vs the naive provider", goal: "≤ 1.00× naive (median)", measured: `not measured: ${cli.missing}`, met: undefined, notes: ["Needs the pulumi CLI that scripts/pulumi-cli.sh builds with Go."] }];
    }
    return scaleFigures(sizes, runs, (variant, count, emulator) => once(cli.binDir, variant, count, emulator), {
        name: (mode, count) => `program ${mode} under the real pulumi CLI, ${count} Flextype resource${count === 1 ? "" : "s"}, vs the naive provider`,
        cpu: "CPU of the CLI and its plugins",
        notes: (mode) => [
            `\`pulumi ${mode}\` of a new stack each run (test/harness/pulumi-cli.ts \`CliStack\`: the CLI built at the SDK's version, a local file backend, no network), in the project where the package is installed from its tarball (bench/installed.ts), of bench/programs/package (N × \`flextype.CachePurge\`, credentials from stack config) and of bench/programs/naive (N × the object-literal provider of bench/naive/cache-clear.ts, credentials as inputs), against one \`FlextypeEmulator\`; the two interleaved, ${runs} run(s) each. The time is the command's, from start to exit: the engine, the language host, the program and the provider host. CPU is the user and system time of the CLI and the processes it waited for (cutime and cstime of the bench process, /proc/self/stat).`,
            "The same programs as the test-engine figures above: what differs is the engine, Pulumi's own, whose plan, state and display costs are the same for both providers.",
        ],
    });
}
