import type { z as zod } from "zod";
import { z } from "./zod";
import { baseUrlProblem, normalizeBaseUrl, urlTextWithoutSecrets } from "./http/url";
import { isUnknown } from "./unknown";
import { escapeControlCharacters } from "./control-characters";

export { CONTROL_CHARACTER, escapeControlCharacters } from "./control-characters";

/** The inputs every purge resource has, as the provider sees them after `check` filled in the defaults. */
export interface CommonInputs {
    readonly triggers: Readonly<Record<string, string>>;
    readonly purgeOnCreate: boolean;
    readonly purgeOnDelete: boolean;
    readonly forcePurge?: string;
    readonly timeoutMs: number;
    readonly maxRetries: number;
    readonly maxRetryDelayMs: number;
    readonly purgeTimeoutMs: number;
    /** Trigger names whose values are secrets: set by the resource, program side, which alone can tell. */
    readonly __secretTriggers: readonly string[];
    /** Whether `forcePurge` is a secret; set by the resource. */
    readonly __secretForcePurge: boolean;
    /** Whether a target's own trigger (a URL's or a workflow's hash) is a secret; set by the resource. */
    readonly __secretTargets: boolean;
    /** The inputs whose target names (URLs, workflows) are secret, as a whole map or list was; set by the resource. */
    readonly __secretTargetNames: readonly string[];
    /** The settings inputs (a base URL) that are secrets: the scope and request URLs built from them are unshown; set by the resource. */
    readonly __secretSettings: readonly string[];
}

/** A failed input rule, as Pulumi shows it: the top-level input and a reason that names the exact path. */
export interface CheckFailure {
    readonly property: string;
    readonly reason: string;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;
/** Half an hour: above the longest wait for an asynchronous purge that a service allows by default. */
export const DEFAULT_PURGE_TIMEOUT_MS = 1_800_000;

/** The zod shape of the common inputs. Built on call: zod schemas must never be captured by a serialized provider. */
export function commonInputShape() {
    return {
        triggers: z.record(z.string().min(1, "a trigger name must not be empty"), z.string()).default({}),
        purgeOnCreate: z.boolean().default(true),
        purgeOnDelete: z.boolean().default(false),
        // Compared as text, so `Date.now()`, `1` and `"1"` all work and mean the same.
        forcePurge: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
        timeoutMs: z.number().int().min(100).max(600_000).default(DEFAULT_TIMEOUT_MS),
        maxRetries: z.number().int().min(0).max(10).default(DEFAULT_MAX_RETRIES),
        maxRetryDelayMs: z.number().int().min(0).max(3_600_000).default(DEFAULT_MAX_RETRY_DELAY_MS),
        purgeTimeoutMs: z.number().int().min(1_000).max(7_200_000).default(DEFAULT_PURGE_TIMEOUT_MS),
        __secretTriggers: z.array(z.string()).default([]),
        __secretForcePurge: z.boolean().default(false),
        __secretTargets: z.boolean().default(false),
        __secretTargetNames: z.array(z.string()).default([]),
        __secretSettings: z.array(z.string()).default([]),
    };
}

/**
 * A base URL input: https (http only for localhost), stored in canonical form so reformatting it never
 * counts as a change.
 */
export function baseUrlSchema() {
    return z.string().superRefine((value, ctx) => {
        const problem = baseUrlProblem(value);
        if (problem !== undefined) {
            ctx.addIssue({ code: "custom", message: problem });
        }
    }).transform(normalizeBaseUrl);
}

/** A non-empty string without surrounding blanks, for ids and names. */
export function nonEmptyString() {
    return z.string().refine((s) => s.trim() !== "", { message: "must not be empty" });
}

/**
 * A value that becomes one path segment of a request URL (a workspace handle, a project name). It is
 * percent-encoded when sent, but "." and ".." would still name another path, so they are refused here,
 * where the message can name the input.
 */
export function pathSegment() {
    return nonEmptyString()
        .refine((s) => s !== "." && s !== "..", { message: "must not be \".\" or \"..\"" })
        .refine((s) => !LONE_SURROGATE.test(s), { message: "must be valid Unicode text (it holds half of a surrogate pair, which no URL can carry)" });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Issue = zod.core.$ZodIssue;

/**
 * Turns zod's issues into Pulumi check failures: one per issue, all at once, each naming the path, the
 * value (never a secret's) and what is allowed. Issues about values not known until apply are dropped:
 * they are checked again when the values are known.
 */
export function toCheckFailures(issues: readonly Issue[], input: Readonly<Record<string, unknown>>, secretFields: ReadonlySet<string>, allowedInputs: readonly string[] = []): CheckFailure[] {
    const failures: CheckFailure[] = [];
    for (const issue of issues) {
        if (issue.code === "unrecognized_keys" && issue.path.length === 0) {
            // A misspelt input is the usual cause: name it, and the inputs that do exist.
            const allowed = allowedInputs.length > 0 ? `; expected one of ${[...allowedInputs].sort().join(", ")}` : "";
            failures.push(...issue.keys.map((key) => ({ property: key, reason: `${key}: unknown input${allowed}` })));
            continue;
        }
        const value = valueAt(input, issue.path);
        if (isUnknown(value)) {
            continue;
        }
        const property = issue.path.length > 0 ? String(issue.path[0]) : "(inputs)";
        const shown = secretFields.has(property) ? "[secret]" : describeValue(value);
        failures.push({ property, reason: `${formatPath(issue.path)}: ${describeIssue(issue, shown)}` });
    }
    return failures;
}

function describeIssue(issue: Issue, shown: string): string {
    switch (issue.code) {
        case "invalid_type":
            return shown === "undefined" ? `required, expected ${article(issue.expected)}` : `expected ${article(issue.expected)}, got ${shown}`;
        case "invalid_value":
            return `expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}, got ${shown}`;
        case "too_small":
            return issue.origin === "string" && issue.minimum === 1
                ? `must not be empty`
                : `expected at least ${issue.minimum}${issue.origin === "string" ? " characters" : ""}, got ${shown}`;
        case "too_big":
            return `expected at most ${issue.maximum}${issue.origin === "string" ? " characters" : ""}, got ${shown}`;
        case "unrecognized_keys":
            return `unknown input${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
        case "invalid_format":
            return `expected ${issue.format}, got ${shown}`;
        case "custom":
            return issue.message;
        case "invalid_union": {
            const expected = issue.errors.map((e) => (e[0]?.code === "invalid_type" ? article(e[0].expected) : undefined));
            return expected.every((e) => e !== undefined) ? `expected ${expected.join(", ")}; got ${shown}` : `${issue.message}, got ${shown}`;
        }
        case "invalid_key":
            // zod says only "Invalid key in record"; the key's own rule says what is wrong with it.
            return issue.issues.map((i) => i.message).join("; ");
        default:
            return `${issue.message}, got ${shown}`;
    }
}

function article(type: string): string {
    const words: Record<string, string> = {
        string: "a string", number: "a number", int: "a whole number", boolean: "true or false",
        object: "an object", record: "an object", array: "a list", map: "an object",
    };
    return words[type] ?? type;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
    let current: unknown = input;
    for (const key of path) {
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Record<PropertyKey, unknown>)[key];
    }
    return current;
}

/** Inputs whose map keys are URLs (a URL map of any service). */
const URL_INPUTS = new Set(["baseUrl", "urls", "files"]);

export function formatPath(path: readonly PropertyKey[]): string {
    if (path.length === 0) {
        return "inputs";
    }
    let out = String(path[0]);
    for (const key of path.slice(1)) {
        // A key under a URL input is a URL (a map of URL to content hash): quoted without its credentials, query or fragment.
        const text = URL_INPUTS.has(String(path[0])) ? urlTextWithoutSecrets(String(key)) : String(key);
        out += typeof key === "number" ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(text) ? `.${text}` : `[${quoteName(text)}]`;
    }
    return out;
}

/**
 * A name quoted as JSON, with every control character escaped (`\n`, `\u001b`, and the C1 and
 * bidirectional controls JSON leaves as they are, `\u202e`), so a message quoting a name can never
 * paint a line, a colour or a reordering of its own in a terminal.
 */
export function quoteName(name: string): string {
    // JSON writes C0 controls as `\n` or `\u001b` already; the rest are left to the escape.
    return escapeControlCharacters(JSON.stringify(name));
}

/** A value as an error message shows it: quoted strings, short, no newlines. */
export function describeValue(value: unknown): string {
    if (value === undefined) {
        return "undefined";
    }
    if (typeof value === "number" && !Number.isFinite(value)) {
        return String(value);
    }
    let text: string;
    try {
        text = escapeControlCharacters(JSON.stringify(value) ?? String(value));
    } catch {
        text = String(value);
    }
    return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
