import { z } from "../../core/zod";
import { baseUrlSchema, type CheckFailure, type CommonInputs, describeValue, nonEmptyString } from "../../core/inputs";
import { formatCount } from "../../core/count";
import { isWildcard, MAX_FILE_PATHS_IN_PROGRESS, MAX_WILDCARD_PATHS_IN_PROGRESS, pathProblem } from "./paths";

/** CloudFront's inputs as the provider sees them after `check`. */
export interface CloudFrontInputs extends CommonInputs {
    readonly distributionId: string;
    /** A list (deduplicated, in first-seen order) or a map path -> content hash. */
    readonly paths: readonly string[] | Readonly<Record<string, string>>;
    /** The API root, canonical form. */
    readonly endpoint: string;
    readonly region: string;
    readonly profile?: string;
    readonly accessKeyId?: string;
    readonly secretAccessKey?: string;
    readonly sessionToken?: string;
    readonly collapseAbove?: number;
    readonly maxPathsPerDeployment?: number;
    readonly wait: boolean;
    readonly waitTimeoutMs: number;
}

/** CloudFront's one global endpoint (API Reference, "Making API requests"); signed for us-east-1. */
export const DEFAULT_ENDPOINT = "https://cloudfront.amazonaws.com";
export const DEFAULT_REGION = "us-east-1";
/** Invalidations usually complete within minutes (Developer Guide); 15 minutes leaves room for a slow one. */
export const DEFAULT_WAIT_TIMEOUT_MS = 900_000;

type Paths = readonly string[] | Readonly<Record<string, string>>;

/**
 * `paths` is checked by hand rather than as a zod union, as ImageKit's `urls` are: each failure names the
 * one path or hash at fault.
 */
function pathsSchema() {
    return z.unknown().transform((value, ctx): Paths => {
        const fail = (message: string, path: (string | number)[] = []) => {
            ctx.issues.push({ code: "custom", message, path, input: value });
        };
        const judge = (path: unknown, at: string | number): path is string => {
            if (typeof path !== "string") {
                fail(`expected a path (a string), got ${describeValue(path)}`, [at]);
                return false;
            }
            const problem = pathProblem(path);
            if (problem !== undefined) {
                fail(problem, [at]);
                return false;
            }
            return true;
        };
        if (Array.isArray(value)) {
            value.forEach((path, i) => judge(path, i));
            if (value.length === 0) {
                fail("must list at least one path, such as /index.html or /*");
            }
            return [...new Set(value as string[])];
        }
        if (value !== null && typeof value === "object") {
            const map = value as Record<string, unknown>;
            const keys = Object.keys(map);
            for (const key of keys) {
                judge(key, key);
                if (typeof map[key] !== "string") {
                    fail(`expected a content hash (a string), got ${describeValue(map[key])}`, [key]);
                }
            }
            if (keys.length === 0) {
                fail("must map at least one path to its content hash");
            }
            return map as Record<string, string>;
        }
        fail(value === undefined
            ? "required, expected a list of paths or a map of path to content hash"
            : `expected a list of paths or a map of path to content hash, got ${describeValue(value)}`);
        return [];
    });
}

/** An AWS credential part: text with no blanks, which the SDK signs with. */
function credentialText() {
    return z.string().min(1).refine((s) => !/\s/.test(s), { message: "must not contain spaces or line breaks" });
}

export function cloudfrontInputShape() {
    return {
        distributionId: nonEmptyString().refine((s) => /^[A-Z0-9]+$/.test(s), {
            message: "expected a distribution id: upper-case letters and digits, such as E2QWRUHEXAMPLE (the ID column of the CloudFront console)",
        }),
        paths: pathsSchema(),
        endpoint: baseUrlSchema().default(DEFAULT_ENDPOINT),
        region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "expected an AWS region such as us-east-1").default(DEFAULT_REGION),
        profile: nonEmptyString().optional(),
        accessKeyId: credentialText().optional(),
        secretAccessKey: credentialText().optional(),
        sessionToken: credentialText().optional(),
        collapseAbove: z.number().int().min(0).optional(),
        maxPathsPerDeployment: z.number().int().min(1).optional(),
        wait: z.boolean().default(false),
        waitTimeoutMs: z.number().int().min(1000).max(3_600_000).default(DEFAULT_WAIT_TIMEOUT_MS),
    };
}

/** The paths one invalidation may carry: CloudFront refuses a batch above its in-progress limits at once. */
export function pathLimitFailures(sent: readonly string[]): CheckFailure[] {
    const wildcards = sent.filter(isWildcard).length;
    const files = sent.length - wildcards;
    const failures: CheckFailure[] = [];
    if (files > MAX_FILE_PATHS_IN_PROGRESS) {
        failures.push({ property: "paths", reason: `paths: this update would invalidate ${formatCount(files)} file paths in one invalidation, more than CloudFront's `
            + `${formatCount(MAX_FILE_PATHS_IN_PROGRESS)} file paths in progress per distribution; set collapseAbove (say 1000) to send /* instead, or purge a folder with a trailing *` });
    }
    if (wildcards > MAX_WILDCARD_PATHS_IN_PROGRESS) {
        failures.push({ property: "paths", reason: `paths: this update would invalidate ${formatCount(wildcards)} wildcard paths in one invalidation, more than CloudFront's `
            + `${MAX_WILDCARD_PATHS_IN_PROGRESS} wildcard paths in progress per distribution; use fewer, wider wildcards, or set collapseAbove to send /* instead` });
    }
    return failures;
}

/** Static keys come in pairs: an access key id without its secret (or the reverse) is a mistake, not a choice. */
export function cloudfrontCredentialPairs(values: Readonly<Record<string, string | undefined>>): CheckFailure[] {
    const hasId = values.accessKeyId !== undefined;
    const hasSecret = values.secretAccessKey !== undefined;
    if (hasId === hasSecret) {
        return [];
    }
    const [given, missing] = hasId ? ["accessKeyId", "secretAccessKey"] : ["secretAccessKey", "accessKeyId"];
    return [{
        property: missing,
        reason: `${missing}: ${given} is set (input, stack config or environment) but ${missing} is not; set both, or neither to use the AWS SDK's `
            + "credential chain (AWS_PROFILE or profile, SSO, the role of the machine or CI runner)",
    }];
}
