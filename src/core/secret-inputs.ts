import * as pulumi from "@pulumi/pulumi";

/**
 * Which parts of a resource's inputs are secrets, decided program side on the resolved values: the
 * provider sees every secret unwrapped, so only here can it be told which ones to keep unshown. An input
 * may reach a secret through any form its `Input<…>` type allows: an Output, a promise (an `async`
 * function's result), a promise of an Output, an Output or promise inside a map or list, `pulumi.all`,
 * `apply`. `pulumi.output` lifts all of them and carries the secret mark of any part to the whole, so
 * each question below is asked of `pulumi.output(value)`, never of the form the value arrived in.
 *
 * Each answer is known at once, with no Output made, when the value holds no Output and no promise: the
 * SDK makes four promises, each with a stack trace, for every input of every resource, the largest part
 * of a resource's cost in the program.
 */

/** Beyond this depth a value is taken as possibly secret, and `pulumi.output` decides. */
const MAX_SCAN_DEPTH = 3;

/** Whether any part of `value` is an Output or a promise: only then can a part of it be a secret. */
export function mayHoldSecret(value: unknown, depth = 0): boolean {
    if (value === null || typeof value !== "object") {
        return false;
    }
    if (pulumi.Output.isInstance(value) || isPromiseLike(value) || depth >= MAX_SCAN_DEPTH) {
        return true;
    }
    for (const inner of Object.values(value)) {
        if (mayHoldSecret(inner, depth + 1)) {
            return true;
        }
    }
    return false;
}

/** Whether any of `values`, resolved, is or holds a secret. */
export function holdsSecret(values: readonly unknown[]): pulumi.Input<boolean> {
    const open = values.filter((value) => mayHoldSecret(value));
    if (open.length === 0) {
        return false;
    }
    return pulumi.output(Promise.all(open.map(resolvesSecret)).then((secret) => secret.includes(true)));
}

/**
 * The names (keys) of a map whose values are secrets, resolved: each name whose value is or holds one,
 * and every name when the map itself arrives secret (then no part of it can be told apart). Never itself
 * secret: the names are what the plan shows.
 */
export function secretEntryNames(map: unknown): pulumi.Input<string[]> {
    return mayHoldSecret(map) ? pulumi.unsecret(namesOf(map)) : [];
}

/**
 * The inputs among `keys` whose target names are secret: one that arrives secret as a whole (its names
 * are then secret too), or a list with a secret element (its elements are the names). A map holding a
 * secret value has secret triggers, not secret names (see `holdsSecret`).
 */
export function secretNameInputs(keys: readonly string[], props: Readonly<Record<string, unknown>>): pulumi.Input<string[]> {
    // A map as written cannot have a secret name: its keys are plain strings.
    const open = keys.filter((key) => mayHoldSecret(props[key]) && (Array.isArray(props[key]) || !isPlainMap(props[key])));
    return inputsWhere(open, props, namesAreSecret);
}

/**
 * The inputs among `keys` that resolve to a secret (a settings input such as a base URL): everything
 * derived from them (the scope, the request URLs) is then kept unshown.
 */
export function secretInputs(keys: readonly string[], props: Readonly<Record<string, unknown>>): pulumi.Input<string[]> {
    return inputsWhere(keys, props, resolvesSecret);
}

function inputsWhere(keys: readonly string[], props: Readonly<Record<string, unknown>>, test: (value: unknown) => Promise<boolean>): pulumi.Input<string[]> {
    const open = keys.filter((key) => mayHoldSecret(props[key]));
    if (open.length === 0) {
        return [];
    }
    const found = Promise.all(open.map(async (key) => ((await test(props[key])) ? [key] : [])));
    return pulumi.output(found.then((names) => names.flat()));
}

function resolvesSecret(value: unknown): Promise<boolean> {
    return pulumi.isSecret(pulumi.output(value));
}

/**
 * Peels promises one at a time (a promise may resolve to an Output, or to a map of them). An Output's
 * value is already lifted: secret as a whole if any part was, so it answers for all its names at once.
 * Its value is read through `apply`, so that a value unknown in preview stays unknown.
 */
function namesOf(value: unknown): pulumi.Output<string[]> {
    if (pulumi.Output.isInstance(value)) {
        const whole = value as pulumi.Output<unknown>;
        const secret = pulumi.isSecret(whole);
        return pulumi.unsecret(whole.apply(async (resolved) => ((await secret) ? keysOf(resolved) : [])));
    }
    if (isPromiseLike(value)) {
        return pulumi.output(Promise.resolve(value).then(namesOf));
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return pulumi.output([]);
    }
    const entries = Object.entries(value).filter(([, inner]) => mayHoldSecret(inner));
    const names = Promise.all(entries.map(async ([name, inner]) => ((await resolvesSecret(inner)) ? [name] : [])));
    return pulumi.output(names.then((found) => found.flat()));
}

async function namesAreSecret(value: unknown): Promise<boolean> {
    if (pulumi.Output.isInstance(value)) {
        return pulumi.isSecret(value as pulumi.Output<unknown>);
    }
    if (isPromiseLike(value)) {
        return namesAreSecret(await value);
    }
    return Array.isArray(value) && (await Promise.all(value.filter((inner) => mayHoldSecret(inner)).map(resolvesSecret))).includes(true);
}

function keysOf(value: unknown): string[] {
    return value !== null && typeof value === "object" ? Object.keys(value) : [];
}

function isPlainMap(value: unknown): boolean {
    return value !== null && typeof value === "object" && !pulumi.Output.isInstance(value) && !isPromiseLike(value);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
    return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}
