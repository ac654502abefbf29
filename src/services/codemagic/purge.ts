import { listFirst } from "../../core/bounded-list";
import { formatCount } from "../../core/count";
import { PartialPurgeError, PurgeError } from "../../core/errors";
import { type PurgePlan, shownName } from "../../core/plan";
import type { PurgeContext, PurgeOutcome } from "../../core/service";
import { cachesUrl, type CodemagicCache, deleteAllCaches, deleteCache, listCaches } from "./client";
import { ProgressTicker } from "../../core/progress-ticker";
import type { CodemagicInputs } from "./schema";
import { ALL_CACHES, targetMode } from "./targets";
import { waitUntilGone } from "./wait";

/** What one target's purge did, for the receipt. */
export interface TargetResult {
    /** Caches whose deletion Codemagic accepted. */
    readonly caches: number;
    /** The sum of their `size`, in bytes. */
    readonly bytesFreed: number;
    /** Said when there was nothing to delete, so an empty result reads as intended, not as a failure. */
    readonly note?: string;
}

const NOTHING_THERE: Readonly<Record<"all" | "workflows" | "cacheIds", string>> = {
    all: "the app had no caches",
    workflows: "the workflow had no cache",
    cacheIds: "the cache was not there",
};

/**
 * Lists the app's caches (for sizes, for the workflow of each cache, and so an unknown app fails before
 * anything is deleted), deletes what the plan names, then, with `wait`, watches the list until the
 * deleted caches are gone.
 */
export async function purgeCodemagic(ctx: PurgeContext<CodemagicInputs>, plan: PurgePlan): Promise<PurgeOutcome> {
    const { inputs, http } = ctx;
    const token = ctx.credentials.token ?? "";
    const list = () => listCaches(http, inputs.baseUrl, inputs.appId, token);
    const listed = await list();
    const mode = targetMode(inputs);
    const workflowIds = [...new Set(listed.map((c) => c.workflowId))].sort();
    const unmatched = mode === "workflows" ? checkWorkflowKeys(ctx, plan, listed, workflowIds) : [];

    const ids: Record<string, string[]> = {};
    const results: Record<string, TargetResult> = {};
    const unnamed = { any: false };
    if (mode === "all") {
        // An empty list needs no DELETE: the request would only start a deletion of nothing.
        const accepted = listed.length === 0 ? { ids: [], named: true } : await deleteAllCaches(http, inputs.baseUrl, inputs.appId, token);
        unnamed.any = !accepted.named;
        ids[ALL_CACHES] = accepted.ids;
        results[ALL_CACHES] = accepted.named ? summarize(accepted.ids, listed, NOTHING_THERE.all) : { caches: 0, bytesFreed: 0, note: UNNAMED };
    } else {
        await deleteTargets(ctx, plan, listed, ids, results, unnamed);
    }

    const deleted = Object.values(ids).flat();
    if (inputs.wait) {
        await waitUntilGone({
            list, ids: deleted, timeoutMs: inputs.waitTimeoutMs, log: ctx.log, url: cachesUrl(inputs.baseUrl, inputs.appId).toString(),
        });
        if (unnamed.any) {
            ctx.log.warn(`codemagic: ${UNNAMED}; the purge is recorded as accepted, not confirmed`);
        }
    }
    const bytesFreed = Object.values(results).reduce((sum, r) => sum + r.bytesFreed, 0);
    // A target with no cache to delete was not purged: the receipt must not count it.
    const notPurged = Object.keys(results).filter((key) => results[key].caches === 0 && results[key].note !== UNNAMED);
    const nothing = notPurged.length === Object.keys(results).length;
    return {
        ids,
        notPurged,
        // Confirmed means watched until gone; a 202 that named no cache left nothing certain to watch.
        completion: nothing ? "nothing" : inputs.wait && !unnamed.any ? "confirmed" : "accepted",
        details: {
            appId: inputs.appId, bytesFreed, targets: results,
            ...(mode === "workflows" ? { workflowIdsWithCaches: workflowIds, unmatchedWorkflows: unmatched } : {}),
        },
    };
}

const UNNAMED = "Codemagic answered 202 with an empty body, naming no cache it deletes";

/** Workflow ids named in one line: the warning of a resource with thousands of workflow keys stays short. */
const MAX_WORKFLOWS_SHOWN = 10;

/**
 * A workflow key that matches no cache gives a green `up` that deleted nothing: a typo, or an app built
 * with the Workflow Editor, whose workflow ids are ObjectIds rather than names (caches also expire after
 * 14 days). Says so, with the ids the app's caches do have, as a warning, or as an error when the user
 * asked for one (before anything is deleted). Both lists name the first few ids and count the rest.
 */
function checkWorkflowKeys(ctx: PurgeContext<CodemagicInputs>, plan: PurgePlan, listed: readonly CodemagicCache[], workflowIds: readonly string[]): string[] {
    const { inputs, log } = ctx;
    const known = new Set(listed.map((c) => c.workflowId));
    const unmatched = plan.targets.map((t) => t.key).filter((key) => !known.has(key));
    const have = workflowIds.length === 0 ? "the app has no caches" : `the app's caches belong to ${workflowList(workflowIds, "workflow ids")}`;
    log.info(`codemagic: ${have}`);
    if (unmatched.length === 0) {
        return [];
    }
    const message = `${workflowList(unmatched, unmatched.length > 1 ? "workflows" : "workflow")} of app ${inputs.appId} `
        + `matched no cache, so nothing is deleted for ${unmatched.length > 1 ? "them" : "it"}; ${have}. A workflow id is the workflow's key in `
        + "codemagic.yaml; apps set up in the Workflow Editor have ObjectId workflow ids (see GET /apps/:id/caches), and caches expire after 14 days";
    if (inputs.failOnUnmatchedWorkflow) {
        throw new PurgeError(`codemagic: ${message}; failOnUnmatchedWorkflow is set, so the purge stops before deleting anything`);
    }
    log.warn(`codemagic: ${message}; set failOnUnmatchedWorkflow: true to make this an error`);
    return unmatched;
}

/** `workflows "a", "b"`, or past the cap `5,000 workflows "a", …, and 4,990 more`: each id quoted and cut to a readable length. */
function workflowList(ids: readonly string[], noun: string): string {
    const count = ids.length > MAX_WORKFLOWS_SHOWN ? `${formatCount(ids.length)} ` : "";
    return `${count}${noun} ${listFirst(ids, MAX_WORKFLOWS_SHOWN, (id) => JSON.stringify(shownName(id)))}`;
}

/** One target after another, so a failure leaves a clear line between what was deleted and what was not. */
async function deleteTargets(
    ctx: PurgeContext<CodemagicInputs>, plan: PurgePlan, listed: readonly CodemagicCache[],
    ids: Record<string, string[]>, results: Record<string, TargetResult>, unnamed: { any: boolean },
): Promise<void> {
    const { inputs, http } = ctx;
    const token = ctx.credentials.token ?? "";
    const mode = targetMode(inputs);
    const keys = plan.targets.map((t) => t.key);
    const ticker = new ProgressTicker(ctx.log, keys.length);
    const done: string[] = [];
    let withCaches = 0;
    for (const key of keys) {
        const caches = listed.filter((c) => (mode === "workflows" ? c.workflowId === key : c._id === key));
        const accepted: string[] = [];
        ids[key] = accepted;
        try {
            for (const cache of caches) {
                const answer = await deleteCache(http, inputs.baseUrl, inputs.appId, cache._id, token);
                accepted.push(...(answer?.ids ?? []));
                unnamed.any ||= answer?.named === false;
            }
        } catch (error) {
            if (done.length === 0) {
                throw error;
            }
            const left = keys.filter((k) => !done.includes(k));
            throw new PartialPurgeError(done, left, error as Error, ids);
        }
        results[key] = summarize(accepted, listed, NOTHING_THERE[mode]);
        done.push(key);
        withCaches += caches.length > 0 ? 1 : 0;
        ticker.tick(done.length, () => progressLine(done.length, withCaches, keys.length));
    }
}

/** Counts only targets whose caches were deleted; the others are said apart, never as deleted. */
function progressLine(done: number, withCaches: number, total: number): string {
    const without = done - withCaches;
    return without === 0
        ? `codemagic: deleted the caches of ${done} of ${total} target(s)`
        : `codemagic: ${done} of ${total} target(s) done: caches deleted for ${withCaches}, no cache to delete for ${without}`;
}

function summarize(accepted: readonly string[], listed: readonly CodemagicCache[], nothingThere: string): TargetResult {
    const size = new Map(listed.map((c) => [c._id, c.size]));
    const bytesFreed = accepted.reduce((sum, id) => sum + (size.get(id) ?? 0), 0);
    return accepted.length === 0 ? { caches: 0, bytesFreed, note: nothingThere } : { caches: accepted.length, bytesFreed };
}
