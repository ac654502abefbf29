import type { z as zod } from "zod";
import { z } from "../../core/zod";
import { baseUrlSchema, type CheckFailure, type CommonInputs, describeValue, formatPath } from "../../core/inputs";
import { shownUrl } from "../../core/http/url";
import { canonicalPurgeUrl, urlEndpointProblem, urlFormProblem, wildcardRuleProblem } from "./url-rules";

/** ImageKit's inputs as the provider sees them after `check`. */
export interface ImageKitInputs extends CommonInputs {
    /** A list (deduplicated, in first-seen order) or a map URL -> content hash. */
    readonly urls: readonly string[] | Readonly<Record<string, string>>;
    readonly privateKey?: string;
    /** The API root, canonical form. */
    readonly baseUrl: string;
    readonly wait: boolean;
    readonly waitTimeoutMs: number;
    readonly maxPurgeRequests: number;
    /** The account's URL endpoint under which the URLs live, without a trailing `/`; the wildcard rule judges the path after it. */
    readonly urlEndpoint?: string;
}

export const DEFAULT_BASE_URL = "https://api.imagekit.io";
/** ImageKit's monthly purge quota per account (older docs; raise it if support raised yours). */
export const DEFAULT_MAX_PURGE_REQUESTS = 1000;
export const DEFAULT_WAIT_TIMEOUT_MS = 300_000;

type Ctx = zod.core.$RefinementCtx<unknown>;

/**
 * `urls` is checked by hand rather than as a zod union: a union reports "invalid input" for the whole
 * value, where a person needs the one URL or hash at fault named.
 */
function urlsSchema() {
    return z.unknown().superRefine((value, ctx) => {
        const seen = new Map<string, { raw: string; path: (string | number)[] }>();
        const once = (url: unknown, path: (string | number)[]) => {
            const canonical = typeof url === "string" ? canonicalPurgeUrl(url) : undefined;
            if (canonical === undefined) {
                return;
            }
            const first = seen.get(canonical);
            if (first === undefined) {
                seen.set(canonical, { raw: url as string, path });
            } else if (first.raw !== url) {
                ctx.addIssue({
                    code: "custom", path,
                    message: `${shownUrl(url as string)} is the same URL as ${formatPath(["urls", ...first.path])} (${shownUrl(first.raw)}), written differently; list each URL once`,
                });
            }
        };
        if (Array.isArray(value)) {
            value.forEach((url, i) => {
                checkUrl(url, [i], ctx);
                once(url, [i]);
            });
            if (value.length === 0) {
                ctx.addIssue({ code: "custom", message: "must list at least one URL" });
            }
        } else if (value !== null && typeof value === "object") {
            const entries = Object.entries(value);
            for (const [url, hash] of entries) {
                checkUrl(url, [url], ctx);
                once(url, [url]);
                if (typeof hash !== "string") {
                    ctx.addIssue({ code: "custom", path: [url], message: `expected a content hash (a string), got ${describeValue(hash)}` });
                }
            }
            if (entries.length === 0) {
                ctx.addIssue({ code: "custom", message: "must map at least one URL to its content hash" });
            }
        } else {
            ctx.addIssue({
                code: "custom",
                message: value === undefined
                    ? "required, expected a list of URLs or a map of URL to content hash"
                    : `expected a list of URLs or a map of URL to content hash, got ${typeof value === "string" ? shownUrl(value) : describeValue(value)}`,
            });
        }
    }).transform((value) => (Array.isArray(value)
        ? [...new Set((value as string[]).map(canonical))]
        : Object.fromEntries(Object.entries(value as Record<string, string>).map(([url, hash]) => [canonical(url), hash]))));
}

function canonical(url: string): string {
    return canonicalPurgeUrl(url) ?? url;
}

function checkUrl(url: unknown, path: (string | number)[], ctx: Ctx): void {
    if (typeof url !== "string") {
        ctx.addIssue({ code: "custom", path, message: `expected a URL (a string), got ${describeValue(url)}` });
        return;
    }
    const problem = urlFormProblem(url);
    if (problem !== undefined) {
        ctx.addIssue({ code: "custom", path, message: problem });
    }
}

export function imagekitInputShape() {
    return {
        urls: urlsSchema(),
        privateKey: z.string().min(1).refine((s) => !/\s/.test(s), { message: "must not contain spaces or line breaks" }).optional(),
        baseUrl: baseUrlSchema().default(DEFAULT_BASE_URL),
        wait: z.boolean().default(false),
        waitTimeoutMs: z.number().int().min(1000).max(3_600_000).default(DEFAULT_WAIT_TIMEOUT_MS),
        maxPurgeRequests: z.number().int().min(1).default(DEFAULT_MAX_PURGE_REQUESTS),
        urlEndpoint: z.string().superRefine((value, ctx) => {
            const problem = urlEndpointProblem(value);
            if (problem !== undefined) {
                ctx.addIssue({ code: "custom", message: problem });
            }
        }).transform((value) => value.replace(/\/+$/, "")).optional(),
    };
}

/** The wildcard rule needs the URL endpoint, another input, so it runs once both are parsed. */
export function imagekitCrossCheck(inputs: ImageKitInputs): CheckFailure[] {
    const list = Array.isArray(inputs.urls) ? (inputs.urls as readonly string[]).map((url, i) => [url, i] as const)
        : Object.keys(inputs.urls).map((url) => [url, url] as const);
    return list.flatMap(([url, key]) => {
        const problem = wildcardRuleProblem(url, inputs.urlEndpoint);
        return problem === undefined ? [] : [{ property: "urls", reason: `${formatPath(["urls", key])}: ${problem}` }];
    });
}
