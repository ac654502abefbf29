import * as path from "path";
import { FlextypeEmulator } from "../src/services/flextype/emulator";
import { TestEngine } from "../test/harness/test-engine";
import { tempDir } from "../test/harness/workspace";
import type { Figure } from "./report";
import { describe, fixed, summarize } from "./stats";

const TOKEN = "0123456789abcdef0123456789abcdef";
const ACCESS = "bench-access-token";
const PROGRAMS = path.join(__dirname, "programs");

type Variant = "package" | "naive";

/** The stack config of each program: the package reads its credentials from config, the naive one takes them as inputs. */
function config(variant: Variant, count: number, baseUrl: string) {
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

/** One preview and one up of a new stack of `count` resources; seconds each. */
async function once(variant: Variant, count: number, emulator: FlextypeEmulator): Promise<{ previewS: number; upS: number }> {
    const workspace = tempDir(`bench-scale-${variant}`);
    try {
        const engine = new TestEngine({
            programDir: path.join(PROGRAMS, variant), project: `bench-${variant}`, stack: "bench",
            stateFile: path.join(workspace.dir, "state.json"), config: config(variant, count, emulator.baseUrl),
            env: { FLEXTYPE_TOKEN: "", FLEXTYPE_ACCESS_TOKEN: "" },
        });
        let start = Date.now();
        const preview = await engine.preview();
        const previewS = (Date.now() - start) / 1000;
        const clears = emulator.clears;
        start = Date.now();
        const up = await engine.up();
        const upS = (Date.now() - start) / 1000;
        if (!preview.ok || !up.ok || emulator.clears - clears !== count) {
            throw new Error(`${variant} at N = ${count}: preview ${preview.ok}, up ${up.ok}, ${emulator.clears - clears} clears: ${[...preview.errors, ...up.errors].join("; ")} steps ${up.steps.length} ${up.output.slice(0, 1500)}`);
        }
        return { previewS, upS };
    } finally {
        workspace.remove();
    }
}

/**
 * Program-level preview and up of N Flextype resources, this package against the naive provider of
 * bench/naive, on the same test engine, provider host and emulator, runs interleaved.
 */
export async function programScaleFigures(sizes: readonly number[], runs: number): Promise<Figure[]> {
    const emulator = await new FlextypeEmulator({ [TOKEN]: { accessToken: ACCESS } }).start();
    const figures: Figure[] = [];
    try {
        for (const count of sizes) {
            const times: Record<Variant, { preview: number[]; up: number[] }> = { package: { preview: [], up: [] }, naive: { preview: [], up: [] } };
            for (let i = 0; i < runs; i++) {
                for (const variant of ["naive", "package"] as const) {
                    const t = await once(variant, count, emulator);
                    times[variant].preview.push(t.previewS);
                    times[variant].up.push(t.upS);
                }
            }
            for (const mode of ["preview", "up"] as const) {
                const ours = summarize(times.package[mode]);
                const naive = summarize(times.naive[mode]);
                const ratio = ours.median / naive.median;
                figures.push({
                    name: `program ${mode}, ${count} Flextype resource${count === 1 ? "" : "s"}, vs the naive provider`,
                    goal: "≤ 1.00× naive (median)",
                    measured: `**${fixed(ratio)}×**; ours ${describe(ours, "s")}; naive ${describe(naive, "s")}`,
                    met: ratio <= 1.0,
                    notes: [
                        `A new stack each run: \`TestEngine.${mode}\` (test/harness/test-engine.ts: the SDK's program runner, a resource monitor, the SDK's provider host) of bench/programs/package (N × \`flextype.CachePurge\`, credentials from stack config) and of bench/programs/naive (N × the object-literal provider of bench/naive/cache-clear.ts, credentials as inputs), against one \`FlextypeEmulator\`; the two interleaved, ${runs} run(s) each. The time includes starting the program and the host.`,
                    ],
                });
            }
        }
    } finally {
        await emulator.stop();
    }
    return figures;
}
