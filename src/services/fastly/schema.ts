import { z } from "../../core/zod";
import { baseUrlSchema, type CheckFailure, type CommonInputs, describeValue } from "../../core/inputs";
import { absoluteHttpUrl, type Names, namesSchema } from "../names";

/** Fastly's inputs as the provider sees them after `check`. */
export interface FastlyInputs extends CommonInputs {
    /** The service's id, as the Fastly control panel shows it beside the service's name. */
    readonly serviceId: string;
    readonly surrogateKeys?: Names;
    readonly urls?: Names;
    readonly purgeAll: boolean;
    readonly softPurge: boolean;
    readonly apiToken?: string;
    /** The API root, canonical form. */
    readonly baseUrl: string;
}

export const DEFAULT_BASE_URL = "https://api.fastly.com";

/** "Up to 256 surrogate keys can be purged in one batch request" (fastly-js `PurgeApi.bulkPurgeTag`, API reference). */
export const KEYS_PER_REQUEST = 256;

/**
 * A surrogate key: printable ASCII without blanks (keys travel space-separated in `Surrogate-Key`; the
 * Compute SDK docs: "only printable ASCII characters (those between 0x21 and 0x7E)"), at most 1,024 bytes.
 */
function surrogateKeyProblem(key: string): string | undefined {
    if (!/^[\x21-\x7E]+$/.test(key)) {
        return `a surrogate key holds only printable ASCII without blanks (0x21 to 0x7E), got ${describeValue(key)}`;
    }
    return key.length > 1024 ? `a surrogate key is at most 1,024 characters, got ${key.length}` : undefined;
}

export function fastlyInputShape() {
    return {
        // Fastly's ids are alphanumeric (the API reference: "Alphanumeric string identifying the service").
        serviceId: z.string().superRefine((value, ctx) => {
            if (!/^[A-Za-z0-9]+$/.test(value)) {
                ctx.addIssue({ code: "custom", message: `expected the service's id, an alphanumeric string such as SU1Z0isxPaozGVKXdv0eY, got ${describeValue(value)}` });
            }
        }),
        surrogateKeys: namesSchema(surrogateKeyProblem).optional(),
        urls: namesSchema(absoluteHttpUrl, true).optional(),
        purgeAll: z.boolean().default(false),
        softPurge: z.boolean().default(false),
        // Sent in a header: a blank inside can only be a copy-and-paste mistake.
        apiToken: z.string().min(1).refine((s) => !/\s/.test(s), { message: "must not contain spaces or line breaks" }).optional(),
        baseUrl: baseUrlSchema().default(DEFAULT_BASE_URL),
    };
}

/** Something to purge; purgeAll alone and never soft (Fastly: "Purge-all requests cannot be done in soft mode"). */
export function fastlyCrossCheck(inputs: FastlyInputs): CheckFailure[] {
    const named = (["surrogateKeys", "urls"] as const).filter((k) => inputs[k] !== undefined);
    if (inputs.purgeAll && named.length > 0) {
        return [{ property: "purgeAll", reason: `purgeAll, ${named.join(", ")}: purgeAll already purges everything the service cached; pass one or the other` }];
    }
    if (inputs.purgeAll && inputs.softPurge) {
        return [{ property: "softPurge", reason: "softPurge: Fastly cannot soft-purge everything; tag every response with one surrogate key (\"all\") and soft-purge that key instead, or leave softPurge out" }];
    }
    if (!inputs.purgeAll && named.length === 0) {
        return [{ property: "surrogateKeys", reason: "surrogateKeys, urls or purgeAll: name at least one thing to purge" }];
    }
    return [];
}
