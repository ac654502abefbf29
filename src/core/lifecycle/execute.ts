import { createHash, randomUUID } from "crypto";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { credentialSources, resolveCredentials } from "../credentials";
import { PartialPurgeError, PurgeError } from "../errors";
import { HttpClient } from "../http/client";
import { sharedRateGate } from "../http/rate-gate";
import { formatSeconds } from "../http/retry-timing";
import { escapeControlCharacters } from "../control-characters";
import type { CommonInputs } from "../inputs";
import { partiallyPurgedState, type PurgedState, type PurgePlan, toPurgedRecord } from "../plan";
import { progressLog } from "../progress-log";
import { buildReceipt, type PurgeReceipt } from "../receipt";
import { Redactor } from "../redact";
import { plainJson, stableJson } from "./json";
import { NOTHING_ON_DELETE, PLAN_KEY, type Props, PURGED_KEY, RECEIPT_KEY, urnOf } from "./keys";
import type { ServiceModel } from "./model";
import { maskSecrets, secretTriggerValues, secretValues } from "./secret-values";

/** A purge that takes this long is logged when it ends; long batches also report progress as they go. */
const SLOW_PURGE_MS = 2_000;

/** Milliseconds of the first retry backoff; short, because purge APIs recover fast or not at all. */
const BASE_RETRY_DELAY_MS = 250;

/** Create: a new resource purges its plan (every target, unless `purgeOnCreate` is false). */
export async function createResource<I extends CommonInputs>(m: ServiceModel<I>, news: Props): Promise<dynamic.CreateResult> {
    const service = m.service;
    const inputs = m.withDefaults(news) as unknown as I;
    const id = `${service.name}-${newIdSuffix()}`;
    const plan = m.planFor(undefined, inputs);
    return { id, outs: plainJson(await execute(m, news, inputs, plan, id, null)) };
}

/** Update: purges what changed since the recorded state, and what a failed purge left. */
export async function updateResource<I extends CommonInputs>(m: ServiceModel<I>, id: string, oldOutputs: Props, news: Props): Promise<dynamic.UpdateResult> {
    const olds = m.withDefaults(oldOutputs);
    const inputs = m.withDefaults(news) as unknown as I;
    const plan = m.planFor(m.previousState(olds), inputs, olds);
    return { outs: plainJson(await execute(m, news, inputs, plan, id, olds[RECEIPT_KEY])) };
}

/** Delete: purges only with `purgeOnDelete`; otherwise says, under the resource, that it did not. */
export async function deleteResource<I extends CommonInputs>(m: ServiceModel<I>, id: string, olds: Props): Promise<void> {
    const service = m.service;
    if (olds.purgeOnDelete !== true) {
        progressLog(new Redactor([]), urnOf(olds)).info(`${service.name}: ${NOTHING_ON_DELETE}`);
        return;
    }
    const inputs = m.withDefaults(olds) as unknown as I;
    const keys = service.targets(inputs).map((t) => t.key);
    await execute(m, olds, inputs, { targets: keys.map((key) => ({ key, reasons: ["deleted"] })) }, id, null, true);
}

/**
 * Runs the plan. `check` or `diff` already showed the plan line for a create or update (in preview and
 * in up alike); a delete has neither, so it says here what it purges (`sayPlan`).
 *
 * `storedInputs`: the inputs as the engine stored them (check's form: declared values only, the plan
 * line and the URN); the outputs repeat them, with `purgePlan` replaced by the plan carried out.
 */
async function execute<I extends CommonInputs>(m: ServiceModel<I>, storedInputs: Props, inputs: I, plan: PurgePlan, id: string, previousReceipt: unknown, sayPlan = false): Promise<Props> {
    const service = m.service;
    const desired = maskSecrets(m.desiredState(inputs), secretValues(inputs));
    const hiddenNames = m.secretTargetNames(inputs);
    const record = (state: PurgedState) => toPurgedRecord(state, hiddenNames.length > 0);
    const declaredInputs = inputs as unknown as Props;
    // The `purgePlan` output is the plan this deployment carried out, counted from the old outputs:
    // after a purge that failed part-way it names what was left, where check's input could not.
    const stored = { ...storedInputs, [PLAN_KEY]: m.summary(inputs, plan, Object.keys(desired.targets).length) };
    if (plan.targets.length === 0) {
        return { ...stored, [PURGED_KEY]: record(desired), [RECEIPT_KEY]: previousReceipt ?? null };
    }
    const credentials = resolveCredentials(service.name, service.credentials, declaredInputs);
    const redactor = new Redactor([
        ...service.credentials.filter((c) => c.secret).map((c) => credentials[c.input]),
        ...secretTriggerValues(inputs),
        ...hiddenNames,
        ...m.secretSettingTexts(inputs),
    ]);
    const log = progressLog(redactor, urnOf(declaredInputs));
    const credentialSource = credentialSources(service.credentials, declaredInputs);
    const hintOf = service.errorHint?.bind(service);
    const http = new HttpClient({
        service: service.name,
        timeoutMs: inputs.timeoutMs,
        maxRetries: inputs.maxRetries,
        maxRetryDelayMs: inputs.maxRetryDelayMs,
        baseRetryDelayMs: BASE_RETRY_DELAY_MS,
        deadlineAtMs: Date.now() + inputs.purgeTimeoutMs,
        deadlineName: `purgeTimeoutMs (${formatSeconds(inputs.purgeTimeoutMs)})`,
        redactor,
        log,
        errorMessage: (response) => service.errorMessage(response),
        errorHint: hintOf && ((response) => hintOf(response, credentialSource)),
        retryStatus: service.retryStatus?.bind(service),
        rateLimit: service.rateLimit && {
            gate: sharedRateGate(gateKey(service.name, { ...credentials, __scope: service.rateScope?.(inputs) }), service.maxConcurrentRequests ?? 4),
            read: service.rateLimit.bind(service),
        },
    });
    const started = Date.now();
    if (sayPlan) {
        log.info(`${service.name}: ${m.summary(inputs, plan, Object.keys(desired.targets).length)}`);
    }
    // A receipt's time holds no secret, and a short secret name ("42") would cut it up.
    const redactReceipt = (receipt: PurgeReceipt): PurgeReceipt => ({ ...redactor.redactValue(receipt), purgedAt: receipt.purgedAt });
    try {
        const previousPurgedAt = (previousReceipt as { purgedAt?: unknown } | null | undefined)?.purgedAt;
        const outcome = await service.purge({ inputs, credentials, http, log, redact: (t) => redactor.redact(t), addSecret: (v) => redactor.add([v]), credentialSource,
            ...(typeof previousPurgedAt === "string" ? { previousPurgedAt } : {}) }, plan);
        const coversAll = plan.targets.length === Object.keys(desired.targets).length;
        const receipt = redactReceipt(buildReceipt(plan, outcome, http, new Date(), coversAll));
        // A quick purge needs no line of its own (check showed the plan under the resource, and the
        // receipt says what was done), and each line is an Engine.Log RPC that the host pays for during
        // the Create; a slow one says what it did.
        const elapsedMs = Date.now() - started;
        if (elapsedMs >= SLOW_PURGE_MS) {
            log.info(`${service.name}: purged ${receipt.count} target(s) with ${http.requests} request(s) in ${elapsedMs} ms`);
        }
        return { ...stored, [PURGED_KEY]: record(desired), [RECEIPT_KEY]: receipt };
    } catch (error) {
        if (error instanceof PartialPurgeError && error.purgedKeys.length > 0) {
            const purged = new Set(error.purgedKeys);
            const done: PurgePlan = { targets: plan.targets.filter((t) => purged.has(t.key)) };
            const receipt = redactReceipt(buildReceipt(done, { ids: error.partialIds, completion: "accepted", details: error.partialDetails }, http, new Date()));
            const state = { ...stored, [PURGED_KEY]: record(partiallyPurgedState(desired, plan, error.purgedKeys)), [RECEIPT_KEY]: receipt };
            // An error carrying an id and properties reaches the engine as a partial failure: it records
            // these outputs, so the next up purges only what is left.
            const message = shownError(redactor, error.message);
            throw Object.assign(new PurgeError(message), { id, properties: plainJson(state), reasons: [message] });
        }
        throw new PurgeError(shownError(redactor, describeError(service.name, error)));
    }
}

/**
 * Twelve random hex digits: the first 48 bits of a random UUID, which Node draws from a buffered pool,
 * where `randomBytes` asks the system for each id (the larger cost of the two in a small create).
 */
function newIdSuffix(): string {
    return randomUUID().replace(/-/g, "").slice(0, 12);
}

/**
 * An error's message as the engine prints it: redacted, then with its control characters escaped, since
 * it may quote a service's words (an error body, a status text) that hold ESC sequences or line breaks.
 */
function shownError(redactor: Redactor, message: string): string {
    return escapeControlCharacters(redactor.redact(message));
}

function describeError(service: string, error: unknown): string {
    if (error instanceof PurgeError) {
        return error.message;
    }
    const message = error instanceof Error ? error.message : String(error);
    return `${service}: unexpected error: ${message}`;
}

/** Accounts are told apart by a digest of their credentials, so the key itself holds no secret. */
function gateKey(service: string, credentials: Readonly<Record<string, string | undefined>>): string {
    const digest = createHash("sha256").update(stableJson(credentials)).digest("hex").slice(0, 16);
    return `${service} ${digest}`;
}
