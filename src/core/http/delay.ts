/** The longest wait a Node timer can hold; longer ones fire at once with a TimeoutOverflowWarning. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Resolves after `ms` milliseconds; an unref'd timer, so a pending wait never keeps a process alive.
 * Callers bound their waits (`maxRetryDelayMs`, the purge deadline) before they get here; a wait no timer
 * can hold is a bug and is refused rather than turned into no wait at all.
 */
export function delay(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
        if (!(ms > 0)) {
            resolve();
            return;
        }
        if (ms > MAX_TIMER_MS) {
            reject(new RangeError(`refusing to wait ${ms} ms, longer than a timer can hold`));
            return;
        }
        setTimeout(resolve, ms).unref();
    });
}
