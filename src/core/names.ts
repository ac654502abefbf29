import { type CheckFailure, CONTROL_CHARACTER, formatPath } from "./inputs";
import { formatCount } from "./count";

/**
 * The rules for names a user gives: trigger names, workflow ids, pipeline ids, URLs, wherever a name is
 * a key of a map. Pulumi's engine asserts that a property name is under 2^14 bytes
 * (`sdk/go/property/path_repr.go`); past that it panics, with the stack left locked. The package keeps
 * names in maps of its outputs (`triggers`, `purged.triggers`, `receipt.ids`), so a name is refused in
 * `check` well before that, with a margin for the text an output adds to a name.
 */
export const MAX_NAME_BYTES = 4_096;

/**
 * What the resource (program side) puts in place of a name too long for the engine to carry even as an
 * input: a NUL, which no name may hold, then the name's size and its start. `check` reads it back and
 * refuses the name, naming the input; the engine never sees the name itself.
 */
const TOO_LONG_MARKER = "\u0000too long:";
const SHOWN_START_CHARS = 40;

/** The UTF-8 size of a name; only names that could exceed the limit are measured. */
function byteLength(name: string): number {
    return name.length * 3 <= MAX_NAME_BYTES ? name.length : Buffer.byteLength(name, "utf8");
}

/** Whether the engine, or the rule above, cannot take `name` as a property name. */
export function isTooLong(name: string): boolean {
    return name.length * 3 > MAX_NAME_BYTES && byteLength(name) > MAX_NAME_BYTES;
}

/** The short stand-in the resource sends instead of a name that is too long (see `TOO_LONG_MARKER`). */
export function tooLongStandIn(name: string): string {
    return `${TOO_LONG_MARKER}${byteLength(name)}:${startOf(name)}`;
}

/**
 * Why each name in the inputs is refused: too long for the engine, or holding a control character.
 * Names are the keys of every map in the inputs, and the entries of the lists that name targets
 * (`listInputs`, such as a list of URLs). The names of an input that is a secret as a whole
 * (`__secretTargetNames`) are not quoted, only counted.
 */
export function nameProblems(input: Readonly<Record<string, unknown>>, listInputs: readonly string[] = []): CheckFailure[] {
    const secretInputs = new Set(Array.isArray(input.__secretTargetNames) ? input.__secretTargetNames.filter((n): n is string => typeof n === "string") : []);
    const failures: CheckFailure[] = [];
    for (const property of Object.keys(input)) {
        if (property.startsWith("__")) {
            continue;
        }
        const check = (name: string, parent: readonly (string | number)[], last: string | number, position: number) => {
            const reason = nameProblem(name);
            if (reason !== undefined) {
                const where = secretInputs.has(property) ? `${property}: the ${ordinal(position)} name (secret)` : formatPath([property, ...parent, last]);
                failures.push({ property, reason: `${where}: ${reason}` });
            }
        };
        walkNames(input[property], [], check, listInputs.includes(property));
    }
    return failures;
}

type Visit = (name: string, parent: readonly (string | number)[], last: string | number, position: number) => void;

/**
 * Calls `visit` for each map key at any depth (up to 4), and for each string of a top-level list when
 * `listNames`. A path is built only for what holds more names: a map of 50,000 URLs is walked on every check.
 */
function walkNames(value: unknown, path: (string | number)[], visit: Visit, listNames: boolean): void {
    if (value === null || typeof value !== "object" || path.length > 4) {
        return;
    }
    if (Array.isArray(value)) {
        value.forEach((item, index) => {
            if (typeof item === "string" && listNames && path.length === 0) {
                visit(item, path, index, index + 1);
            } else if (item !== null && typeof item === "object") {
                walkNames(item, [...path, index], visit, false);
            }
        });
        return;
    }
    let position = 0;
    for (const key in value) {
        if (!Object.hasOwn(value, key)) {
            continue;
        }
        position++;
        visit(key, path, shownKey(key), position);
        const inner = (value as Record<string, unknown>)[key];
        if (inner !== null && typeof inner === "object") {
            walkNames(inner, [...path, key], visit, false);
        }
    }
}

/** The key as a path shows it: a long one by its start, so the message stays one short line. */
function shownKey(key: string): string {
    if (key.startsWith(TOO_LONG_MARKER)) {
        return `${key.slice(key.indexOf(":", TOO_LONG_MARKER.length) + 1)}…`;
    }
    return isTooLong(key) ? `${startOf(key)}…` : key;
}

function nameProblem(name: string): string | undefined {
    if (name.startsWith(TOO_LONG_MARKER)) {
        return tooLongReason(Number(name.slice(TOO_LONG_MARKER.length, name.indexOf(":", TOO_LONG_MARKER.length))));
    }
    if (isTooLong(name)) {
        return tooLongReason(byteLength(name));
    }
    const control = CONTROL_CHARACTER.exec(name);
    if (control !== null) {
        return `a name must not hold control characters (here ${describeControl(control[0])}); they would print as lines, colours or reordered text of their own in pulumi's output: remove them`;
    }
    return undefined;
}

function tooLongReason(bytes: number): string {
    return `the name is ${formatCount(bytes)} bytes long; a name may be at most ${formatCount(MAX_NAME_BYTES)} bytes (UTF-8), as Pulumi cannot store property names near 16 KiB: use a shorter name, such as a path relative to the folder deployed`;
}

function describeControl(char: string): string {
    const code = char.charCodeAt(0);
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
    if (char === "\n" || char === "\r" || char === "\u0085" || char === "\u2028" || char === "\u2029") {
        return "a line break";
    }
    if (char === "\t") {
        return "a tab";
    }
    if (char === "\u001b") {
        return "an escape, ESC, which starts terminal colour and cursor sequences";
    }
    if (code >= 0x200e) {
        return `a bidirectional text control, ${hex}`;
    }
    return `the control character ${hex}`;
}

/** The first characters of a name, never ending in half of a surrogate pair. */
function startOf(name: string): string {
    const cut = name.slice(0, SHOWN_START_CHARS);
    return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function ordinal(n: number): string {
    const tens = n % 100;
    const suffix = tens >= 11 && tens <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] ?? "th";
    return `${formatCount(n)}${suffix}`;
}
