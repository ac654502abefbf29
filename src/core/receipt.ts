import type { PurgePlan } from "./plan";
import type { Completion, PurgeOutcome } from "./outcome";

/** What the last purge did, kept in the resource's outputs. */
export interface PurgeReceipt {
    /** When the purge finished, ISO 8601. */
    readonly purgedAt: string;
    /** The keys of the targets purged. */
    readonly targets: readonly string[];
    /** Why each target was purged. */
    readonly reasons: Readonly<Record<string, readonly string[]>>;
    /** The service's ids per target: request ids, cache ids. */
    readonly ids: Readonly<Record<string, readonly string[]>>;
    /** HTTP requests made, retries included. */
    readonly requests: number;
    /** Retries among them. */
    readonly retries: number;
    readonly completion: Completion;
    /** Service-specific facts: bytes freed, the API path that answered. */
    readonly details: Readonly<Record<string, unknown>>;
}

export function buildReceipt(plan: PurgePlan, outcome: PurgeOutcome, counts: { requests: number; retries: number }, at: Date): PurgeReceipt {
    return {
        purgedAt: at.toISOString(),
        targets: plan.targets.map((t) => t.key),
        reasons: Object.fromEntries(plan.targets.map((t) => [t.key, t.reasons])),
        ids: outcome.ids ?? {},
        requests: counts.requests,
        retries: counts.retries,
        completion: outcome.completion,
        details: outcome.details ?? {},
    };
}
