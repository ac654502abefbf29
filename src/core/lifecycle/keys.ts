/** The inputs and outputs every purge resource has beside what the user declared, and how they are read. */

export type Props = Record<string, unknown>;

/** Inputs the provider adds or the SDK adds; never part of what the user declared. */
const PROVIDER_KEY = "__provider";
/** The resource's URN (see resource.ts), so log lines show under the resource. */
const URN_KEY = "__urn";
export const PLAN_KEY = "purgePlan";
/** Outputs only: what was purged last, and the receipt of the last purge. */
export const PURGED_KEY = "purged";
export const RECEIPT_KEY = "receipt";
export const NOT_DECLARED = new Set([PROVIDER_KEY, URN_KEY, PLAN_KEY, PURGED_KEY, RECEIPT_KEY]);
/** Inputs the resource class sets, program side; a user never passes them, so no message suggests them. */
export const SET_BY_RESOURCE = new Set(["__secretTriggers", "__secretForcePurge", "__secretTargets", "__secretTargetNames", "__secretSettings"]);

/**
 * What `purged` records in place of a secret trigger or `forcePurge` value. The value itself stays in
 * the top-level `triggers` and `forcePurge` outputs, which the engine keeps secret because the inputs of
 * the same name held a secret; the next plan reads it from there.
 */
export const SECRET_VALUE = "(secret)";

/** The plan line of a deployment that purges nothing. */
const NO_PURGE = "no purge";

/** What `pulumi destroy` shows under a purge resource that does not purge on delete. */
export const NOTHING_ON_DELETE = "nothing purged on delete (set purgeOnDelete: true to purge when the resource is deleted)";

/** The line check stored last time, kept when nothing changed; state written before it existed says no purge. */
export function previousLine(oldInputs: Props): string {
    const line = oldInputs[PLAN_KEY];
    return typeof line === "string" ? line : NO_PURGE;
}

export function urnOf(props: Props): string | undefined {
    const urn = props[URN_KEY];
    return typeof urn === "string" && urn.startsWith("urn:pulumi:") ? urn : undefined;
}

/** `check` returns the inputs the engine keeps; the URN must survive it, as `__provider` does. */
export function urnInput(news: Props): Props {
    const urn = urnOf(news);
    return urn === undefined ? {} : { [URN_KEY]: urn };
}
