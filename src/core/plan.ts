import { createHash } from "crypto";

/**
 * The purge plan: a pure function from what was purged last time to what the program declares now.
 * `diff` asks it whether anything must be purged, `update` executes it, `check` summarises it for
 * `pulumi preview`. It performs no I/O, so preview can call it freely.
 */

/** One thing a service can purge (a cache, a URL, a workflow's caches), with its own trigger if it has one. */
export interface PurgeTarget {
    readonly key: string;
    readonly trigger?: string;
}

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

export interface PlannedTarget {
    readonly key: string;
    /** Why this target is purged, in the words `pulumi preview` shows: `trigger build: 3f2a… -> 9c1d…`. */
    readonly reasons: readonly string[];
}

export interface PurgePlan {
    readonly targets: readonly PlannedTarget[];
}

export const EMPTY_PLAN: PurgePlan = { targets: [] };

/** Which trigger values are secrets: the plan then says that they changed, never what they were or became. */
export interface SecretValues {
    readonly triggers: ReadonlySet<string>;
    readonly forcePurge: boolean;
    /** Whether the targets' own triggers are secrets: all of them are then unshown, as one input carries them. */
    readonly targets: boolean;
}

export const NO_SECRETS: SecretValues = { triggers: new Set(), forcePurge: false, targets: false };

/** Own keys only: a trigger or target named `constructor` or `valueOf` is a name like any other. */
function has(map: Readonly<Record<string, string>>, key: string): boolean {
    return Object.hasOwn(map, key);
}

/** Hashes are long; the first 8 characters are enough for a person to tell two apart. */
export function shortValue(value: string | undefined): string {
    if (value === undefined || value === "") {
        return "(none)";
    }
    return value.length > 12 ? `${value.slice(0, 8)}…` : value;
}

/**
 * Decides which targets to purge and why.
 *
 * `previous` is undefined when the resource is being created. A change of the shared triggers, a new
 * `forcePurge` value or a change of the scope (the service endpoint and what it points at) purges every target; a
 * target's own trigger purges only that target. Removed targets need no purge.
 */
export function planPurge(previous: PurgedState | undefined, desired: PurgedState, purgeOnCreate: boolean, secrets: SecretValues = NO_SECRETS): PurgePlan {
    const keys = Object.keys(desired.targets);
    if (previous === undefined) {
        return purgeOnCreate ? allTargets(keys, ["created"]) : EMPTY_PLAN;
    }

    const sharedReasons = [
        ...scopeReasons(previous, desired),
        ...triggerReasons(previous.triggers, desired.triggers, secrets.triggers),
        ...forcePurgeReasons(previous, desired, secrets.forcePurge),
    ];
    if (sharedReasons.length > 0) {
        return allTargets(keys, sharedReasons);
    }

    const targets: PlannedTarget[] = [];
    for (const key of keys) {
        const reason = targetReason(previous.targets, key, desired.targets[key], secrets.targets);
        if (reason !== undefined) {
            targets.push({ key, reasons: [reason] });
        }
    }
    return { targets };
}

/** Recorded for a target whose purge was planned but failed, so the next plan purges it again. */
export const PENDING = "(purge pending)";

/**
 * The state to record when a plan was only partly carried out. Shared triggers move forward, and each
 * planned target that failed is marked pending: the next `pulumi up` purges exactly those, not the
 * whole plan again.
 */
export function partiallyPurgedState(desired: PurgedState, plan: PurgePlan, purgedKeys: readonly string[]): PurgedState {
    const done = new Set(purgedKeys);
    const targets: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, desired.targets);
    for (const { key } of plan.targets) {
        if (!done.has(key)) {
            targets[key] = PENDING;
        }
    }
    return { ...desired, targets: { ...targets } };
}

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
     * secret is recorded as the digest of its name (`sha256:<hex>`), never the name.
     */
    readonly pending?: readonly string[];
    /** Every target with its trigger: how versions up to 0.1.0 recorded them. Read, never written. */
    readonly targets?: Readonly<Record<string, string>>;
}

/** The record of `state` for the outputs; `hideNames`: pending targets are named by the digests of their names. */
export function toPurgedRecord(state: PurgedState, hideNames = false): PurgedRecord {
    const owed = Object.keys(state.targets).filter((key) => state.targets[key] === PENDING);
    const pending = hideNames ? owed.map(nameDigest) : owed;
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
    // Targets whose names were secret are owed by digest; each declared name is hashed only then.
    const digests = new Set(pending.filter((key) => key.startsWith(DIGEST_PREFIX)));
    if (digests.size > 0) {
        for (const key of Object.keys(targets)) {
            if (digests.has(nameDigest(key))) {
                targets[key] = PENDING;
            }
        }
    }
    return { scope: record.scope, triggers: record.triggers ?? {}, ...(record.forcePurge === undefined ? {} : { forcePurge: record.forcePurge }), targets };
}

const DIGEST_PREFIX = "sha256:";

/** How a pending target whose name is a secret is recorded: not the name, and the same for the same name. */
export function nameDigest(name: string): string {
    return DIGEST_PREFIX + createHash("sha256").update(name).digest("hex");
}

function allTargets(keys: readonly string[], reasons: readonly string[]): PurgePlan {
    return { targets: keys.map((key) => ({ key, reasons })) };
}

function scopeReasons(previous: PurgedState, desired: PurgedState): string[] {
    return previous.scope === desired.scope ? [] : [`endpoint changed: ${previous.scope} -> ${desired.scope}`];
}

function triggerReasons(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>, secret: ReadonlySet<string>): string[] {
    const reasons: string[] = [];
    for (const [name, value] of Object.entries(after)) {
        if (!has(before, name)) {
            reasons.push(secret.has(name) ? `trigger ${name} added (secret)` : `trigger ${name} added: ${shortValue(value)}`);
        } else if (before[name] !== value) {
            reasons.push(secret.has(name) ? `trigger ${name} changed (secret)` : `trigger ${name}: ${shortValue(before[name])} -> ${shortValue(value)}`);
        }
    }
    for (const name of Object.keys(before)) {
        if (!has(after, name)) {
            reasons.push(`trigger ${name} removed`);
        }
    }
    return reasons;
}

/**
 * A new `forcePurge` value purges; removing it does not. A user sets it to purge once by hand and then
 * takes it out of the program or config: that second edit asks for no purge, so it makes none (README:
 * Forcing a purge).
 */
function forcePurgeReasons(previous: PurgedState, desired: PurgedState, secret: boolean): string[] {
    if ((desired.forcePurge ?? "") === "" || (previous.forcePurge ?? "") === desired.forcePurge) {
        return [];
    }
    return [secret ? "forcePurge changed (secret)" : `forcePurge: ${shortValue(previous.forcePurge)} -> ${shortValue(desired.forcePurge)}`];
}

function targetReason(before: Readonly<Record<string, string>>, key: string, trigger: string, secret: boolean): string | undefined {
    if (!has(before, key)) {
        return "target added";
    }
    if (before[key] === PENDING) {
        return "left over from a failed purge";
    }
    if (before[key] !== trigger) {
        return secret ? "trigger changed (secret)" : `trigger: ${shortValue(before[key])} -> ${shortValue(trigger)}`;
    }
    return undefined;
}

/** The plan's targets grouped by their reasons (joined with ", "), in plan order; linear in the targets. */
export function targetsByReason(plan: PurgePlan): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const target of plan.targets) {
        const why = target.reasons.join(", ");
        const keys = groups.get(why);
        if (keys === undefined) {
            groups.set(why, [target.key]);
        } else {
            keys.push(target.key);
        }
    }
    return groups;
}
