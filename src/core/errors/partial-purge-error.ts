import { PurgeError } from "./purge-error";
import { formatCount } from "../count";

/**
 * Thrown by a service when some targets of a plan were purged and then one failed. The provider records
 * the purged ones in state so the next `pulumi up` purges only what is left, and the message counts both.
 */
export class PartialPurgeError extends PurgeError {
    constructor(
        readonly purgedKeys: readonly string[],
        readonly leftKeys: readonly string[],
        override readonly cause: Error,
        /** What the service managed before failing (ids, counts), kept in the receipt. */
        readonly partialIds: Readonly<Record<string, readonly string[]>> = {},
        /** Service-specific facts of what was done (the receipt's `details`). */
        readonly partialDetails: Readonly<Record<string, unknown>> = {},
    ) {
        super(partialMessage(purgedKeys, leftKeys, cause), { cause });
    }
}

function partialMessage(purged: readonly string[], left: readonly string[], cause: Error): string {
    const total = purged.length + left.length;
    if (left.length === 0) {
        return `${cause.message}; all ${formatCount(total)} targets were accepted by the service and are recorded as purged, `
            + `so the next pulumi up does not send them again`;
    }
    const named = left.slice(0, 5).join(", ") + (left.length > 5 ? `, and ${left.length - 5} more` : "");
    return `${cause.message}; ${formatCount(purged.length)} of ${formatCount(total)} targets purged, `
        + `${formatCount(left.length)} left for the next pulumi up (${named})`;
}
