import { PurgeError } from "./purge-error";

/** Thrown when a request never got an answer: connection refused or reset, DNS failure, or a timeout. */
export class NetworkError extends PurgeError {
    constructor(
        readonly service: string,
        readonly method: string,
        readonly url: string,
        /** What went wrong, in a person's words: `connection reset (ECONNRESET)`, `no answer within 2000 ms`. */
        readonly reason: string,
        readonly attempts: number,
        /** What the user can do about it, when there is something. */
        readonly hint = "",
    ) {
        const after = attempts > 1 ? ` after ${attempts} attempts` : "";
        super(`${service}: ${method} ${url} failed${after}: ${reason}${hint ? `; ${hint}` : ""}`);
    }
}
