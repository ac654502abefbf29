import { z } from "../../core/zod";
import { baseUrlSchema, type CheckFailure, type CommonInputs, describeValue } from "../../core/inputs";
import { shownUrl, userinfoProblem } from "../../core/http/url";
import { type CloudflarePlan, PLAN_LIMITS } from "./limits";

/** A kind's names: a list (each purged on create and when `triggers` change) or a map name -> content hash. */
export type Names = readonly string[] | Readonly<Record<string, string>>;

/** Cloudflare's inputs as the provider sees them after `check`. */
export interface CloudflareInputs extends CommonInputs {
    /** The zone's id (32 hex characters), as the dashboard's zone Overview shows it. */
    readonly zoneId: string;
    readonly files?: Names;
    readonly tags?: Names;
    readonly hosts?: Names;
    readonly prefixes?: Names;
    readonly purgeEverything: boolean;
    /** Header sets each file is purged with, for zones whose cache key includes request headers. */
    readonly cacheKeyHeaders?: readonly Readonly<Record<string, string>>[];
    readonly plan: CloudflarePlan;
    readonly apiToken?: string;
    /** The API root, canonical form. */
    readonly baseUrl: string;
}

export const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

/** Cloudflare's identifiers are 32 hex characters (OpenAPI `identifier`, maxLength 32; every documented example). */
const ZONE_ID = /^[0-9a-f]{32}$/;

/** The kinds of purge the API takes, by their body field; the input has the same name. */
export const KINDS = ["files", "tags", "hosts", "prefixes"] as const;
export type Kind = (typeof KINDS)[number];

/** Why a name of a kind is refused, or undefined. Messages never quote a URL's password or query. */
type Rule = (value: string) => string | undefined;

const RULES: Readonly<Record<Kind, Rule>> = {
    files: (value) => {
        const credentials = userinfoProblem(value);
        if (credentials !== undefined) {
            return credentials;
        }
        let url: URL;
        try {
            url = new URL(value);
        } catch {
            return `expected an absolute URL such as https://www.example.com/css/styles.css, got ${shownUrl(value)}`;
        }
        if (url.protocol !== "https:" && url.protocol !== "http:") {
            return `expected an http:// or https:// URL, got ${shownUrl(value)}`;
        }
        return /\s/.test(value) ? `must not contain blanks, got ${shownUrl(value)}` : undefined;
    },
    // Cache-Tag is a comma-separated header: a tag cannot hold a comma; the docs cap a tag at 1,024 characters.
    tags: (value) => (/[,\s]/.test(value) ? `a cache tag cannot contain commas or blanks, got ${JSON.stringify(value)}`
        : value.length > 1024 ? `a cache tag is at most 1,024 characters, got ${value.length}` : undefined),
    hosts: (value) => (/^[A-Za-z0-9.-]+(:\d+)?$/.test(value) ? undefined
        : `expected a host name such as www.example.com (no scheme, no path), got ${JSON.stringify(value)}`),
    // The docs' prefixes are host and path without a scheme: www.example.com/foo.
    prefixes: (value) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)
        ? `write the prefix without the scheme, as Cloudflare does: ${JSON.stringify(value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ""))}, got ${JSON.stringify(value)}`
        : /^[A-Za-z0-9.-]+(:\d+)?(\/\S*)?$/.test(value) ? undefined
            : `expected a host and an optional path such as www.example.com/foo, got ${JSON.stringify(value)}`),
};

/**
 * A list or a map name -> content hash, each name checked by the kind's rule. Checked by hand rather than as
 * a zod union: a union reports "invalid input" for the whole value, where a person needs the entry named.
 */
function namesSchema(kind: Kind) {
    return z.unknown().transform((value, ctx): Names => {
        const fail = (message: string, path: (string | number)[] = []) => {
            ctx.issues.push({ code: "custom", message, path, input: value });
        };
        const check = (name: unknown, path: (string | number)[]) => {
            if (typeof name !== "string" || name === "") {
                fail(`expected a non-empty string, got ${describeValue(name)}`, path);
                return;
            }
            const problem = RULES[kind](name);
            if (problem !== undefined) {
                fail(problem, path);
            }
        };
        if (Array.isArray(value)) {
            value.forEach((name, i) => check(name, [i]));
            if (value.length === 0) {
                fail("must list at least one entry, or be left out");
            }
            return [...new Set(value as string[])];
        }
        if (value !== null && typeof value === "object") {
            const map = value as Record<string, unknown>;
            const names = Object.keys(map);
            for (const name of names) {
                check(name, [name]);
                if (typeof map[name] !== "string") {
                    fail(`expected a content hash (a string), got ${describeValue(map[name])}`, [name]);
                }
            }
            if (names.length === 0) {
                fail("must map at least one entry to its content hash, or be left out");
            }
            return map as Record<string, string>;
        }
        const shown = kind === "files" && typeof value === "string" ? shownUrl(value) : describeValue(value);
        fail(`expected a list, or a map of each entry to its content hash, got ${shown}`);
        return [];
    });
}

export function cloudflareInputShape() {
    return {
        zoneId: z.string().superRefine((value, ctx) => {
            if (!ZONE_ID.test(value)) {
                ctx.addIssue({ code: "custom", message: `expected the zone's id: 32 lower-case hex characters, as the zone's Overview page in the dashboard shows it (API > Zone ID), got ${describeValue(value)}` });
            }
        }),
        files: namesSchema("files").optional(),
        tags: namesSchema("tags").optional(),
        hosts: namesSchema("hosts").optional(),
        prefixes: namesSchema("prefixes").optional(),
        purgeEverything: z.boolean().default(false),
        cacheKeyHeaders: z.array(z.record(z.string().regex(/^[A-Za-z0-9-]+$/, "expected a header name"), z.string())).min(1).max(100).optional(),
        plan: z.enum(["free", "pro", "business", "enterprise"]).default("free"),
        // Sent in a header: a blank inside can only be a copy-and-paste mistake.
        apiToken: z.string().min(1).refine((s) => !/\s/.test(s), { message: "must not contain spaces or line breaks" }).optional(),
        baseUrl: baseUrlSchema().default(DEFAULT_BASE_URL),
    };
}

/** What nothing in one input can say: something to purge, everything alone, header sets that fit a request. */
export function cloudflareCrossCheck(inputs: CloudflareInputs): CheckFailure[] {
    const named = KINDS.filter((kind) => inputs[kind] !== undefined);
    if (inputs.purgeEverything && named.length > 0) {
        return [{ property: "purgeEverything", reason: `purgeEverything, ${named.join(", ")}: purgeEverything already purges every file of the zone; pass one or the other` }];
    }
    if (!inputs.purgeEverything && named.length === 0) {
        return [{ property: "files", reason: "files, tags, hosts, prefixes or purgeEverything: name at least one thing to purge" }];
    }
    const variants = inputs.cacheKeyHeaders?.length ?? 1;
    const perRequest = PLAN_LIMITS[inputs.plan].filesPerRequest;
    if (inputs.cacheKeyHeaders !== undefined && inputs.files === undefined) {
        return [{ property: "cacheKeyHeaders", reason: "cacheKeyHeaders: applies to files only; pass files too, or leave it out" }];
    }
    if (variants > perRequest) {
        return [{ property: "cacheKeyHeaders", reason: `cacheKeyHeaders: ${variants} header sets, more than the ${perRequest} files one request may carry on the ${inputs.plan} plan` }];
    }
    return [];
}
