import type { CredentialSpec } from "../../core/credentials";
import { PartialPurgeError } from "../../core/errors";
import type { HttpResponse } from "../../core/http/client";
import { formatSeconds, isTransientStatus } from "../../core/http/retry-timing";
import type { CheckFailure } from "../../core/inputs";
import type { PurgePlan, PurgeTarget } from "../../core/plan";
import type { PurgeService } from "../../core/service";
import { formatCount } from "../../core/count";
import { CloudFrontApi, cloudfrontErrorCode, cloudfrontErrorMessage, invalidationEndpoint, type StaticKeys } from "./client";
import { callerReference, FREE_PATHS_PER_MONTH, pathsToSend } from "./paths";
import { createWhenRoom } from "./room";
import { cloudfrontCredentialPairs, cloudfrontInputShape, type CloudFrontInputs, pathLimitFailures } from "./schema";
import { waitUntilCompleted } from "./wait";

/**
 * Static keys, where a user has them, from the input, then the stack config keys `@pulumi/aws` reads,
 * then the environment; with none, the AWS SDK's own chain (profile, SSO, web identity, the machine's
 * role) finds the credentials.
 */
const credentials: readonly CredentialSpec[] = [
    { input: "accessKeyId", configKey: "aws:accessKey", envVar: "AWS_ACCESS_KEY_ID", description: "AWS access key id", secret: false, optional: true },
    { input: "secretAccessKey", configKey: "aws:secretKey", envVar: "AWS_SECRET_ACCESS_KEY", description: "AWS secret access key", secret: true, optional: true },
    { input: "sessionToken", configKey: "aws:token", envVar: "AWS_SESSION_TOKEN", description: "AWS session token", secret: true, optional: true },
    { input: "profile", configKey: "aws:profile", envVar: "AWS_PROFILE", description: "AWS profile", secret: false, optional: true },
];

/** AWS's throttling codes, which come with 400 as well as 429 (the SDK's retry strategy treats them alike). */
const THROTTLING_CODES = new Set(["Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException", "SlowDown"]);

export function cloudfrontTargets(inputs: CloudFrontInputs): PurgeTarget[] {
    if (Array.isArray(inputs.paths)) {
        return (inputs.paths as readonly string[]).map((key) => ({ key }));
    }
    return Object.entries(inputs.paths).map(([key, trigger]) => ({ key, trigger }));
}

export function cloudfrontTargetTriggers(inputs: CloudFrontInputs): Readonly<Record<string, string>> {
    if (!Array.isArray(inputs.paths)) {
        return inputs.paths as Readonly<Record<string, string>>;
    }
    const triggers: Record<string, string> = {};
    for (const path of inputs.paths as readonly string[]) {
        triggers[path] = "";
    }
    return triggers;
}

/** CloudFront's limits on one invalidation, and the user's own cap on billed paths; in preview already. */
export function cloudfrontCheckPlan(inputs: CloudFrontInputs, plan: PurgePlan): CheckFailure[] {
    if (plan.targets.length === 0) {
        return [];
    }
    const sent = pathsToSend(plan.targets.map((t) => t.key), inputs.collapseAbove);
    const failures = pathLimitFailures(sent);
    const cap = inputs.maxPathsPerDeployment;
    if (cap !== undefined && sent.length > cap) {
        failures.push({ property: "paths", reason: `paths: this update would invalidate ${formatCount(sent.length)} paths, more than maxPathsPerDeployment (${formatCount(cap)}); `
            + `CloudFront bills every path past the account's first ${formatCount(FREE_PATHS_PER_MONTH)} a month: set collapseAbove to send /* instead, or raise maxPathsPerDeployment` });
    }
    return failures;
}

/** One `CreateInvalidation` and, with `wait`, `GetInvalidation` until Completed. */
export function cloudfrontRequests(inputs: CloudFrontInputs, keys: readonly string[]): string[] {
    const url = invalidationEndpoint(inputs.endpoint, inputs.distributionId).toString();
    const sent = pathsToSend(keys, inputs.collapseAbove);
    const collapsed = sent.length === keys.length ? "" : ` (/* in place of ${formatCount(keys.length)} paths)`;
    const create = `POST ${url} with ${formatCount(sent.length)} ${sent.length === 1 ? "path" : "paths"}${collapsed}`;
    return inputs.wait ? [create, `GET ${url}/{Id} until Completed`] : [create];
}

/** 408, 429 and 5xx, and AWS's throttling codes on a 400. */
export function isRetryableAnswer(status: number, response: HttpResponse): boolean {
    return isTransientStatus(status) || (status === 400 && THROTTLING_CODES.has(cloudfrontErrorCode(response) ?? ""));
}

function staticKeys(values: Readonly<Record<string, string | undefined>>): StaticKeys | undefined {
    const { accessKeyId, secretAccessKey, sessionToken } = values;
    if (accessKeyId === undefined || secretAccessKey === undefined) {
        return undefined;
    }
    return { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
}

/** What the reference covers besides the paths: every trigger the plan purges for. */
function triggersOf(inputs: CloudFrontInputs, keys: readonly string[]): string[] {
    const own = Array.isArray(inputs.paths) ? [] : keys.map((k) => (inputs.paths as Readonly<Record<string, string>>)[k] ?? "");
    return [...Object.entries(inputs.triggers).map(([name, value]) => `${name}=${value}`), `forcePurge=${inputs.forcePurge ?? ""}`, ...own];
}

export const cloudfrontService: PurgeService<CloudFrontInputs> = {
    name: "cloudfront",
    credentials,
    inputShape: cloudfrontInputShape,
    checkCredentials: cloudfrontCredentialPairs,
    checkPlan: cloudfrontCheckPlan,
    scope: (inputs) => invalidationEndpoint(inputs.endpoint, inputs.distributionId).toString(),
    targets: cloudfrontTargets,
    targetTriggers: cloudfrontTargetTriggers,
    describeRequests: cloudfrontRequests,
    errorMessage: cloudfrontErrorMessage,
    retryStatus: isRetryableAnswer,
    bulkInputs: ["paths"],
    maxConcurrentRequests: 1,
    async purge(ctx, plan) {
        const { inputs, http, log } = ctx;
        const keys = plan.targets.map((t) => t.key);
        const sent = pathsToSend(keys, inputs.collapseAbove);
        const api = new CloudFrontApi(http, inputs, staticKeys(ctx.credentials));
        const found = await api.credentials();
        // Credentials from a profile, SSO or a role never passed through the inputs: hide them as well.
        ctx.addSecret(found.secretAccessKey);
        if (found.sessionToken !== undefined) {
            ctx.addSecret(found.sessionToken);
        }
        const urn = (inputs as unknown as { __urn?: unknown }).__urn;
        // Creates have no earlier purge to follow: the day stands in, so a resource made again with the
        // same content on another day is not answered with the invalidation of its first life.
        const after = ctx.previousPurgedAt ?? `created ${new Date().toISOString().slice(0, 10)}`;
        const reference = callerReference({ resource: typeof urn === "string" ? urn : "", distributionId: inputs.distributionId, paths: sent,
            triggers: triggersOf(inputs, keys), reasons: [...new Set(plan.targets.map((t) => t.reasons.join(", ")))], after });
        const boundMs = Math.min(inputs.waitTimeoutMs, http.deadlineLeftMs());
        const boundName = boundMs < inputs.waitTimeoutMs ? "purgeTimeoutMs" : `waitTimeoutMs (${formatSeconds(inputs.waitTimeoutMs)})`;
        const { invalidation } = await createWhenRoom({ create: () => api.createInvalidation(sent, reference), distributionId: inputs.distributionId, timeoutMs: boundMs, boundName, log });
        const details = {
            distributionId: inputs.distributionId,
            invalidationId: invalidation.id,
            callerReference: reference,
            paths: sent.length,
            ...(sent.length === keys.length ? {} : { collapsedTo: sent[0] }),
        };
        if (!inputs.wait || invalidation.status === "Completed") {
            return { completion: inputs.wait ? "confirmed" : "accepted", ids: {}, details: { ...details, status: invalidation.status } };
        }
        try {
            const left = Math.min(inputs.waitTimeoutMs, http.deadlineLeftMs());
            await waitUntilCompleted({ read: () => api.getInvalidation(invalidation.id), id: invalidation.id, distributionId: inputs.distributionId, status: invalidation.status,
                timeoutMs: left, boundName: left < inputs.waitTimeoutMs ? "purgeTimeoutMs" : `waitTimeoutMs (${formatSeconds(inputs.waitTimeoutMs)})`, log });
        } catch (error) {
            // CloudFront accepted the invalidation and bills its paths: record every path as purged, so the
            // next up does not pay for them again, and still fail, since the wait asked for did not end.
            throw new PartialPurgeError(keys, [], error instanceof Error ? error : new Error(String(error)), {}, { ...details, status: invalidation.status });
        }
        return { completion: "confirmed", details: { ...details, status: "Completed" } };
    },
};
