import { z } from "../../core/zod";
import { baseUrlSchema, type CheckFailure, type CommonInputs, describeValue, formatPath } from "../../core/inputs";
import { shownUrl } from "../../core/http/url";
import { inspectPurgeUrl, urlEndpointProblem, wildcardRuleProblem } from "./url-rules";

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

type Urls = readonly string[] | Readonly<Record<string, string>>;

function canonical(url: string): string {
    return inspectPurgeUrl(url).canonical ?? url;
}

/**
 * `urls` is checked by hand rather than as a zod union: a union reports "invalid input" for the whole
 * value, where a person needs the one URL or hash at fault named. One pass validates every URL and
 * yields its canonical form: a map of 50,000 URLs is checked in every preview.
 */
function urlsSchema() {
    return z.unknown().transform((value, ctx): Urls => {
        const fail = (message: string, path: (string | number)[] = []) => {
            ctx.issues.push({ code: "custom", message, path, input: value });
        };
        const firstSeen = new Map<string, { raw: string; path: (string | number)[] }>();
        /** The URL's canonical form, or undefined (and an issue) when it is refused. */
        const canonicalOf = (url: unknown, path: (string | number)[]): string | undefined => {
            if (typeof url !== "string") {
                fail(`expected a URL (a string), got ${describeValue(url)}`, path);
                return undefined;
            }
            const { canonical, problem } = inspectPurgeUrl(url);
            if (problem !== undefined) {
                fail(problem, path);
                return undefined;
            }
            const first = firstSeen.get(canonical);
            if (first === undefined) {
                firstSeen.set(canonical, { raw: url, path });
            } else if (first.raw !== url) {
                fail(`${shownUrl(url)} is the same URL as ${formatPath(["urls", ...first.path])} (${shownUrl(first.raw)}), written differently; list each URL once`, path);
            }
            return canonical;
        };
        // The value itself when it is already canonical (hashFiles' always is): its JSON text is then the
        // one the provider was given, and is stored without being written again.
        let rewritten = false;
        if (Array.isArray(value)) {
            value.forEach((url, i) => {
                rewritten = canonicalOf(url, [i]) !== url || rewritten;
            });
            if (value.length === 0) {
                fail("must list at least one URL");
            }
            return rewritten || firstSeen.size !== value.length ? [...firstSeen.keys()] : value as string[];
        }
        if (value !== null && typeof value === "object") {
            const map = value as Record<string, unknown>;
            let count = 0;
            // `for in` over an own-keys-only object (JSON's): Object.entries made 50,000 arrays for the GC.
            for (const url in map) {
                if (!Object.hasOwn(map, url)) {
                    continue;
                }
                count++;
                rewritten = canonicalOf(url, [url]) !== url || rewritten;
                if (typeof map[url] !== "string") {
                    fail(`expected a content hash (a string), got ${describeValue(map[url])}`, [url]);
                }
            }
            if (count === 0) {
                fail("must map at least one URL to its content hash");
            }
            // Copied only when a URL was written differently (hashFiles' never are).
            return rewritten ? Object.fromEntries(Object.entries(map).map(([url, hash]) => [canonical(url), hash as string])) : map as Record<string, string>;
        }
        fail(value === undefined
            ? "required, expected a list of URLs or a map of URL to content hash"
            : `expected a list of URLs or a map of URL to content hash, got ${typeof value === "string" ? shownUrl(value) : describeValue(value)}`);
        return [];
    });
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
    const failures: CheckFailure[] = [];
    const judge = (url: string, key: string | number) => {
        const problem = wildcardRuleProblem(url, inputs.urlEndpoint);
        if (problem !== undefined) {
            failures.push({ property: "urls", reason: `${formatPath(["urls", key])}: ${problem}` });
        }
    };
    if (Array.isArray(inputs.urls)) {
        (inputs.urls as readonly string[]).forEach(judge);
    } else {
        for (const url in inputs.urls) {
            if (Object.hasOwn(inputs.urls, url)) {
                judge(url, url);
            }
        }
    }
    return failures;
}
