import { DeadlineError, HttpStatusError, PartialPurgeError } from "../../core/errors";
import { delay } from "../../core/http/delay";
import { formatSeconds } from "../../core/http/retry-timing";
import type { PurgePlan } from "../../core/plan";
import type { PurgeContext, PurgeOutcome } from "../../core/service";
import { ProgressTicker } from "../../core/progress-ticker";
import { formatCount } from "../../core/count";
import { type Batch, parseTargetKey, planBatches } from "./batches";
import { purgeCache } from "./client";
import { type AccountBuckets, accountBuckets, PLAN_LIMITS } from "./limits";
import type { CloudflareInputs } from "./schema";

/**
 * Waits until the account's buckets (requests, and URLs for files) hold what `batch` costs, within the
 * bounds the user set: never longer than `maxRetryDelayMs` at once, never past the purge's deadline.
 */
async function pace(ctx: PurgeContext<CloudflareInputs>, buckets: AccountBuckets, batch: Batch): Promise<void> {
    const { inputs, http, log } = ctx;
    const now = Date.now();
    const waitMs = Math.max(buckets.requests.waitMs(1, now), batch.urls > 0 ? buckets.urls.waitMs(batch.urls, now) : 0);
    if (waitMs > 0) {
        const limitMs = Math.min(inputs.maxRetryDelayMs, http.deadlineLeftMs());
        const limits = PLAN_LIMITS[inputs.plan];
        const rate = inputs.plan === "free" ? "5 purge requests a minute" : `${limits.requestsPerSecond} purge requests a second`;
        if (waitMs > limitMs) {
            throw new DeadlineError(`cloudflare: the next purge request would wait ${formatSeconds(waitMs)} for the ${inputs.plan} plan's rate limit (${rate}, bursts of ${limits.bucketSize}), `
                + `more than ${limitMs === inputs.maxRetryDelayMs ? `maxRetryDelayMs (${formatSeconds(inputs.maxRetryDelayMs)}) allows` : "the purge deadline leaves"}; `
                + "what was purged before it is recorded, the rest is left for the next pulumi up");
        }
        log.info(`cloudflare: pacing to the ${inputs.plan} plan's limit of ${rate}: waiting ${formatSeconds(waitMs)}`);
    }
    // Taken before the wait: resources of one account purging at once then queue behind each other's
    // tokens, instead of all waiting the same time for the same token and meeting Cloudflare's 429 together.
    buckets.requests.take(1, now);
    if (batch.urls > 0) {
        buckets.urls.take(batch.urls, now);
    }
    if (waitMs > 0) {
        await delay(waitMs);
    }
}

/**
 * Sends the plan's batches one after another, paced to the plan's token bucket. A batch that fails ends
 * the purge: what the earlier batches purged is recorded, the rest is left for the next `pulumi up`.
 */
export async function purgeCloudflare(ctx: PurgeContext<CloudflareInputs>, plan: PurgePlan): Promise<PurgeOutcome> {
    const { inputs, http, log } = ctx;
    const keys = plan.targets.map((t) => t.key);
    const batches = planBatches(inputs, keys);
    const apiToken = ctx.credentials.apiToken ?? "";
    const buckets = accountBuckets(apiToken, inputs.plan);
    if (inputs.__secretTargetNames.length > 0) {
        // The core hides each target key (`file https://…`); Cloudflare's errors may quote the bare name.
        batches.forEach((batch) => batch.keys.forEach((key) => ctx.addSecret(parseTargetKey(key)?.name ?? key)));
    }
    const done: string[] = [];
    const purgeIds: Record<string, string[]> = {};
    const ticker = new ProgressTicker(log, keys.length);
    for (const batch of batches) {
        let id: string | undefined;
        try {
            await pace(ctx, buckets, batch);
            id = await purgeCache(http, inputs.baseUrl, inputs.zoneId, apiToken, batch.body);
        } catch (error) {
            if (error instanceof HttpStatusError && error.status === 429) {
                buckets.requests.drain(Date.now());
            }
            if (done.length === 0) {
                throw error;
            }
            const purged = new Set(done);
            throw new PartialPurgeError(done, keys.filter((k) => !purged.has(k)), error as Error, {}, { purgeIds });
        }
        done.push(...batch.keys);
        (purgeIds[batch.kind] ??= []).push(id ?? "");
        ticker.tick(done.length, () => `cloudflare: ${formatCount(done.length)} of ${formatCount(keys.length)} targets purged`);
    }
    // Cloudflare purges before it answers ("Instant Purge"); `success: true` is its word that it did.
    return { completion: "synchronous", details: { purgeIds } };
}
