import type { CredentialSpec } from "../../core/credentials";
import type { PurgeService } from "../../core/service";
import { cloudflareTargets, planBatches } from "./batches";
import { cloudflareErrorMessage, cloudflareRateLimit, purgeEndpoint } from "./client";
import { purgeCloudflare } from "./purge";
import { cloudflareCrossCheck, cloudflareInputShape, type CloudflareInputs } from "./schema";

const credentials: readonly CredentialSpec[] = [
    { input: "apiToken", configKey: "cache-purge:cloudflareApiToken", envVar: "CLOUDFLARE_API_TOKEN", description: "API token", secret: true },
];

/**
 * The zone's purge endpoint, and the header sets files are purged with: a zone's cache keyed on other
 * headers holds other copies, so a change of them purges every target again.
 */
export function cloudflareScope(inputs: CloudflareInputs): string {
    const endpoint = purgeEndpoint(inputs.baseUrl, inputs.zoneId).toString();
    return inputs.cacheKeyHeaders === undefined ? endpoint : `${endpoint} with cache key headers ${JSON.stringify(inputs.cacheKeyHeaders)}`;
}

const SINGULAR = { files: "file", tags: "tag", hosts: "host", prefixes: "prefix" } as const;

/** One line per request: the endpoint and what it carries, so preview shows the batching. */
export function cloudflareRequests(inputs: CloudflareInputs, keys: readonly string[]): string[] {
    const endpoint = purgeEndpoint(inputs.baseUrl, inputs.zoneId).toString();
    return planBatches(inputs, keys).map((batch) => {
        const count = batch.keys.length;
        const what = batch.kind === "everything" ? "purge_everything" : `${count} ${count === 1 ? SINGULAR[batch.kind] : batch.kind}`;
        return `POST ${endpoint} (${what})`;
    });
}

export const cloudflareService: PurgeService<CloudflareInputs> = {
    name: "cloudflare",
    credentials,
    inputShape: cloudflareInputShape,
    crossCheck: cloudflareCrossCheck,
    scope: cloudflareScope,
    targets: cloudflareTargets,
    describeRequests: cloudflareRequests,
    errorMessage: cloudflareErrorMessage,
    rateLimit: cloudflareRateLimit,
    bulkInputs: ["files"],
    // One at a time: each request is paced to the plan's bucket before it starts.
    maxConcurrentRequests: 1,
    purge: purgeCloudflare,
};
