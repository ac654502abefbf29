import type { FlextypeEmulator } from "../src/services/flextype/emulator";
import { commandProvider, newStack, timed, withCliAndEmulator } from "./against-command";
import { cpuByRole } from "./process-cpu";
import type { Figure } from "./report";
import { describe, fixed, summarize } from "./stats";

/**
 * Under the real CLI, the commonest deploy: nothing changed since the last up (which purged). Ours, the
 * naive provider and, when a provider is found, `@pulumi/command` + curl, interleaved; the engine's checkpoint writes are counted from the files the file
 * backend keeps with PULUMI_RETAIN_CHECKPOINTS.
 */
async function noOpFigures(binDir: string, emulator: FlextypeEmulator, sizes: readonly number[], runs: number): Promise<Figure[]> {
    const figures: Figure[] = [];
    const command = commandProvider();
    const commandDir = "dir" in command ? command.dir : undefined;
    const variants: NoOpVariant[] = ["naive", "package", ...(commandDir ? ["command" as const] : [])];
    for (const count of sizes) {
        const times: Record<NoOpVariant, number[]> = { package: [], naive: [], command: [] };
        const writes: Record<NoOpVariant, number[]> = { package: [], naive: [], command: [] };
        const split: Partial<Record<NoOpVariant, Record<string, number>>> = {};
        for (let i = 0; i < runs; i++) {
            for (const variant of i % 2 === 0 ? variants : [...variants].reverse()) {
                const { stack, checkpoints, remove } = await newStack(binDir, variant, count, emulator, commandDir);
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
                    if (i === runs - 1) {
                        // One more no-op up, untimed, its CPU split by process: where the difference lives.
                        split[variant] = (await cpuByRole(() => stack.up())).cpuS;
                    }
                } finally {
                    remove();
                }
            }
        }
        const ours = summarize(times.package);
        const naive = summarize(times.naive);
        const ratio = ours.median / naive.median;
        const againstCommand = times.command.length > 0
            ? `; command + curl ${describe(summarize(times.command), "s")} (ours ${fixed(ours.median / summarize(times.command).median)}×), ${summarize(writes.command).median} checkpoint writes, CPU ${cpuText(split.command)}`
            : `; command + curl not measured (${"missing" in command ? command.missing : ""})`;
        figures.push({
            name: `no-op up under the real pulumi CLI (nothing changed since the purging up), ${count} Flextype resources, vs the naive provider`,
            goal: "≤ 1.05× naive (median); the state is not rewritten per unchanged resource",
            measured: `**${fixed(ratio)}×**; ours ${describe(ours, "s")}, ${summarize(writes.package).median} checkpoint writes; naive ${describe(naive, "s")}, ${summarize(writes.naive).median} checkpoint writes; CPU of one more no-op up: ours ${cpuText(split.package)}, naive ${cpuText(split.naive)}${againstCommand}`,
            met: ratio <= 1.05,
            notes: [
                `A new stack of N resources, one \`pulumi up\` (which purges), then the \`pulumi up\` measured, with the same program and config; ${runs} run(s) each, interleaved. Checkpoint writes: the files the file backend keeps for the stack with PULUMI_RETAIN_CHECKPOINTS=true, counted before and after the measured up. CPU: bench/process-cpu.ts, /proc sampled every 100 ms, by process role.`,
            ],
        });
    }
    return figures;
}

type NoOpVariant = "package" | "naive" | "command";

function cpuText(cpuS: Record<string, number> | undefined): string {
    return cpuS === undefined ? "not sampled" : Object.entries(cpuS).filter(([, s]) => s >= 0.005).map(([role, s]) => `${role} ${fixed(s)} s`).join(", ");
}

/** The no-op deploys: nothing changed since the purging up, ours against the naive provider. */
export async function noOpDeployFigures(sizes: readonly number[], runs: number): Promise<Figure[]> {
    return withCliAndEmulator((binDir, emulator) => noOpFigures(binDir, emulator, sizes, runs));
}

