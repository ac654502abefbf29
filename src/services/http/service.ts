import { createHash } from "crypto";
import { formatCount } from "../../core/count";
import { setOwn } from "../../core/own-key";
import type { CheckFailure } from "../../core/inputs";
import type { PurgePlan, PurgeTarget } from "../../core/plan";
import type { PurgeService } from "../../core/service";
import { errorMessage } from "./answer";
import { purgeHttp } from "./purge";
import { readRateLimitHeaders } from "./rate-limit";
import { chunksOf, describeRequest } from "./request";
import { httpCrossCheck } from "./rules";
import { httpInputShape, type HttpInputs } from "./schema";

/** Without targets, the one thing purged: what the request clears, driven by the shared triggers. */
const CACHE_TARGET = "cache";
/** Requests the plan line describes in full; it shows three, and counts the rest. */
const DESCRIBED = 3;

function targetTriggers(inputs: HttpInputs): Readonly<Record<string, string>> {
    const targets = inputs.targets;
    if (targets === undefined) {
        return { [CACHE_TARGET]: "" };
    }
    if (!Array.isArray(targets)) {
        return targets as Readonly<Record<string, string>>;
    }
    const triggers: Record<string, string> = {};
    for (const target of targets as readonly string[]) {
        // A target named "__proto__" is a target like any other.
        setOwn(triggers, target, "");
    }
    return triggers;
}

/**
 * What a change purges everything for: the method, the URL and the body's shape. Headers are left out,
 * so that a header rotated (a token) never purges.
 */
function scope(inputs: HttpInputs): string {
    const { request, batch } = inputs;
    const body = request.json ?? request.form;
    const shape = body === undefined && batch === undefined ? "" : ` body ${createHash("sha256").update(JSON.stringify([body ?? null, batch?.jsonPath ?? null, batch?.header ?? null])).digest("hex").slice(0, 8)}`;
    return `${request.method} ${request.url}${shape}`;
}

/** The plan's requests, as `pulumi preview` shows them: the first few in full, the others counted (their text is never shown). */
function describeRequests(inputs: HttpInputs, keys: readonly string[]): string[] {
    const chunks = chunksOf(inputs, keys);
    const lines = chunks.map((chunk, i) => (i < DESCRIBED ? describeRequest(inputs, chunk) : ""));
    if (inputs.wait !== undefined) {
        lines.push(...chunks.map(() => `GET ${inputs.wait!.url} until ${inputs.wait!.donePath} is ${JSON.stringify(inputs.wait!.doneValue)}`));
    }
    return lines;
}

/** Refuses, in preview already, an update that would send more requests than `maxRequests`. */
function checkPlan(inputs: HttpInputs, plan: PurgePlan): CheckFailure[] {
    const count = chunksOf(inputs, plan.targets.map((t) => t.key)).length;
    if (count <= inputs.maxRequests) {
        return [];
    }
    return [{
        property: "maxRequests",
        reason: `maxRequests: this update would send ${formatCount(count)} purge requests, more than maxRequests (${formatCount(inputs.maxRequests)}); `
            + "set batch to send several targets per request, or raise maxRequests",
    }];
}

export const httpService: PurgeService<HttpInputs> = {
    name: "http",
    credentials: [],
    inputShape: httpInputShape,
    crossCheck: httpCrossCheck,
    checkPlan,
    scope,
    targets: (inputs): PurgeTarget[] => Object.entries(targetTriggers(inputs)).map(([key, trigger]) => ({ key, trigger })),
    targetTriggers,
    describeRequests,
    errorMessage,
    rateLimit: readRateLimitHeaders,
    // One endpoint's limits are not another's: the gate is per origin and set of secret headers (an account).
    rateScope: (inputs) => `${new URL(inputs.request.url.replace(/\{[A-Za-z_]\w*\}/g, "x")).origin} ${JSON.stringify(inputs.secretHeaders)}`,
    bulkInputs: ["targets"],
    maxConcurrentRequests: 1,
    purge: purgeHttp,
};
