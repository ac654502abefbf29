import { z } from "../../core/zod";
import { baseUrlSchema, type CheckFailure, type CommonInputs, describeValue } from "../../core/inputs";
import { type CloudflarePlan, PLAN_LIMITS } from "./limits";
import { absoluteHttpUrl, type NameRule, type Names, namesSchema } from "../names";

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
const RULES: Readonly<Record<Kind, NameRule>> = {
    files: absoluteHttpUrl,
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

export function cloudflareInputShape() {
    return {
        zoneId: z.string().superRefine((value, ctx) => {
            if (!ZONE_ID.test(value)) {
                ctx.addIssue({ code: "custom", message: `expected the zone's id: 32 lower-case hex characters, as the zone's Overview page in the dashboard shows it (API > Zone ID), got ${describeValue(value)}` });
            }
        }),
        files: namesSchema(RULES.files, true).optional(),
        tags: namesSchema(RULES.tags).optional(),
        hosts: namesSchema(RULES.hosts).optional(),
        prefixes: namesSchema(RULES.prefixes).optional(),
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
