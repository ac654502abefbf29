import { PartialPurgeError } from "../../core/errors";
import { formatCount } from "../../core/count";
import type { PurgePlan } from "../../core/plan";
import { ProgressTicker } from "../../core/progress-ticker";
import type { PurgeContext, PurgeOutcome } from "../../core/service";
import { judgeAnswer } from "./answer";
import { Pacer } from "./pacer";
import { buildRequest, chunksOf } from "./request";
import type { HttpInputs } from "./schema";
import { pollId, waitUntilDone } from "./wait";

/** A few requests need no progress lines: the plan line said what they are, the receipt what they did. */
const PROGRESS_FROM = 10;

/**
 * Sends the plan's requests one after another (a batch's size sets how many targets each carries), each
 * judged against `success`; the first failure stops the rest, which are left for the next `pulumi up`.
 * One at a time keeps "what was purged" exact and an unknown API unhurried; `maxRequestsPerSecond` and
 * the API's rate-limit headers pace them further.
 */
export async function purgeHttp(ctx: PurgeContext<HttpInputs>, plan: PurgePlan): Promise<PurgeOutcome> {
    const { inputs, http, log } = ctx;
    for (const value of Object.values(inputs.secretHeaders)) {
        hideSecretHeader(ctx, value);
    }
    const keys = plan.targets.map((t) => t.key);
    const chunks = chunksOf(inputs, keys);
    // Without targets the one request stands for the plan's one key.
    const keysOf = (chunk: readonly string[]) => (inputs.targets === undefined ? keys : chunk);
    const pacer = new Pacer(http, inputs.maxRequestsPerSecond);
    const ticker = new ProgressTicker(log, chunks.length);
    const purged: string[] = [];
    const ids: string[] = [];
    for (const [i, chunk] of chunks.entries()) {
        const request = buildRequest(inputs, chunk);
        const shownUrl = ctx.redact(request.url.toString());
        try {
            await pacer.turn(() => `${request.method} ${shownUrl} was not sent (maxRequestsPerSecond)`);
            const response = await http.send({ ...request, accept: (status) => inputs.success.statuses.includes(status) });
            judgeAnswer(inputs.success, request.method, shownUrl, response);
            if (inputs.wait !== undefined) {
                try {
                    ids.push(pollId(inputs.wait, request.method, shownUrl, response.json));
                } catch (error) {
                    // Accepted all the same: recorded, so the next up does not send it again.
                    purged.push(...keysOf(chunk));
                    throw error;
                }
            }
        } catch (error) {
            const failure = error instanceof Error ? error : new Error(String(error));
            const done = new Set(purged);
            const left = keys.filter((k) => !done.has(k));
            if (chunks.length === 1 && purged.length === 0) {
                throw failure;
            }
            throw new PartialPurgeError(purged, left, failure);
        }
        purged.push(...keysOf(chunk));
        if (chunks.length >= PROGRESS_FROM) {
            ticker.tick(i + 1, () => `http: ${formatCount(i + 1)} of ${formatCount(chunks.length)} requests sent`);
        }
    }
    // The ids as one JSON text, in the order of the requests: a map per target would grow the state with every target.
    const details = ids.length > 0 ? { ids: JSON.stringify(ids) } : {};
    if (inputs.wait === undefined) {
        return { completion: "accepted", details };
    }
    try {
        await waitUntilDone(ctx, ids);
    } catch (error) {
        // Every request was accepted: record them all, and still fail, since the wait asked for did not end.
        throw new PartialPurgeError(keys, [], error instanceof Error ? error : new Error(String(error)), {}, details);
    }
    return { completion: "confirmed", details };
}

/** A secret header's value, and its credential alone after a scheme word (`Bearer …`): an API may echo either. */
function hideSecretHeader(ctx: PurgeContext<HttpInputs>, value: string): void {
    ctx.addSecret(value);
    const credential = /^[A-Za-z][\w-]*\s+(\S.*)$/.exec(value)?.[1];
    if (credential !== undefined) {
        ctx.addSecret(credential);
    }
}
