/** One row of BENCHMARKS.md: a figure, what was measured, and whether it meets its goal. */
export interface Figure {
    readonly name: string;
    readonly goal: string;
    /** The measurement as text: median and spread, with units. */
    readonly measured: string;
    /** `undefined` for figures that are reported without a goal. */
    readonly met: boolean | undefined;
    /** How it was measured, and what bounds it. */
    readonly notes: readonly string[];
}

export interface Machine {
    readonly os: string;
    readonly cpu: string;
    readonly cpus: number;
    readonly memory: string;
    readonly node: string;
    readonly pulumi: string;
}

export function renderReport(machine: Machine, command: string, figures: readonly Figure[], durationS: number, date: Date): string {
    const verdict = (met: boolean | undefined) => (met === undefined ? "reported" : met ? "**met**" : "**missed**");
    const lines = [
        "# Benchmarks",
        "",
        "Written by `npm run bench` (bench/run.ts); do not edit by hand. Every figure is measured side by side",
        "with its alternative in one run, against local emulators (src/services/*/emulator.ts). `npm test` never",
        "asserts a time: these figures live only here.",
        "",
        `- date: ${date.toISOString()}`,
        `- machine: ${machine.os}; ${machine.cpus} × ${machine.cpu}; ${machine.memory} memory`,
        `- Node ${machine.node}, @pulumi/pulumi ${machine.pulumi}`,
        `- command: \`${command}\` (whole run: ${durationS.toFixed(0)} s)`,
        "- spread: min–max for fewer than 20 runs, p10–p90 from 20 runs on",
        "",
        "| figure | goal | measured (median and spread) | goal met |",
        "|---|---|---|---|",
        ...figures.map((f) => `| ${f.name} | ${f.goal} | ${f.measured} | ${verdict(f.met)} |`),
        "",
        "## How each figure is measured, and what bounds it",
        "",
    ];
    for (const figure of figures) {
        lines.push(`### ${figure.name}`, "", ...figure.notes.map((n) => `- ${n}`), "");
    }
    return lines.join("\n");
}
