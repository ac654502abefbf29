import { listFirst } from "./bounded-list";
import { PENDING, type PurgedState } from "./purged-state";

/**
 * The purge plan: a pure function from what was purged last time to what the program declares now.
 * `diff` asks it whether anything must be purged, `update` executes it, `check` summarises it for
 * `pulumi preview`. It performs no I/O, so preview can call it freely.
 */

export { fromPurgedRecord, PENDING, type PurgedRecord, type PurgedState, toPurgedRecord } from "./purged-state";

/** One thing a service can purge (a cache, a URL, a workflow's caches), with its own trigger if it has one. */
export interface PurgeTarget {
    readonly key: string;
    readonly trigger?: string;
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
    /** Whether the scope is a secret (built from a secret base URL): its change is then named without it. */
    readonly scope?: boolean;
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
        ...scopeReasons(previous, desired, secrets.scope === true),
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

function allTargets(keys: readonly string[], reasons: readonly string[]): PurgePlan {
    return { targets: keys.map((key) => ({ key, reasons })) };
}

function scopeReasons(previous: PurgedState, desired: PurgedState, secret: boolean): string[] {
    if (previous.scope === desired.scope) {
        return [];
    }
    return [secret ? "endpoint changed (secret)" : `endpoint changed: ${previous.scope} -> ${desired.scope}`];
}

function triggerReasons(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>, secret: ReadonlySet<string>): string[] {
    const reasons: string[] = [];
    for (const [key, value] of Object.entries(after)) {
        const name = shownName(key);
        if (!has(before, key)) {
            reasons.push(secret.has(key) ? `trigger ${name} added (secret)` : `trigger ${name} added: ${shortValue(value)}`);
        } else if (before[key] !== value) {
            reasons.push(secret.has(key) ? `trigger ${name} changed (secret)` : `trigger ${name}: ${shortValue(before[key])} -> ${shortValue(value)}`);
        }
    }
    for (const key of Object.keys(before)) {
        if (!has(after, key)) {
            reasons.push(`trigger ${shownName(key)} removed`);
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

/** Reasons listed per group of targets, in the plan line and the receipt; the rest are counted. */
export const MAX_REASONS_SHOWN = 5;

/** A group of targets purged for the same reasons. `why`: the reasons joined with ", ", at most `MAX_REASONS_SHOWN` of them. */
export interface ReasonGroup {
    readonly why: string;
    readonly keys: string[];
}

/**
 * The plan's targets grouped by their reasons, in plan order; linear in the targets and their reasons
 * (a change of every shared trigger gives every target the same list, joined once here, not once per
 * target: 10,000 triggers on 10,000 URLs).
 */
export function targetsByReason(plan: PurgePlan): ReasonGroup[] {
    const byList = new Map<readonly string[], { why: string; keys: string[] }>();
    const byText = new Map<string, { why: string; keys: string[] }>();
    const groups: ReasonGroup[] = [];
    for (const target of plan.targets) {
        let group = byList.get(target.reasons);
        if (group === undefined) {
            const full = target.reasons.join("\n");
            group = byText.get(full);
            if (group === undefined) {
                group = { why: describeReasons(target.reasons), keys: [] };
                byText.set(full, group);
                groups.push(group);
            }
            byList.set(target.reasons, group);
        }
        group.keys.push(target.key);
    }
    return groups;
}

/** The reasons as one bounded text: the first few, then how many more. */
export function describeReasons(reasons: readonly string[]): string {
    return listFirst(reasons, MAX_REASONS_SHOWN);
}

/** Names this long are shown by their start and end: the plan line stays readable, and bounded. */
const MAX_NAME_SHOWN = 100;

/**
 * A name (a trigger's, a target's) as a line shows it: whole when short, else its start and end.
 * `max` is larger for a request's URL, which a user reads to know where the purge goes.
 */
export function shownName(name: string, max = MAX_NAME_SHOWN): string {
    if (name.length <= max) {
        return name;
    }
    const chars = Array.from(name);
    const head = Math.ceil(max * 0.6);
    return chars.length <= max ? name : `${chars.slice(0, head).join("")}…${chars.slice(head - max + 1).join("")}`;
}
