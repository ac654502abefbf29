import { DeadlineError, HttpStatusError, NetworkError, PurgeError } from "../../core/errors";

/** Thrown before an attempt that would send more purge requests than `maxPurgeRequests` allows. */
export class PurgeBudgetError extends PurgeError {}

export interface BatchResult<T> {
    readonly done: ReadonlyMap<string, T>;
    /** Keys that failed or were never started, in plan order. */
    readonly left: readonly string[];
    readonly firstError?: Error;
}

/**
 * Runs `work` for every key with at most `concurrency` in flight (the core's rate gate paces them
 * further). A failure that concerns one URL (a 400 for it) lets the others go on; one that concerns the
 * account or the connection (401, 403, 429 after retries, no answer) stops starting new ones, since each
 * would fail the same way and spend the monthly quota.
 */
export async function runBatch<T>(keys: readonly string[], concurrency: number, work: (key: string) => Promise<T>, onDone: (count: number) => void): Promise<BatchResult<T>> {
    const done = new Map<string, T>();
    let next = 0;
    let firstError: Error | undefined;
    let stopped = false;
    const worker = async (): Promise<void> => {
        while (!stopped && next < keys.length) {
            const key = keys[next++];
            try {
                done.set(key, await work(key));
                onDone(done.size);
            } catch (error) {
                const failure = error instanceof Error ? error : new Error(String(error));
                firstError ??= failure;
                if (affectsEveryRequest(failure)) {
                    stopped = true;
                }
            }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, keys.length)) }, worker));
    return { done, left: keys.filter((k) => !done.has(k)), firstError };
}

function affectsEveryRequest(error: Error): boolean {
    if (error instanceof NetworkError || error instanceof PurgeBudgetError || error instanceof DeadlineError) {
        return true;
    }
    return error instanceof HttpStatusError && [401, 403, 429].includes(error.status);
}
