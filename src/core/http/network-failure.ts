import { NetworkError, PurgeError } from "../errors";
import type { Redactor } from "../redact";
import { describeTlsFailure } from "./tls";

/** An attempt that got no answer, in words; `final` when another attempt would fail the same way. */
export interface NetworkFailure {
    readonly error: NetworkError;
    readonly final: boolean;
}

/** Where the failure happened, for its message: the URL is already redacted. */
export interface FailedAttempt {
    readonly service: string;
    readonly method: string;
    readonly shownUrl: string;
    readonly attempt: number;
    readonly timeoutMs: number;
}

/**
 * What a thrown fetch error means: a timeout or a refused certificate is final, a reset or refused
 * connection is worth a retry. A `PurgeError` (a body too large) is already the answer and is rethrown.
 */
export function networkFailure(error: unknown, at: FailedAttempt, redactor: Redactor): NetworkFailure {
    const { service, method, shownUrl, attempt, timeoutMs } = at;
    const name = (error as { name?: string }).name;
    if (name === "AbortError") {
        // A server that did not answer in time will rarely answer the next attempt sooner; fail fast and say how to wait longer.
        return {
            error: new NetworkError(service, method, shownUrl, `no answer within ${timeoutMs} ms`, attempt, "raise timeoutMs if the service is slow"),
            final: true,
        };
    }
    if (error instanceof PurgeError) {
        throw error;
    }
    const code = (error as { code?: string }).code;
    const tls = describeTlsFailure(code, (error as { message?: string }).message);
    if (tls !== undefined) {
        // The same certificate is refused on every attempt: retrying only repeats the refusal.
        return { error: new NetworkError(service, method, shownUrl, tls.reason, attempt, tls.hint), final: true };
    }
    const reason = code ? `${describeCode(code)} (${code})` : redactor.redact(String((error as Error).message ?? error));
    return { error: new NetworkError(service, method, shownUrl, reason, attempt), final: false };
}

function describeCode(code: string): string {
    switch (code) {
        case "ECONNRESET": return "connection reset";
        case "ECONNREFUSED": return "connection refused";
        case "ENOTFOUND": return "host not found";
        case "EPIPE": return "connection closed while sending";
        case "ETIMEDOUT": return "connection timed out";
        default: return "network error";
    }
}
