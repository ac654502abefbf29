import * as fs from "fs";
import * as path from "path";
import { FlextypeEmulator } from "../src/services/flextype/emulator";
import { TestEngine } from "../test/harness/test-engine";
import { tempDir } from "../test/harness/workspace";
import { installedBench } from "./installed";
import type { Figure } from "./report";
import { describe, fixed, summarize } from "./stats";

const TOKEN = "0123456789abcdef0123456789abcdef";
const ACCESS = "bench-access-token";

export type Variant = "package" | "naive";

/** The stack config of each program: the package reads its credentials from config, the naive one takes them as inputs. */
export function programConfig(variant: Variant, count: number, baseUrl: string) {
    const project = `bench-${variant}`;
    const shared = {
        [`${project}:count`]: { value: String(count) },
        [`${project}:baseUrl`]: { value: baseUrl },
        [`${project}:contentHash`]: { value: "3f2a1b4c5d6e7f8091a2b3c4d5e6f708" },
    };
    return variant === "package"
        ? { ...shared, "cache-purge:flextypeToken": { value: TOKEN, secret: true }, "cache-purge:flextypeAccessToken": { value: ACCESS, secret: true } }
        : { ...shared, [`${project}:token`]: { value: TOKEN }, [`${project}:accessToken`]: { value: ACCESS, secret: true } };
}

/**
 * CPU seconds of this process's finished children (the program and the provider host each run spawns),
 * from /proc/self/stat: robust where wall time on a shared machine is not.
 */
export function childCpuS(): number {
    const fields = fs.readFileSync("/proc/self/stat", "utf8").replace(/^.*\) /, "").split(" ");
    // After the command name: cutime and cstime are fields 16 and 17 of stat(5), here 14 and 15 from 0.
    return (Number(fields[13]) + Number(fields[14])) / 100;
}

export interface Times { readonly previewS: number; readonly upS: number; readonly previewCpuS: number; readonly upCpuS: number }

/** One preview and one up of a new stack of `count` resources; seconds each, wall and CPU. */
async function once(variant: Variant, count: number, emulator: FlextypeEmulator): Promise<Times> {
    const workspace = tempDir(`bench-scale-${variant}`);
    try {
        // Both programs run in a project where the package is installed from its tarball, with that
        // project's SDK, as a user's do (bench/installed.ts).
        const project = installedBench();
        const engine = new TestEngine({
            programDir: path.join(project.programsDir, variant), project: `bench-${variant}`, stack: "bench", sdkDir: project.sdkDir,
            stateFile: path.join(workspace.dir, "state.json"), config: programConfig(variant, count, emulator.baseUrl),
            env: { FLEXTYPE_TOKEN: "", FLEXTYPE_ACCESS_TOKEN: "" },
        });
        let start = Date.now();
        let cpu = childCpuS();
        const preview = await engine.preview();
        const previewS = (Date.now() - start) / 1000;
        const previewCpuS = childCpuS() - cpu;
        const clears = emulator.clears;
        start = Date.now();
        cpu = childCpuS();
        const up = await engine.up();
        const upS = (Date.now() - start) / 1000;
        const upCpuS = childCpuS() - cpu;
        if (!preview.ok || !up.ok || emulator.clears - clears !== count) {
            throw new Error(`${variant} at N = ${count}: preview ${preview.ok}, up ${up.ok}, ${emulator.clears - clears} clears: ${[...preview.errors, ...up.errors].join("; ")} steps ${up.steps.length} ${up.output.slice(0, 1500)}`);
        }
        return { previewS, upS, previewCpuS, upCpuS };
    } finally {
        workspace.remove();
    }
}

/**
 * Program-level preview and up of N Flextype resources, this package against the naive provider of
 * bench/naive, on the same test engine, provider host and emulator, runs interleaved.
 */
export async function programScaleFigures(sizes: readonly number[], runs: number): Promise<Figure[]> {
    return scaleFigures(sizes, runs, once, {
        name: (mode, count) => `program ${mode}, ${count} Flextype resource${count === 1 ? "" : "s"}, vs the naive provider`,
        cpu: "CPU of program and host",
        notes: (mode) => [
            `A new stack each run: \`TestEngine.${mode}\` (test/harness/test-engine.ts: the SDK's program runner, a resource monitor, the SDK's provider host), in a project where the package is installed from its tarball (bench/installed.ts), of bench/programs/package (N × \`flextype.CachePurge\`, credentials from stack config) and of bench/programs/naive (N × the object-literal provider of bench/naive/cache-clear.ts, credentials as inputs), against one \`FlextypeEmulator\`; the two interleaved, ${runs} run(s) each. The time includes starting the program and the host. CPU is the user and system time of the program and host processes (cutime and cstime of the bench process, /proc/self/stat), less sensitive than wall time to other load on the machine.`,
            "What bounds it: the SDK's cost per input. For every input of every resource the SDK makes four promises (value, known, secret, dependencies: `transferProperties` in runtime/rpc.js) and records a stack trace for each (`debuggablePromise`), which ts-node's source-map-support maps frame by frame; a CPU profile of both programs at 300 resources put those traces first. Counted with a wrapper of that function in both programs at 10 resources: ours makes 25 such promises per resource (6 inputs: baseUrl, triggers, receipt, purgePlan, __urn, __provider; one awaited value), the naive provider 22 (5 inputs with token and accessToken; two awaited). The two secret markers of this package are registered only when a trigger or forcePurge is an Output: with them a resource made 33. In the provider host, a deployment's first plan line no longer loads ICU's number data (26 ms; src/core/count.ts); zod's first load (about 90 ms, 44 of them its locales) is paid once per host process.",
        ],
    });
}

/** How a set of program-level figures is named and explained. */
export interface ScaleReport {
    readonly name: (mode: "preview" | "up", count: number) => string;
    /** What the CPU figure counts. */
    readonly cpu: string;
    readonly notes: (mode: "preview" | "up") => string[];
}

/**
 * Runs `once` for both programs at each size, interleaved (which goes first alternates, so neither is
 * always the one that finds the file cache cold), against one emulator, and reports the medians.
 */
export async function scaleFigures(
    sizes: readonly number[], runs: number, once: (variant: Variant, count: number, emulator: FlextypeEmulator) => Promise<Times>, report: ScaleReport,
): Promise<Figure[]> {
    const emulator = await new FlextypeEmulator({ [TOKEN]: { accessToken: ACCESS } }).start();
    const figures: Figure[] = [];
    try {
        for (const count of sizes) {
            const times: Record<Variant, Record<"preview" | "up" | "previewCpu" | "upCpu", number[]>> = {
                package: { preview: [], up: [], previewCpu: [], upCpu: [] },
                naive: { preview: [], up: [], previewCpu: [], upCpu: [] },
            };
            for (let i = 0; i < runs; i++) {
                for (const variant of i % 2 === 0 ? ["naive", "package"] as const : ["package", "naive"] as const) {
                    const t = await once(variant, count, emulator);
                    times[variant].preview.push(t.previewS);
                    times[variant].up.push(t.upS);
                    times[variant].previewCpu.push(t.previewCpuS);
                    times[variant].upCpu.push(t.upCpuS);
                }
            }
            for (const mode of ["preview", "up"] as const) {
                const ours = summarize(times.package[mode]);
                const naive = summarize(times.naive[mode]);
                const ratio = ours.median / naive.median;
                const oursCpu = summarize(times.package[`${mode}Cpu`]);
                const naiveCpu = summarize(times.naive[`${mode}Cpu`]);
                figures.push({
                    name: report.name(mode, count),
                    goal: "≤ 1.00× naive (median)",
                    measured: `**${fixed(ratio)}×**; ours ${describe(ours, "s")}; naive ${describe(naive, "s")}; ${report.cpu}: ours ${describe(oursCpu, "s")}, naive ${describe(naiveCpu, "s")} (${fixed(oursCpu.median / naiveCpu.median)}×)`,
                    met: ratio <= 1.0,
                    notes: report.notes(mode),
                });
            }
        }
    } finally {
        await emulator.stop();
    }
    return figures;
}
