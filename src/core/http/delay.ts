/** Resolves after `ms` milliseconds; an unref'd timer, so a pending wait never keeps a process alive. */
export function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
        if (ms <= 0) {
            resolve();
            return;
        }
        setTimeout(resolve, ms).unref();
    });
}
