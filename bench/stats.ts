/** The median and spread of repeated measurements. */
export interface Summary {
    readonly runs: number;
    readonly median: number;
    readonly min: number;
    readonly max: number;
    readonly p10: number;
    readonly p90: number;
}

export function summarize(values: readonly number[]): Summary {
    if (values.length === 0) {
        throw new Error("no measurements to summarize");
    }
    const sorted = [...values].sort((a, b) => a - b);
    return {
        runs: sorted.length,
        median: quantile(sorted, 0.5),
        min: sorted[0],
        max: sorted[sorted.length - 1],
        p10: quantile(sorted, 0.1),
        p90: quantile(sorted, 0.9),
    };
}

/** Linear interpolation between the closest ranks. */
function quantile(sorted: readonly number[], q: number): number {
    const position = (sorted.length - 1) * q;
    const lower = Math.floor(position);
    const upper = Math.ceil(position);
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/** Milliseconds elapsed since `start` (from `process.hrtime.bigint()`). */
export function msSince(start: bigint): number {
    return Number(process.hrtime.bigint() - start) / 1e6;
}

export function fixed(value: number, digits = 2): string {
    return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "median (min–max, n runs)" or with p10–p90 when there are many runs. */
export function describe(summary: Summary, unit: string, digits = 2): string {
    const spread = summary.runs >= 20
        ? `p10–p90 ${fixed(summary.p10, digits)}–${fixed(summary.p90, digits)}`
        : `min–max ${fixed(summary.min, digits)}–${fixed(summary.max, digits)}`;
    return `${fixed(summary.median, digits)}${unit === "" ? "" : ` ${unit}`} (${spread}, ${summary.runs} runs)`;
}
