import type { HttpResponse } from "../http/response";
import { PurgeError } from "./purge-error";

/**
 * Thrown when a service answers with a status the caller does not accept, after any retries. Carries the
 * status, the service's own message and the response so callers can branch on them (a 404 that means "try the older
 * path", say). The message quotes the service's words, already redacted, then gives the package's hint.
 */
export class HttpStatusError extends PurgeError {
    constructor(
        readonly service: string,
        readonly method: string,
        readonly url: string,
        readonly status: number,
        readonly statusText: string,
        /** The service's own explanation, taken from its error body; empty when it gave none. */
        readonly serviceMessage: string,
        readonly attempts: number,
        /** Extra words on why retrying stopped, e.g. `server asked to wait 60 s`. */
        readonly note = "",
        /** The answer itself, for services whose error bodies carry more than a message (codes, ticket ids). */
        readonly response?: HttpResponse,
        /** What to check, in the package's words; it follows the service's quoted words, never inside them. */
        readonly hint = "",
    ) {
        const after = attempts > 1 ? ` after ${attempts} attempts` : "";
        const said = serviceMessage ? `: ${JSON.stringify(serviceMessage)}` : "";
        const why = note ? ` (${note})` : "";
        const fix = hint ? `; ${hint}` : "";
        super(`${service}: ${method} ${url} returned ${status} ${statusText}${after}${why}${said}`.replace(/ +/g, " ") + fix);
    }
}
