/** Pure timing rules for retries: no I/O, no clock of its own. */

/**
 * The wait a `Retry-After` header asks for, in milliseconds: either delay-seconds or an HTTP date.
 * Undefined when the header is absent or unreadable, and when it asks for no wait at all (`-5`, `0`, a
 * date already past): honoured, such a hint would spend every retry within milliseconds, so the caller
 * backs off as if there were none.
 */
export function retryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
    if (value === null || value === undefined || value.trim() === "") {
        return undefined;
    }
    const trimmed = value.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) {
        const ms = Math.round(Number(trimmed) * 1000);
        return ms > 0 ? ms : undefined;
    }
    // An HTTP date names a weekday or month; bare numbers such as "-5" are not dates, whatever Date.parse says.
    if (!/[A-Za-z]{3}/.test(trimmed)) {
        return undefined;
    }
    const date = Date.parse(trimmed);
    return Number.isNaN(date) || date <= nowMs ? undefined : date - nowMs;
}

/**
 * Exponential backoff with jitter (half the exponential ceiling fixed, half random), so purges
 * from many resources that failed together do not retry together.
 */
export function backoffMs(retryNumber: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, retryNumber - 1));
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The statuses worth retrying unless a service says otherwise: timeouts, rate limits, server errors. */
export function isTransientStatus(status: number): boolean {
    return status === 408 || status === 429 || status >= 500;
}

export function formatSeconds(ms: number): string {
    const seconds = ms / 1000;
    return seconds >= 10 || Number.isInteger(seconds) ? `${Math.round(seconds)} s` : `${seconds.toFixed(1)} s`;
}
