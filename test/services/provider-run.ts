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
