import type { CredentialSpec } from "../../core/credentials";
import { PartialPurgeError } from "../../core/errors";
import type { PurgeService } from "../../core/service";
import { buddyErrorHint, buddyErrorMessage, clearPipelineCache, type ClearedPipeline, pipelineUrl, projectUrl } from "./client";
import { buddyRateLimit } from "./rate-limit";
import { buddyCrossCheck, buddyInputShape, type BuddyInputs, pipelineTargets, resolveBaseUrl, targetKey } from "./schema";

const credentials: readonly CredentialSpec[] = [
    { input: "token", configKey: "cache-purge:buddyToken", envVar: "BUDDY_TOKEN", description: "token", secret: true },
];

/** Progress is reported at least this often during a batch, and at every tenth of it. */
const PROGRESS_INTERVAL_MS = 5_000;

/** Maps plan keys back to pipeline ids; a key not among the inputs' pipelines is a bug in the caller. */
function idsFor(inputs: BuddyInputs, keys: readonly string[]): number[] {
    const byKey = new Map(pipelineTargets(inputs).map(({ id }) => [targetKey(id), id]));
    return keys.map((key) => {
        const id = byKey.get(key);
        if (id === undefined) {
            throw new Error(`buddy: planned target ${JSON.stringify(key)} is not among the pipelines`);
        }
        return id;
    });
}

export const buddyService: PurgeService<BuddyInputs> = {
    name: "buddy",
    credentials,
    inputShape: buddyInputShape,
    crossCheck: buddyCrossCheck,
    scope: (inputs) => projectUrl(resolveBaseUrl(inputs), inputs.workspace, inputs.project).toString(),
    targets: (inputs) => pipelineTargets(inputs).map(({ id, hash }) => ({ key: targetKey(id), ...(hash === undefined ? {} : { trigger: hash }) })),
    describeRequests: (inputs, keys) => idsFor(inputs, keys)
        .map((id) => `PATCH ${pipelineUrl(resolveBaseUrl(inputs), inputs.workspace, inputs.project, id).toString()}`),
    errorMessage: buddyErrorMessage,
    errorHint: buddyErrorHint,
    // Buddy's reads (GET a pipeline) need the EXECUTION_INFO scope, which the purge does not: a read could
    // refuse a token that purges fine, or pass one that cannot.
    noProbe: "Buddy's read calls need the EXECUTION_INFO scope, which the purge does not (it needs EXECUTION_MANAGE): the token is not verified",
    rateLimit: buddyRateLimit,
    // One at a time, so the rate gate has read each answer's remaining budget before the next request starts.
    maxConcurrentRequests: 1,
    async purge(ctx, plan) {
        const { inputs, http, log } = ctx;
        const baseUrl = resolveBaseUrl(inputs);
        const keys = plan.targets.map((t) => t.key);
        const ids = idsFor(inputs, keys);
        const cleared: Record<string, ClearedPipeline> = {};
        const done: string[] = [];
        let lastReportMs = Date.now();
        let lastReportedTenth = 0;
        for (const [index, id] of ids.entries()) {
            try {
                cleared[keys[index]] = await clearPipelineCache(http, baseUrl, inputs.workspace, inputs.project, id, ctx.credentials.token ?? "");
            } catch (error) {
                if (done.length === 0) {
                    throw error;
                }
                const partialIds = Object.fromEntries(done.map((key) => [key, [String(cleared[key].id)]]));
                throw new PartialPurgeError(done, keys.slice(index), error as Error, partialIds);
            }
            done.push(keys[index]);
            const tenth = Math.floor((done.length * 10) / ids.length);
            if (ids.length > 1 && done.length < ids.length && (tenth > lastReportedTenth || Date.now() - lastReportMs >= PROGRESS_INTERVAL_MS)) {
                log.info(`buddy: cleared ${done.length} of ${ids.length} pipeline caches`);
                lastReportedTenth = tenth;
                lastReportMs = Date.now();
            }
        }
        return {
            completion: "synchronous",
            ids: Object.fromEntries(done.map((key) => [key, [String(cleared[key].id)]])),
            details: { pipelines: cleared },
        };
    },
};
