/**
 * Inputs that can hold thousands of entries (a map of URL to content hash) travel between the program,
 * the engine and the provider as the JSON text of their value: one string.
 *
 * Why: the provider host converts every input and output to and from protobuf Structs synchronously,
 * value by value, on each Check, Diff and Create. For a map of 10,000 URLs that conversion alone took
 * 370 ms per call and stalled every other resource served by the same host; one string of the same
 * content converts in well under a millisecond. The Pulumi CLI decodes JSON text when it shows a diff,
 * so `pulumi preview --diff` still shows the one URL whose hash changed, not two long strings.
 *
 * This module is required by the program (the resource) and by the provider; it holds no state.
 */

type Props = Record<string, unknown>;

/**
 * The value as the provider will receive it: a list or a map becomes its JSON text. Anything else (a
 * string, a number, undefined) is left as it is, so `check` refuses it with the input's usual message.
 */
export function toBulkText(value: unknown): unknown {
    return Array.isArray(value) || isPlainObject(value) ? JSON.stringify(value) : value;
}

/** The list or map a bulk text stands for; any other value (old state held the map itself) as it is. */
export function fromBulkText(value: unknown): unknown {
    if (typeof value !== "string" || (value[0] !== "[" && value[0] !== "{")) {
        return value;
    }
    try {
        const parsed: unknown = JSON.parse(value);
        return Array.isArray(parsed) || isPlainObject(parsed) ? parsed : value;
    } catch {
        return value;
    }
}

/** `props` with each of `keys` read back from its bulk text. */
export function expandBulk(props: Props, keys: readonly string[]): Props {
    if (keys.length === 0) {
        return props;
    }
    const out: Props = { ...props };
    for (const key of keys) {
        if (Object.hasOwn(out, key)) {
            out[key] = fromBulkText(out[key]);
        }
    }
    return out;
}

/** `props` with each of `keys` as its bulk text, as the engine stores it. */
export function packBulk(props: Props, keys: readonly string[]): Props {
    if (keys.length === 0) {
        return props;
    }
    const out: Props = { ...props };
    for (const key of keys) {
        if (Object.hasOwn(out, key)) {
            out[key] = toBulkText(out[key]);
        }
    }
    return out;
}

function isPlainObject(value: unknown): value is Props {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}
