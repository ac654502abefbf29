import { z } from "../../core/zod";
import { baseUrlSchema, type CheckFailure, type CommonInputs, describeValue } from "../../core/inputs";

/** Codemagic's public API; the caches endpoints exist only on this legacy API, not on v3. */
export const DEFAULT_BASE_URL = "https://api.codemagic.io";
export const DEFAULT_WAIT_TIMEOUT_MS = 120_000;

/** Codemagic's inputs as the provider sees them after `check`. */
export interface CodemagicInputs extends CommonInputs {
    /** The legacy API root, canonical form. */
    readonly baseUrl: string;
    readonly appId: string;
    /** Workflow id -> content hash; each workflow is a target purged when its hash changes. */
    readonly workflows?: Readonly<Record<string, string>>;
    /** Cache ids; each is a target. */
    readonly cacheIds?: readonly string[];
    readonly wait: boolean;
    readonly waitTimeoutMs: number;
    /** Fail, before deleting anything, when a workflow key matches no cache of the app. */
    readonly failOnUnmatchedWorkflow: boolean;
    readonly token?: string;
}

/** Codemagic ids (apps, caches) are MongoDB ObjectIds. */
const OBJECT_ID = /^[0-9a-f]{24}$/;

function objectIdSchema(what: string, example: string) {
    return z.string().superRefine((value, ctx) => {
        if (!OBJECT_ID.test(value)) {
            ctx.addIssue({ code: "custom", message: `expected a ${what}: 24 lower-case hexadecimal characters such as ${example}, got ${describeValue(value)}` });
        }
    });
}

function workflowsSchema() {
    return z.record(z.string(), z.string()).superRefine((workflows, ctx) => {
        const keys = Object.keys(workflows);
        if (keys.length === 0) {
            ctx.addIssue({ code: "custom", message: "must name at least one workflow; omit workflows to purge every cache of the app" });
        }
        for (const key of keys) {
            if (key.trim() === "") {
                ctx.addIssue({ code: "custom", path: [key], message: "a workflow id must not be empty; use the workflow's key from codemagic.yaml, such as build-ipa" });
            } else if (key.trim() !== key) {
                ctx.addIssue({ code: "custom", path: [key], message: `a workflow id must not start or end with blanks, got ${describeValue(key)}` });
            }
        }
    });
}

function cacheIdsSchema() {
    return z.array(objectIdSchema("cache id", "620f9f218ab90da6b1b22e0e")).superRefine((ids, ctx) => {
        if (ids.length === 0) {
            ctx.addIssue({ code: "custom", message: "must name at least one cache; omit cacheIds to purge every cache of the app" });
        }
        ids.forEach((id, index) => {
            if (ids.indexOf(id) !== index) {
                ctx.addIssue({ code: "custom", path: [index], message: `${describeValue(id)} is listed twice` });
            }
        });
    });
}

/** A token travels in a header; blanks inside it can only be a copy-and-paste mistake. */
function tokenSchema() {
    return z.string().min(1).refine((s) => !/\s/.test(s), { message: "must not contain spaces or line breaks" }).optional();
}

export function codemagicInputShape() {
    return {
        baseUrl: baseUrlSchema().default(DEFAULT_BASE_URL),
        appId: objectIdSchema("Codemagic app id", "60ddd0b747960e00124747cb"),
        workflows: workflowsSchema().optional(),
        cacheIds: cacheIdsSchema().optional(),
        wait: z.boolean().default(false),
        waitTimeoutMs: z.number().int().min(1_000).max(3_600_000).default(DEFAULT_WAIT_TIMEOUT_MS),
        failOnUnmatchedWorkflow: z.boolean().default(false),
        token: tokenSchema(),
    };
}

/** The two target modes name different things; mixing them would leave it unclear what a change purges. */
export function codemagicCrossCheck(inputs: CodemagicInputs): CheckFailure[] {
    if (inputs.workflows === undefined || inputs.cacheIds === undefined) {
        return [];
    }
    const reason = "workflows and cacheIds: pass one of them, not both (workflows purges the caches of named workflows, "
        + "cacheIds purges named caches; omit both to purge every cache of the app)";
    return [{ property: "workflows", reason }];
}
