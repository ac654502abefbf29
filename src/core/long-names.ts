import * as pulumi from "@pulumi/pulumi";
import { isTooLong, tooLongStandIn } from "./names";

/** Maps inside inputs are walked this deep: the inputs' maps are one level, `project: { name }` two. */
const MAX_DEPTH = 3;

/**
 * Program side, before the inputs reach the engine: a map key too long for the engine (a trigger name of
 * 20,000 characters) is replaced by a short stand-in that `check` refuses, naming the input and the
 * limit. The engine panics on a property name of 16 KiB or more as soon as it receives the inputs, before
 * `check` could say anything. `skip` names the inputs that travel as text (their keys are no property
 * names) and the credentials. An input whose value arrives later is guarded when it arrives; one with no
 * long key is passed on as it is.
 */
export function replaceLongNames(props: Record<string, unknown>, skip: readonly string[]): void {
    for (const key of Object.keys(props)) {
        const value = props[key];
        if (skip.includes(key) || value === null || typeof value !== "object") {
            continue;
        }
        if (pulumi.Output.isInstance(value)) {
            props[key] = (value as pulumi.Output<unknown>).apply((resolved) => withoutLongNames(resolved, 0));
        } else if (typeof (value as { then?: unknown }).then === "function") {
            props[key] = (value as Promise<unknown>).then((resolved) => withoutLongNames(resolved, 0));
        } else {
            props[key] = withoutLongNames(value, 0);
        }
    }
}

/** `value` itself when no key in it is too long (the usual case, no copy); else a copy with stand-ins. */
function withoutLongNames(value: unknown, depth: number): unknown {
    if (value === null || typeof value !== "object" || depth > MAX_DEPTH || pulumi.Output.isInstance(value) || typeof (value as { then?: unknown }).then === "function") {
        return value;
    }
    if (Array.isArray(value)) {
        const items = value.map((item) => withoutLongNames(item, depth + 1));
        return items.some((item, i) => item !== value[i]) ? items : value;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    const replaced = entries.map(([key, inner]) => [isTooLong(key) ? tooLongStandIn(key) : key, withoutLongNames(inner, depth + 1)] as const);
    const changed = replaced.some(([key, inner], i) => key !== entries[i][0] || inner !== entries[i][1]);
    return changed ? Object.fromEntries(replaced) : value;
}
