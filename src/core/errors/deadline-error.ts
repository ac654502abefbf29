import { PurgeError } from "./purge-error";

/**
 * Thrown instead of a wait that would outlast what the purge allows: a wait longer than
 * `maxRetryDelayMs` that a server's rate-limit headers asked for, or one that would pass the purge's
 * deadline (`purgeTimeoutMs`). Like an account-wide failure it stops a batch from starting more
 * requests; what was done before it is recorded by the service.
 */
export class DeadlineError extends PurgeError {}
