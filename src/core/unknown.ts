/**
 * The string the Pulumi engine puts in place of a value that is not known until apply (an output of a
 * resource that does not exist yet). During `pulumi preview` the provider sees it in `check` and `diff`.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

/** True when the value, or anything nested in it, is not known until apply. */
export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsUnknown);
    }
    if (value !== null && typeof value === "object") {
        // A loop rather than Object.entries: check walks every input, and a map of 50,000 URLs is one.
        const record = value as Record<string, unknown>;
        for (const key in record) {
            if (isUnknown(key) || containsUnknown(record[key])) {
                return true;
            }
        }
    }
    return false;
}
