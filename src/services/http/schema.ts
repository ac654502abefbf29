import { z } from "../../core/zod";
import { type CommonInputs, describeValue } from "../../core/inputs";
import { jsonPathProblem } from "./json-path";

export const METHODS = ["POST", "GET", "PUT", "PATCH", "DELETE"] as const;
export type Method = typeof METHODS[number];

/** One request, before `{target}` is filled in. */
export interface RequestTemplate {
    readonly method: Method;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly json?: unknown;
    readonly form?: Readonly<Record<string, string>>;
}

export interface BatchSettings {
    readonly size: number;
    readonly jsonPath?: string;
    readonly header?: string;
}

export interface SuccessRule {
    readonly statuses: readonly number[];
    readonly jsonPath?: string;
    readonly equals?: string | number | boolean;
}

export interface WaitSettings {
    readonly url: string;
    readonly idPath: string;
    readonly donePath: string;
    readonly doneValue: string | number | boolean;
    readonly timeoutMs: number;
}

/** The generic HTTP purge's inputs as the provider sees them after `check`. */
export interface HttpInputs extends CommonInputs {
    readonly request: RequestTemplate;
    readonly secretHeaders: Readonly<Record<string, string>>;
    /** A list (deduplicated, in first-seen order) or a map target -> trigger; none for one request. */
    readonly targets?: readonly string[] | Readonly<Record<string, string>>;
    readonly batch?: BatchSettings;
    readonly success: SuccessRule;
    readonly maxRequestsPerSecond?: number;
    readonly maxRequests: number;
    readonly wait?: WaitSettings;
}

export const DEFAULT_SUCCESS_STATUSES: readonly number[] = [200, 201, 202, 203, 204];
export const DEFAULT_MAX_REQUESTS = 1000;
export const DEFAULT_WAIT_TIMEOUT_MS = 300_000;
const MAX_TEMPLATE_CHARS = 8192;
const MAX_TARGET_CHARS = 8192;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSENDABLE = "must be valid Unicode text (it holds half of a surrogate pair, which no URL or body can carry)";

/** RFC 9110's token: the characters a header name may hold. */
export const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function headerName() {
    return z.string().regex(HEADER_NAME, { message: "expected a header name: letters, digits and !#$%&'*+-.^_`|~, no blanks or colons" });
}

function template() {
    return z.string().min(1).max(MAX_TEMPLATE_CHARS);
}

function jsonPath() {
    return z.string().superRefine((value, ctx) => {
        const problem = jsonPathProblem(value);
        if (problem !== undefined) {
            ctx.addIssue({ code: "custom", message: problem });
        }
    });
}

/**
 * Secret headers are checked by hand, so that no message quotes a value: zod's own messages would
 * (`expected a string, got "Bearer sk_live_…"`).
 */
function secretHeadersSchema() {
    return z.unknown().transform((value, ctx): Record<string, string> => {
        const fail = (message: string, path: (string | number)[] = []) => ctx.issues.push({ code: "custom", message, path, input: undefined });
        if (value === undefined) {
            return {};
        }
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            fail("expected a map of header name to value");
            return {};
        }
        for (const [name, header] of Object.entries(value as Record<string, unknown>)) {
            if (!HEADER_NAME.test(name)) {
                fail("expected a header name: letters, digits and !#$%&'*+-.^_`|~, no blanks or colons", [name]);
            } else if (typeof header !== "string" || header === "") {
                fail("expected a non-empty string (the value is not shown: it is secret)", [name]);
            } else if (/[\r\n]/.test(header)) {
                fail("must not contain a line break (CR or LF); copy the value again without the end of line", [name]);
            } else if (/[^\u0020-\u007E\u0080-\u00FF\t]/.test(header)) {
                fail("must contain only printable Latin-1 characters, since it is sent in an HTTP header; copy the value again", [name]);
            }
        }
        return value as Record<string, string>;
    });
}

type Targets = readonly string[] | Readonly<Record<string, string>>;

/** Checked by hand, as ImageKit's `urls` are: one pass, naming the one target at fault. */
function targetsSchema() {
    return z.unknown().transform((value, ctx): Targets | undefined => {
        const fail = (message: string, path: (string | number)[] = []) => ctx.issues.push({ code: "custom", message, path, input: value });
        const targetProblem = (target: unknown): string | undefined => {
            if (typeof target !== "string" || target === "") {
                return `expected a target (a non-empty string), got ${describeValue(target)}`;
            }
            if (LONE_SURROGATE.test(target)) {
                return UNSENDABLE;
            }
            return target.length > MAX_TARGET_CHARS ? `expected a target of at most ${MAX_TARGET_CHARS} characters, got ${target.length}` : undefined;
        };
        if (value === undefined) {
            return undefined;
        }
        if (Array.isArray(value)) {
            const seen = new Set<string>();
            value.forEach((target, i) => {
                const problem = targetProblem(target);
                if (problem !== undefined) {
                    fail(problem, [i]);
                } else {
                    seen.add(target as string);
                }
            });
            if (value.length === 0) {
                fail("must list at least one target; leave targets out for one request driven by triggers");
            }
            return seen.size === value.length ? value as string[] : [...seen];
        }
        if (value !== null && typeof value === "object") {
            const map = value as Record<string, unknown>;
            let count = 0;
            for (const target in map) {
                if (!Object.hasOwn(map, target)) {
                    continue;
                }
                count++;
                if (LONE_SURROGATE.test(target)) {
                    fail(UNSENDABLE, [target]);
                } else if (target.length > MAX_TARGET_CHARS) {
                    fail(`expected a target of at most ${MAX_TARGET_CHARS} characters, got ${target.length}`, [target.slice(0, 40)]);
                } else if (typeof map[target] !== "string") {
                    fail(`expected a trigger (a string), got ${describeValue(map[target])}`, [target]);
                }
            }
            if (count === 0) {
                fail("must map at least one target to its trigger; leave targets out for one request driven by triggers");
            }
            return map as Record<string, string>;
        }
        fail(`expected a list of targets or a map of target to trigger, got ${describeValue(value)}`);
        return undefined;
    });
}

const scalar = () => z.union([z.string(), z.number(), z.boolean()]);

export function httpInputShape() {
    return {
        request: z.strictObject({
            method: z.enum(METHODS).default("POST"),
            url: template(),
            headers: z.record(headerName(), z.string().max(MAX_TEMPLATE_CHARS)).default({}),
            json: z.unknown().optional(),
            form: z.record(z.string(), z.string().max(MAX_TEMPLATE_CHARS)).optional(),
        }),
        secretHeaders: secretHeadersSchema().default({}),
        targets: targetsSchema().optional(),
        batch: z.strictObject({
            size: z.number().int().min(1).max(10_000),
            jsonPath: jsonPath().optional(),
            header: headerName().optional(),
        }).optional(),
        success: z.strictObject({
            statuses: z.array(z.number().int().min(100).max(599)).min(1).default([...DEFAULT_SUCCESS_STATUSES]),
            jsonPath: jsonPath().optional(),
            equals: scalar().optional(),
        }).default({ statuses: [...DEFAULT_SUCCESS_STATUSES] }),
        maxRequestsPerSecond: z.number().positive().max(10_000).optional(),
        maxRequests: z.number().int().min(1).max(1_000_000).default(DEFAULT_MAX_REQUESTS),
        wait: z.strictObject({
            url: template(),
            idPath: jsonPath(),
            donePath: jsonPath(),
            doneValue: scalar(),
            timeoutMs: z.number().int().min(1000).max(3_600_000).default(DEFAULT_WAIT_TIMEOUT_MS),
        }).optional(),
    };
}
