import assert from "node:assert/strict";
import { setProgressSink } from "../../src/core/progress-log";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import type { CommonInputs } from "../../src/core/inputs";
import type { PurgeService } from "../../src/core/service";

type Props = Record<string, unknown>;

/** What one `pulumi up` of a resource showed: its outputs or its error, and the log lines. */
export interface Run {
    readonly outs?: Props;
    readonly error?: Error;
    readonly log: string[];
}

/**
 * Checks and creates a resource through the provider implementation, exactly as the engine calls it,
 * and keeps the progress log the user would read. `check` must pass: a test of a purge is not a test of
 * validation.
 */
export async function up<I extends CommonInputs>(service: PurgeService<I>, inputs: Props): Promise<Run> {
    const provider = createProviderImplementation(service);
    const log: string[] = [];
    setProgressSink((severity, message) => log.push(severity === "warn" ? `warning: ${message}` : message));
    try {
        const checked = await provider.check({}, inputs);
        assert.deepEqual(checked.failures ?? [], []);
        try {
            const created = await provider.create(checked.inputs);
            return { outs: created.outs, log };
        } catch (error) {
            return { error: error as Error, log };
        }
    } finally {
        setProgressSink(undefined);
    }
}

/** Fast retries, so tests of retry behaviour take milliseconds. */
export const FAST = { maxRetries: 2, maxRetryDelayMs: 2_000, timeoutMs: 5_000 } as const;

let tokens = 0;

/**
 * A token no other test has used: the client paces requests per account (token) for the whole process,
 * so a test that spent a rate budget must not hand it on to the next. It carries `CANARY`, which no
 * message may show.
 */
export function freshToken(service: string): string {
    return `${service}-CANARY-token-${++tokens}-${Math.random().toString(16).slice(2, 10)}`;
}

/** `count` targets named `<prefix>-0000`, `<prefix>-0001`, …, each with the trigger `hash`. */
export function numbered(prefix: string, count: number, hash = "h1"): Record<string, string> {
    return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}-${String(i).padStart(4, "0")}`, hash]));
}

/**
 * The progress lines each test of the calling `describe` prints, as a user reads them under the resource.
 * Call it in the describe's body: the list is emptied before every test.
 */
export function progressLog(): readonly string[] {
    const lines: string[] = [];
    beforeEach(() => {
        lines.length = 0;
        setProgressSink((_severity, message) => lines.push(message));
    });
    afterEach(() => setProgressSink(undefined));
    return lines;
}
