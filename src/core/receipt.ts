import { type PurgePlan, targetsByReason } from "./plan";
import type { Completion, PurgeOutcome } from "./outcome";

/** Stands for every target the resource declares (its inputs list them), instead of listing them again. */
export const ALL_TARGETS = "all" as const;

/**
 * What the last purge did, kept in the resource's outputs. Targets are named once at most: a purge of
 * every declared target says `"all"` rather than copying a list the inputs already hold, which kept a
 * resource of many targets several times its size in state, and slow to diff.
 */
export interface PurgeReceipt {
    /** When the purge finished, ISO 8601. */
    readonly purgedAt: string;
    /** How many targets were purged; a planned target the service had nothing to purge for is not counted. */
    readonly count: number;
    /** The keys of the targets purged, or `"all"` when the purge covered every target the resource declares. */
    readonly targets: readonly string[] | "all";
    /**
     * Why: each group of targets purged for the same reasons. A list, not a map keyed by the reasons: a
     * key grows with the reasons, and Pulumi's engine fails on a property name of 16 KiB (600 changed
     * triggers made one).
     */
    readonly reasons: readonly ReceiptReason[];
    /**
     * The service's ids per target: cache ids, ticket ids. A service whose targets run to thousands keeps
     * its ids in one text in `details` instead (its docs name the field), and this map is empty.
     */
    readonly ids: Readonly<Record<string, readonly string[]>>;
    /** HTTP requests made, retries included. */
    readonly requests: number;
    /** Retries among them. */
    readonly retries: number;
    readonly completion: Completion;
    /** Service-specific facts: bytes freed, the API path that answered. */
    readonly details: Readonly<Record<string, unknown>>;
    /** Planned targets the service had nothing to purge for, when there were any (see `PurgeOutcome.notPurged`). */
    readonly notPurged?: readonly string[];
}

/** Targets purged for the same reasons. */
export interface ReceiptReason {
    /**
     * The reasons, in the words of the plan line, joined with ", ": at most five, then how many more
     * (`trigger a: 3f2a… -> 9c1d…, …, and 595 more`).
     */
    readonly why: string;
    /** The keys of the targets purged for these reasons, or `"all"` when they are every target the resource declares. */
    readonly targets: readonly string[] | "all";
}

/** `coversAll`: the plan purged every target the resource declares. */
export function buildReceipt(planned: PurgePlan, outcome: PurgeOutcome, counts: { requests: number; retries: number }, at: Date, coversAll = false): PurgeReceipt {
    const notPurged = outcome.notPurged ?? [];
    const skipped = new Set(notPurged);
    const plan = skipped.size === 0 ? planned : { targets: planned.targets.filter((t) => !skipped.has(t.key)) };
    const groups = targetsByReason(plan);
    const all = coversAll && skipped.size === 0 && plan.targets.length > 0;
    const reasons: ReceiptReason[] = groups.map(({ why, keys }) => ({ why, targets: all && groups.length === 1 ? ALL_TARGETS : keys }));
    return {
        purgedAt: at.toISOString(),
        count: plan.targets.length,
        targets: all ? ALL_TARGETS : plan.targets.map((t) => t.key),
        reasons,
        ids: outcome.ids ?? {},
        requests: counts.requests,
        retries: counts.retries,
        completion: outcome.completion,
        details: outcome.details ?? {},
        ...(notPurged.length > 0 ? { notPurged } : {}),
    };
}
