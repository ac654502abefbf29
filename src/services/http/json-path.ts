/**
 * Dot paths into JSON (`result.id`, `data.0.status`): where a batch's array goes, where an answer's id,
 * success flag or status is read. Pure. A path is names and list indexes joined by dots, nothing more.
 */

const SEGMENT = /^[^.\s[\]]+$/;

/** Why a path cannot be used, or undefined. */
export function jsonPathProblem(path: string): string | undefined {
    if (path.length > 200) {
        return "expected a path of at most 200 characters";
    }
    const segments = path.split(".");
    if (segments.some((s) => !SEGMENT.test(s))) {
        return `expected names joined by dots, such as "result.id" or "files", got ${JSON.stringify(path)}`;
    }
    if (segments.includes("__proto__") || segments.includes("constructor") || segments.includes("prototype")) {
        return `expected names joined by dots, got ${JSON.stringify(path)}, which names an object's prototype`;
    }
    return undefined;
}

/** The value at `path`, or undefined when any step is missing. Own keys only. */
export function readJsonPath(value: unknown, path: string): unknown {
    let current = value;
    for (const segment of path.split(".")) {
        if (Array.isArray(current) && /^\d+$/.test(segment)) {
            current = current[Number(segment)];
        } else if (current !== null && typeof current === "object" && !Array.isArray(current) && Object.hasOwn(current, segment)) {
            current = (current as Record<string, unknown>)[segment];
        } else {
            return undefined;
        }
    }
    return current;
}

/** A copy of `value` (an object, or undefined for none) with `inner` set at `path`, objects made on the way. */
export function writeJsonPath(value: unknown, path: string, inner: unknown): Record<string, unknown> {
    const root: Record<string, unknown> = value !== null && typeof value === "object" && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
    let current = root;
    const segments = path.split(".");
    segments.forEach((segment, i) => {
        if (i === segments.length - 1) {
            current[segment] = inner;
            return;
        }
        const next = current[segment];
        const copy: Record<string, unknown> = next !== null && typeof next === "object" && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
        current[segment] = copy;
        current = copy;
    });
    return root;
}

/** A value found at a path, as a message shows it: short. */
export function shownJson(value: unknown): string {
    const text = value === undefined ? "nothing" : JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
