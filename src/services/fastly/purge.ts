import { PartialPurgeError } from "../../core/errors";
import type { PurgePlan, PurgeTarget } from "../../core/plan";
import type { PurgeContext, PurgeOutcome } from "../../core/service";
import { ProgressTicker } from "../../core/progress-ticker";
import { formatCount } from "../../core/count";
import { nameEntries } from "../names";
import { purgeAll, purgeHeaders, purgeKeys, purgeUrl } from "./client";
import { type FastlyInputs, KEYS_PER_REQUEST } from "./schema";

/** The target that `purgeAll` purges. */
export const EVERYTHING = "everything";
const KEY = "key ";
const URL_PREFIX = "url ";

/** Every target: surrogate keys, then URLs, each with its own hash where a map gave one. */
export function fastlyTargets(inputs: FastlyInputs): PurgeTarget[] {
    if (inputs.purgeAll) {
        return [{ key: EVERYTHING }];
    }
    const of = (prefix: string, names: FastlyInputs["urls"]) => (names === undefined ? [] : nameEntries(names)
        .map(([name, trigger]) => ({ key: prefix + name, ...(trigger === undefined ? {} : { trigger }) })));
    return [...of(KEY, inputs.surrogateKeys), ...of(URL_PREFIX, inputs.urls)];
}

/** One request of a plan: the targets it carries and how to send it. */
export interface FastlyRequest {
    readonly kind: "keys" | "url" | "all";
    readonly keys: readonly string[];
    /** The surrogate keys or the one URL it purges. */
    readonly names: readonly string[];
}

/** Keys 256 to a request, then one request per URL, or the one purge_all. */
export function planRequests(keys: readonly string[]): FastlyRequest[] {
    if (keys.includes(EVERYTHING)) {
        return [{ kind: "all", keys: [EVERYTHING], names: [] }];
    }
    const surrogate = keys.filter((k) => k.startsWith(KEY));
    const requests: FastlyRequest[] = [];
    for (let i = 0; i < surrogate.length; i += KEYS_PER_REQUEST) {
        const chunk = surrogate.slice(i, i + KEYS_PER_REQUEST);
        requests.push({ kind: "keys", keys: chunk, names: chunk.map((k) => k.slice(KEY.length)) });
    }
    for (const key of keys.filter((k) => k.startsWith(URL_PREFIX))) {
        requests.push({ kind: "url", keys: [key], names: [key.slice(URL_PREFIX.length)] });
    }
    return requests;
}

/**
 * Sends the plan's requests one after another; the rate gate paces them to Fastly's rate-limit headers.
 * A request that fails ends the purge: what the earlier ones purged is recorded, the rest is left.
 */
export async function purgeFastly(ctx: PurgeContext<FastlyInputs>, plan: PurgePlan): Promise<PurgeOutcome> {
    const { inputs, http, log } = ctx;
    const keys = plan.targets.map((t) => t.key);
    const headers = purgeHeaders(ctx.credentials.apiToken ?? "", inputs.softPurge);
    if (inputs.__secretTargetNames.length > 0) {
        hideNames(ctx, keys);
    }
    const ids = new Map<string, string>();
    const done: string[] = [];
    const ticker = new ProgressTicker(log, keys.length);
    // One text, in the order of the targets purged: a map of thousands of keys would grow the state's keys.
    const details = () => ({ soft: inputs.softPurge, purgeIds: JSON.stringify(done.map((k) => ids.get(k) ?? null)) });
    for (const request of planRequests(keys)) {
        try {
            if (request.kind === "all") {
                await purgeAll(http, inputs.baseUrl, inputs.serviceId, headers);
            } else if (request.kind === "keys") {
                const answered = await purgeKeys(http, inputs.baseUrl, inputs.serviceId, headers, request.names);
                request.keys.forEach((key, i) => ids.set(key, answered[request.names[i]]));
            } else {
                ids.set(request.keys[0], await purgeUrl(http, inputs.baseUrl, headers, request.names[0]));
            }
        } catch (error) {
            if (done.length === 0) {
                throw error;
            }
            const purged = new Set(done);
            throw new PartialPurgeError(done, keys.filter((k) => !purged.has(k)), error as Error, {}, details());
        }
        done.push(...request.keys);
        ticker.tick(done.length, () => `fastly: ${formatCount(done.length)} of ${formatCount(keys.length)} targets purged`);
    }
    // Fastly's Instant Purge is done when it answers; a soft purge marks the objects stale instead of removing them.
    return { completion: "synchronous", details: details() };
}

/**
 * With secret target names the core hides each target key (`key launch-2027`); a message may still quote the
 * bare name (an answer without its purge id) or a URL as its purge path names it (`www.example.com/b`).
 */
function hideNames(ctx: PurgeContext<FastlyInputs>, keys: readonly string[]): void {
    for (const key of keys) {
        if (key.startsWith(KEY)) {
            ctx.addSecret(key.slice(KEY.length));
        } else if (key.startsWith(URL_PREFIX)) {
            const url = new URL(key.slice(URL_PREFIX.length));
            ctx.addSecret(key.slice(URL_PREFIX.length));
            ctx.addSecret(`${url.host}${url.pathname}${url.search}`);
        }
    }
}
