import type { CredentialSpec } from "../../core/credentials";
import { PartialPurgeError } from "../../core/errors";
import type { CheckFailure } from "../../core/inputs";
import type { PurgePlan, PurgeTarget } from "../../core/plan";
import type { PurgeService } from "../../core/service";
import { PurgeBudgetError, runBatch } from "./batch";
import { ImageKitApi, imagekitErrorHint, imagekitErrorMessage, imagekitRateLimit, isRetryableAnswer, purgeEndpoint } from "./client";
import { ProgressTicker } from "../../core/progress-ticker";
import { imagekitCrossCheck, imagekitInputShape, type ImageKitInputs } from "./schema";
import { waitForCompletion } from "./wait";
import { formatCount } from "../../core/count";

const credentials: readonly CredentialSpec[] = [
    { input: "privateKey", configKey: "cache-purge:imagekitPrivateKey", envVar: "IMAGEKIT_PRIVATE_KEY", description: "private key", secret: true },
];

/**
 * Requests in flight at once per account. The rate gate paces starts to the limit ImageKit's headers
 * publish, so this only has to be large enough to keep that pace: limit × round trip, 20 at 1,000
 * requests/s and 20 ms. With 8, a 1,000-URL batch took 3 s where the limit allowed 1 s.
 */
const MAX_CONCURRENT_REQUESTS = 32;

export function imagekitTargets(inputs: ImageKitInputs): PurgeTarget[] {
    if (Array.isArray(inputs.urls)) {
        return (inputs.urls as readonly string[]).map((key) => ({ key }));
    }
    return Object.entries(inputs.urls).map(([key, trigger]) => ({ key, trigger }));
}

/** The URL map is already what the plan compares; a list's URLs have no trigger of their own. */
export function imagekitTargetTriggers(inputs: ImageKitInputs): Readonly<Record<string, string>> {
    if (!Array.isArray(inputs.urls)) {
        return inputs.urls as Readonly<Record<string, string>>;
    }
    const triggers: Record<string, string> = {};
    for (const url of inputs.urls as readonly string[]) {
        triggers[url] = "";
    }
    return triggers;
}

/** ImageKit counts every purge request against a monthly quota; refuse, in preview already, a plan that would use too many. */
export function imagekitCheckPlan(inputs: ImageKitInputs, plan: PurgePlan): CheckFailure[] {
    const count = plan.targets.length;
    if (count <= inputs.maxPurgeRequests) {
        return [];
    }
    return [{
        property: "urls",
        reason: `urls: this update would send ${formatCount(count)} purge requests, more than maxPurgeRequests (${formatCount(inputs.maxPurgeRequests)}); `
            + `ImageKit counts each against the account's monthly purge quota: purge fewer URLs (a trailing * purges a folder) or raise maxPurgeRequests`,
    }];
}

/** One purge request per URL and, with `wait`, at least one status read per URL (more while it is Pending). */
export function imagekitRequests(inputs: ImageKitInputs, keys: readonly string[]): string[] {
    const purge = purgeEndpoint(inputs.baseUrl).toString();
    const polls = inputs.wait ? keys.map(() => `GET ${purge}/{requestId} until Completed`) : [];
    return [...keys.map(() => `POST ${purge}`), ...polls];
}

/**
 * The receipt's `details.requestIds`: the JSON text of ImageKit's request ids in the order of the URLs
 * purged (the receipt's `targets`, or `urls` when `targets` is "all"), `null` for an answer without one.
 */
function requestIdsText(ids: readonly (string | undefined)[]): string {
    return JSON.stringify(ids.map((id) => id ?? null));
}

export const imagekitService: PurgeService<ImageKitInputs> = {
    name: "imagekit",
    credentials,
    inputShape: imagekitInputShape,
    crossCheck: imagekitCrossCheck,
    checkPlan: imagekitCheckPlan,
    scope: (inputs) => purgeEndpoint(inputs.baseUrl).toString(),
    targets: imagekitTargets,
    targetTriggers: imagekitTargetTriggers,
    describeRequests: imagekitRequests,
    errorMessage: imagekitErrorMessage,
    errorHint: imagekitErrorHint,
    async probe(ctx) {
        const files = await new ImageKitApi(ctx.http, ctx.inputs.baseUrl, ctx.credentials.privateKey ?? "").listOneFile();
        return `listed ${files} file(s) of the media library (limit 1)`;
    },
    retryStatus: isRetryableAnswer,
    rateLimit: imagekitRateLimit,
    bulkInputs: ["urls"],
    maxConcurrentRequests: MAX_CONCURRENT_REQUESTS,
    async purge(ctx, plan) {
        const { inputs, http, log } = ctx;
        const api = new ImageKitApi(http, inputs.baseUrl, ctx.credentials.privateKey ?? "");
        const keys = plan.targets.map((t) => t.key);
        const ticker = new ProgressTicker(log, keys.length);
        const report = (done: number) => ticker.tick(done, () => `imagekit: ${formatCount(done)} of ${formatCount(keys.length)} URLs purged`);
        // Every attempt counts, retries included: ImageKit may count a retried purge against the quota too.
        let attempts = 0;
        const budget = () => {
            if (attempts >= inputs.maxPurgeRequests) {
                throw new PurgeBudgetError(`imagekit: stopped before purge request ${attempts + 1}: ${formatCount(attempts)} were sent, retries included, `
                    + `which is maxPurgeRequests; ImageKit may count each against the account's monthly purge quota`);
            }
            attempts++;
        };
        const batch = await runBatch(keys, MAX_CONCURRENT_REQUESTS, (url) => api.purgeUrl(url, budget), report);
        const purged = keys.filter((k) => batch.done.has(k));
        const requestIds = purged.map((k) => batch.done.get(k));
        // One text rather than a map of URL to id: at 10,000 URLs a map doubled the state and the diff.
        const details = { purgeRequests: attempts, requestIds: requestIdsText(requestIds) };
        if (batch.firstError) {
            if (keys.length === 1) {
                throw batch.firstError;
            }
            throw new PartialPurgeError(purged, batch.left, batch.firstError, {}, details);
        }
        if (!inputs.wait) {
            return { completion: "accepted", details };
        }
        const watched = requestIds.filter((id): id is string => id !== undefined);
        try {
            await waitForCompletion(ctx, api, watched, MAX_CONCURRENT_REQUESTS);
        } catch (error) {
            // Every purge was accepted and counted against the monthly quota: record them all, so the
            // next up does not send them again, and still fail, since the wait asked for did not end.
            throw new PartialPurgeError(keys, [], error instanceof Error ? error : new Error(String(error)), {}, details);
        }
        const withoutId = purged.filter((_k, i) => requestIds[i] === undefined);
        if (withoutId.length > 0) {
            // Nothing to poll for these: ImageKit accepted them, and nobody can see them finish.
            log.warn(`imagekit: ${withoutId.length} purge answer(s) carried no requestId, so their completion cannot be watched `
                + `(${withoutId.slice(0, 3).join(", ")}${withoutId.length > 3 ? ", …" : ""}); the purge is recorded as accepted, not confirmed`);
            return { completion: "accepted", details: { ...details, unconfirmedUrls: withoutId } };
        }
        return { completion: "confirmed", details };
    },
};
