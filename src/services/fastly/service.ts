import type { CredentialSpec } from "../../core/credentials";
import type { PurgeService } from "../../core/service";
import { fastlyErrorMessage, fastlyRateLimit, keysEndpoint, purgeAllEndpoint, urlEndpoint } from "./client";
import { fastlyTargets, planRequests, purgeFastly } from "./purge";
import { fastlyCrossCheck, fastlyInputShape, type FastlyInputs } from "./schema";

const credentials: readonly CredentialSpec[] = [
    { input: "apiToken", configKey: "cache-purge:fastlyApiToken", envVar: "FASTLY_API_TOKEN", description: "API token", secret: true },
];

/** One line per request, as preview shows them; a soft purge says so. */
export function fastlyRequests(inputs: FastlyInputs, keys: readonly string[]): string[] {
    const soft = inputs.softPurge ? " soft" : "";
    return planRequests(keys).map((request) => {
        switch (request.kind) {
            case "all": return `POST ${purgeAllEndpoint(inputs.baseUrl, inputs.serviceId).toString()}`;
            case "keys": return `POST ${keysEndpoint(inputs.baseUrl, inputs.serviceId).toString()} (${request.names.length}${soft} key${request.names.length === 1 ? "" : "s"})`;
            // A secret URL is not shown even as the purge path names it (host and path, no scheme).
            case "url": return `POST ${inputs.__secretTargetNames.length > 0 ? `${inputs.baseUrl}/purge/[secret]` : urlEndpoint(inputs.baseUrl, request.names[0]).toString()}${soft ? " (soft)" : ""}`;
        }
    });
}

export const fastlyService: PurgeService<FastlyInputs> = {
    name: "fastly",
    credentials,
    inputShape: fastlyInputShape,
    crossCheck: fastlyCrossCheck,
    // softPurge is how, not what: switching it purges nothing by itself.
    scope: (inputs) => keysEndpoint(inputs.baseUrl, inputs.serviceId).toString(),
    targets: fastlyTargets,
    describeRequests: fastlyRequests,
    errorMessage: fastlyErrorMessage,
    rateLimit: fastlyRateLimit,
    bulkInputs: ["urls"],
    // One at a time, so the rate gate has read each answer's remaining budget before the next request starts.
    maxConcurrentRequests: 1,
    purge: purgeFastly,
};
