/**
 * What a purge leaves behind: the state the next plan is compared against, and the record of it that
 * the outputs keep. Plain data, no I/O.
 */

/**
 * What the provider records in its outputs after a purge, and compares the next deployment against.
 * `targets` maps each target key to its own trigger ("" for a target without one).
 */
export interface PurgedState {
    readonly scope: string;
    readonly triggers: Readonly<Record<string, string>>;
    readonly forcePurge?: string;
    readonly targets: Readonly<Record<string, string>>;
}

/** Recorded for a target whose purge was planned but failed, so the next plan purges it again. */
export const PENDING = "(purge pending)";

/**
 * A `PurgedState` as the outputs keep it. Each target's own trigger is already in the outputs (they
 * hold the inputs it was purged with), so only the targets still owed are named: storing every target
 * again doubled the state of a resource with many targets.
 */
export interface PurgedRecord {
    readonly scope: string;
    readonly triggers: Readonly<Record<string, string>>;
    readonly forcePurge?: string;
    /**
     * Targets whose purge failed part-way; the next `pulumi up` purges them. A target whose name is a
     * secret is recorded by its place among the target names in sorted order (`(secret target 3)`),
     * never the name: the names themselves stay in the encrypted inputs the outputs repeat.
     */
    readonly pending?: readonly string[];
    /** Every target with its trigger: how versions up to 0.1.0 recorded them. Read, never written. */
    readonly targets?: Readonly<Record<string, string>>;
}

/** The record of `state` for the outputs; `hideNames`: pending targets are named by their places, not their names. */
export function toPurgedRecord(state: PurgedState, hideNames = false): PurgedRecord {
    const owed = Object.keys(state.targets).filter((key) => state.targets[key] === PENDING);
    const pending = hideNames && owed.length > 0 ? placesOf(Object.keys(state.targets), owed) : owed;
    return {
        scope: state.scope,
        triggers: state.triggers,
        ...(state.forcePurge === undefined ? {} : { forcePurge: state.forcePurge }),
        ...(pending.length > 0 ? { pending } : {}),
    };
}

/**
 * The state a record stands for. `declared` maps each target of the inputs kept beside the record to
 * its trigger. A record written by an earlier version carries its targets itself and is taken as it is.
 */
export function fromPurgedRecord(record: PurgedRecord, declared: () => Readonly<Record<string, string>>): PurgedState {
    if (record.targets !== null && typeof record.targets === "object") {
        return { scope: record.scope, triggers: record.triggers, ...(record.forcePurge === undefined ? {} : { forcePurge: record.forcePurge }), targets: record.targets };
    }
    const pending = record.pending ?? [];
    // Copied only to mark what is owed: a resource of 50,000 URLs is compared on every diff.
    const targets: Record<string, string> = pending.length === 0 ? declared() as Record<string, string> : { ...declared() };
    for (const key of pending) {
        if (Object.hasOwn(targets, key)) {
            targets[key] = PENDING;
        }
    }
    // Targets whose names were secret are owed by place; the declared names are sorted only then.
    const places = pending.map(placeIn).filter((place) => place !== undefined);
    if (places.length > 0) {
        const sorted = Object.keys(targets).sort();
        for (const place of places) {
            if (place < sorted.length) {
                targets[sorted[place]] = PENDING;
            }
        }
    }
    return { scope: record.scope, triggers: record.triggers ?? {}, ...(record.forcePurge === undefined ? {} : { forcePurge: record.forcePurge }), targets };
}

/**
 * How pending targets whose names are secrets are recorded: their places among all target names, sorted.
 * A digest of the name could be reversed by trying every name of a small space (pipeline ids below
 * 100,000); a place says no more than the count of targets the plan already shows. The outputs that
 * carry the record also carry the (encrypted) inputs it was written with, so the place is read against
 * the same names.
 */
function placesOf(names: readonly string[], owed: readonly string[]): string[] {
    const place = new Map([...names].sort().map((name, index) => [name, index]));
    return owed.map((name) => `(secret target ${place.get(name)})`);
}

function placeIn(entry: string): number | undefined {
    const match = /^\(secret target (\d{1,9})\)$/.exec(entry);
    return match === null ? undefined : Number(match[1]);
}
