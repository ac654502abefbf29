import { setProgressSink } from "../../src/core/progress-log";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import type { PurgeService } from "../../src/core/service";

type Props = Record<string, unknown>;

/** What a user sees of one `pulumi up` of one resource: the check failures, or the purge's outputs or error, and how long it took. */
export interface UpResult {
    readonly failures: readonly { property: string; reason: string }[];
    readonly outs?: Props;
    readonly error?: string;
    /** Outputs recorded with a failed purge (a partial failure), as the engine keeps them. */
    readonly partialOuts?: Props;
    readonly elapsedMs: number;
    readonly log: readonly string[];
}

/**
 * Runs check, then create (or update against `olds`), the way the engine calls the provider, and
 * collects what the CLI would print.
 */
export async function up(service: PurgeService, inputs: Props, olds?: Props): Promise<UpResult> {
    const provider = createProviderImplementation(service);
    const log: string[] = [];
    setProgressSink((_severity, line) => log.push(line));
    const started = Date.now();
    try {
        const checked = await provider.check(olds ?? {}, inputs);
        if ((checked.failures ?? []).length > 0) {
            return { failures: checked.failures ?? [], elapsedMs: Date.now() - started, log };
        }
        try {
            const outs = olds === undefined
                ? (await provider.create(checked.inputs)).outs ?? {}
                : (await provider.update("id", olds, checked.inputs)).outs ?? {};
            return { failures: [], outs, elapsedMs: Date.now() - started, log };
        } catch (error) {
            const partial = (error as { properties?: Props }).properties;
            return { failures: [], error: (error as Error).message, partialOuts: partial, elapsedMs: Date.now() - started, log };
        }
    } finally {
        setProgressSink(undefined);
    }
}
