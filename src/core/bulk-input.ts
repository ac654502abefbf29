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
    if (!Array.isArray(value) && !isPlainObject(value)) {
        return value;
    }
    return textOf.get(value) ?? JSON.stringify(value);
}

/**
 * The texts last read, and what they read as. One deployment reads the same text several times: check
 * returns the text it was given, and diff and update get it back, with the outputs that hold the last
 * one. Values read from here are shared, so nothing may change them (nothing does: inputs are read only).
 */
const recentlyRead = new Map<string, unknown>();
const RECENT_TEXTS = 4;
/** The text each of those values was read from, so writing one back costs nothing. */
const textOf = new WeakMap<object, string>();

/** The list or map a bulk text stands for; any other value (old state held the map itself) as it is. */
export function fromBulkText(value: unknown): unknown {
    if (typeof value !== "string" || (value[0] !== "[" && value[0] !== "{")) {
        return value;
    }
    const known = recentlyRead.get(value);
    if (known !== undefined) {
        // Most recently used last, so the oldest is the one dropped.
        recentlyRead.delete(value);
        recentlyRead.set(value, known);
        return known;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        return value;
    }
    if (!Array.isArray(parsed) && !isPlainObject(parsed)) {
        return value;
    }
    textOf.set(parsed, value);
    recentlyRead.set(value, parsed);
    if (recentlyRead.size > RECENT_TEXTS) {
        recentlyRead.delete(recentlyRead.keys().next().value as string);
    }
    return parsed;
}

/** `props` with each of `keys` read back from its bulk text. */
export function expandBulk(props: Props, keys: readonly string[]): Props {
    return withEach(props, keys, fromBulkText);
}

/** `props` with each of `keys` as its bulk text, as the engine stores it. */
export function packBulk(props: Props, keys: readonly string[]): Props {
    return withEach(props, keys, toBulkText);
}

/** A copy of `props` with `change` applied to each of `keys` it has; `props` itself when there are none. */
function withEach(props: Props, keys: readonly string[], change: (value: unknown) => unknown): Props {
    if (keys.length === 0) {
        return props;
    }
    const out: Props = { ...props };
    for (const key of keys) {
        if (Object.hasOwn(out, key)) {
            out[key] = change(out[key]);
        }
    }
    return out;
}

function isPlainObject(value: unknown): value is Props {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Bulk texts longer than this are worth a pause between the steps that read them: each pause waits a
 * turn of the event loop behind whatever else the host has to do. Below it (about 2,300 URLs) a whole
 * check, with the host's decoding and encoding of its messages, holds the loop for about 20 ms.
 */
const LARGE_TEXT_CHARS = 256 * 1024;

/** Whether `props` carries a bulk text long enough that reading it holds the event loop for milliseconds. */
export function holdsLargeBulk(props: Props, keys: readonly string[]): boolean {
    return keys.some((key) => typeof props[key] === "string" && (props[key] as string).length > LARGE_TEXT_CHARS);
}

/**
 * Lets the event loop run before the next step. One provider host serves every resource of a
 * deployment: while one resource's 50,000 URLs are checked, another's purge may be waiting for its
 * answer, and a loop held too long made such an answer time out.
 */
export function yieldToEventLoop(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
}
