import { createHash, randomUUID } from "crypto";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { z } from "./zod";
import { credentialProblems, credentialSources, findCredential, rememberStackConfig, resolveCredentials, stackConfigKnown } from "./credentials";
import { expandBulk, holdsLargeBulk, packBulk, yieldToEventLoop } from "./bulk-input";
import { setOwn } from "./own-key";
import { PartialPurgeError, PurgeError } from "./errors";
import { HttpClient } from "./http/client";
import { sharedRateGate } from "./http/rate-gate";
import { formatSeconds } from "./http/retry-timing";
import { type CheckFailure, type CommonInputs, commonInputShape, formatPath, toCheckFailures } from "./inputs";
import { nameProblems } from "./names";
import { missingCredentialMessage } from "./errors/missing-credential-error";
import { fromPurgedRecord, partiallyPurgedState, planPurge, type PurgedRecord, type PurgedState, type PurgePlan, type SecretValues, toPurgedRecord } from "./plan";
import { summarizePlan, summarizeUnknown } from "./plan-summary";
import { progressLog, watchEngine } from "./progress-log";
import { buildReceipt, type PurgeReceipt } from "./receipt";
import { Redactor } from "./redact";
import { hideNamesInFailures, namesIn, settingValues, stringsIn } from "./secret-names";
import type { PurgeService } from "./service";
import { containsUnknown } from "./unknown";

type Props = Record<string, unknown>;

/** Inputs the provider adds or the SDK adds; never part of what the user declared. */
const PROVIDER_KEY = "__provider";
/** The resource's URN (see resource.ts), so log lines show under the resource. */
const URN_KEY = "__urn";
const PLAN_KEY = "purgePlan";
/** Outputs only: what was purged last, and the receipt of the last purge. */
const PURGED_KEY = "purged";
const RECEIPT_KEY = "receipt";
const NOT_DECLARED = new Set([PROVIDER_KEY, URN_KEY, PLAN_KEY, PURGED_KEY, RECEIPT_KEY]);
/** Inputs the resource class sets, program side; a user never passes them, so no message suggests them. */
const SET_BY_RESOURCE = new Set(["__secretTriggers", "__secretForcePurge", "__secretTargets", "__secretTargetNames", "__secretSettings"]);

/**
 * What `purged` records in place of a secret trigger or `forcePurge` value. The value itself stays in
 * the top-level `triggers` and `forcePurge` outputs, which the engine keeps secret because the inputs of
 * the same name held a secret; the next plan reads it from there.
 */
export const SECRET_VALUE = "(secret)";

/** The plan line of a deployment that purges nothing. */
const NO_PURGE = "no purge";

/** What `pulumi destroy` shows under a purge resource that does not purge on delete. */
const NOTHING_ON_DELETE = "nothing purged on delete (set purgeOnDelete: true to purge when the resource is deleted)";

/** Secret trigger values shorter than this are not looked for in check's plan line (see check). */
const MIN_GUARDED_TRIGGER_LENGTH = 4;

/** A purge that takes this long is logged when it ends; long batches also report progress as they go. */
const SLOW_PURGE_MS = 2_000;

/** Milliseconds of the first retry backoff; short, because purge APIs recover fast or not at all. */
const BASE_RETRY_DELAY_MS = 250;

/**
 * The methods the serialized provider calls, for one service. This module's exports are a stable API:
 * `delete` and `refresh` run the provider text stored in state by any earlier version, which requires
 * the installed version of this module.
 */
export interface ProviderImplementation {
    configure(req: dynamic.ConfigureRequest): Promise<void>;
    check(olds: Props, news: Props): Promise<dynamic.CheckResult>;
    diff(id: string, olds: Props, news: Props): Promise<dynamic.DiffResult>;
    create(inputs: Props): Promise<dynamic.CreateResult>;
    update(id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult>;
    delete(id: string, olds: Props): Promise<void>;
}

export function createProviderImplementation<I extends CommonInputs>(service: PurgeService<I>): ProviderImplementation {
    // In the provider host, which loads this module for its first call: leave when the engine is gone.
    watchEngine();
    // A loop, not Object.fromEntries(Object.entries(…).filter(…)): called several times per RPC, that was
    // the largest single cost of a small resource's check.
    const declared = (props: Props): Props => {
        const out: Props = {};
        for (const key in props) {
            if (Object.hasOwn(props, key) && !NOT_DECLARED.has(key)) {
                setOwn(out, key, props[key]);
            }
        }
        return out;
    };
    const secretFields = new Set(service.credentials.filter((c) => c.secret).map((c) => c.input));
    // Bulk inputs arrive, and are stored, as JSON text (bulk-input.ts); everything here works on their values.
    const bulkInputs = service.bulkInputs ?? [];
    const expand = (props: Props): Props => expandBulk(props, bulkInputs);
    const pack = (props: Props): Props => packBulk(props, bulkInputs);

    // Built on first use and kept: zod 4 compiles a parser per schema object, which was over a third of
    // check's CPU when every call built its own. This module is required, never serialized, so holding a
    // schema here is safe.
    let cachedSchema: ReturnType<typeof buildSchema> | undefined;
    let cachedDefaults: Props | undefined;
    function buildSchema() {
        return z.strictObject({ ...commonInputShape(), ...service.inputShape() });
    }
    function schema() {
        return cachedSchema ??= buildSchema();
    }

    function desiredState(inputs: I): PurgedState {
        return {
            scope: service.scope(inputs),
            triggers: inputs.triggers,
            ...(inputs.forcePurge === undefined ? {} : { forcePurge: inputs.forcePurge }),
            targets: declaredTargets(inputs),
        };
    }

    function declaredTargets(inputs: I): Readonly<Record<string, string>> {
        if (service.targetTriggers !== undefined) {
            return service.targetTriggers(inputs);
        }
        const targets: Record<string, string> = {};
        for (const target of service.targets(inputs)) {
            targets[target.key] = target.trigger ?? "";
        }
        return targets;
    }

    /** Old outputs hold the inputs of the last purge beside its record: together they are its state. */
    function previousState(olds: Props): PurgedState | undefined {
        const purged = olds[PURGED_KEY];
        if (purged === null || typeof purged !== "object") {
            return undefined;
        }
        const state = revealSecrets(fromPurgedRecord(purged as PurgedRecord, () => declaredTargets(olds as unknown as I)), olds);
        // A secret scope is recorded as a marker; the settings it was built from are in the (encrypted) outputs.
        return state.scope === SECRET_VALUE ? { ...state, scope: service.scope(olds as unknown as I) } : state;
    }

    /** `olds` (old inputs or outputs) also name secrets: a value that was secret stays unshown when it no longer is. */
    function planFor(previous: PurgedState | undefined, inputs: I, olds: Props = {}, desired = desiredState(inputs)): PurgePlan {
        return planPurge(previous, desired, inputs.purgeOnCreate, secretValues(inputs, olds));
    }

    /**
     * The plan line. With secret target names, each group is counted; the requests' URLs are redacted of
     * secret names and settings. Only the URLs: a pipeline id "2" redacted in "purge 1 of 2 targets" would
     * hide the count and show nothing else.
     */
    function summary(inputs: I, plan: PurgePlan, totalTargets: number): string {
        const requests = service.describeRequests(inputs, plan.targets.map((t) => t.key));
        const names = secretTargetNames(inputs);
        const hidden = [...names, ...secretSettingTexts(inputs)];
        if (hidden.length === 0) {
            return summarizePlan(plan, totalTargets, requests);
        }
        const redactor = new Redactor(hidden);
        return summarizePlan(plan, totalTargets, requests.map((request) => redactor.redact(request)), names.length > 0);
    }

    /**
     * The names of the targets when the resource said they are secrets (a whole map or list was, or an
     * element of a list): the target keys, and the names as the inputs spell them (a numeric id that is
     * only a part of its key and of its URL).
     */
    function secretTargetNames(inputs: I): string[] {
        return inputs.__secretTargetNames.length > 0 ? [...Object.keys(declaredTargets(inputs)), ...namesIn(inputs as unknown as Props)] : [];
    }

    /** The values of the settings the resource said are secret (a base URL), and the scope built from them. */
    function secretSettingTexts(inputs: I): string[] {
        const values = settingValues(inputs as unknown as Props);
        return values.length === 0 ? [] : [...values, service.scope(inputs)];
    }

    /** Settings are compared canonically: key order and formatting never make a change. */
    function sameSettings(olds: Props, news: Props): boolean {
        return sameJson(declared(olds), declared(news));
    }

    /**
     * Runs the plan. `check` already showed the plan line for a create or update (in preview and in up
     * alike); a delete has no check, so it says here what it purges.
     */
    /**
     * `storedInputs`: the inputs as the engine stored them (check's form: declared values only, the plan
     * line and the URN); the outputs repeat them, with `purgePlan` replaced by the plan carried out.
     */
    async function execute(storedInputs: Props, inputs: I, plan: PurgePlan, id: string, previousReceipt: unknown, sayPlan = false): Promise<Props> {
        const desired = maskSecrets(desiredState(inputs), secretValues(inputs));
        const hiddenNames = secretTargetNames(inputs);
        const record = (state: PurgedState) => toPurgedRecord(state, hiddenNames.length > 0);
        const declaredInputs = inputs as unknown as Props;
        // The `purgePlan` output is the plan this deployment carried out, counted from the old outputs:
        // after a purge that failed part-way it names what was left, where check's input could not.
        const stored = { ...storedInputs, [PLAN_KEY]: summary(inputs, plan, Object.keys(desired.targets).length) };
        if (plan.targets.length === 0) {
            return { ...stored, [PURGED_KEY]: record(desired), [RECEIPT_KEY]: previousReceipt ?? null };
        }
        const credentials = resolveCredentials(service.name, service.credentials, declaredInputs);
        const redactor = new Redactor([
            ...service.credentials.filter((c) => c.secret).map((c) => credentials[c.input]),
            ...secretTriggerValues(inputs),
            ...hiddenNames,
            ...secretSettingTexts(inputs),
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
            log.info(`${service.name}: ${summary(inputs, plan, Object.keys(desired.targets).length)}`);
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
                throw Object.assign(new PurgeError(redactor.redact(error.message)), { id, properties: plainJson(state), reasons: [redactor.redact(error.message)] });
            }
            throw new PurgeError(redactor.redact(describeError(service.name, error)));
        }
    }

    return {
        async configure(req) {
            rememberStackConfig(req.config);
        },

        async check(oldInputs, news) {
            // Large inputs are read in steps, with the event loop let run between them, and between the
            // host's decoding of the request and the first step, and the last step and its encoding of
            // the answer: each of those is tens of milliseconds for a megabyte of text.
            const large = holdsLargeBulk(news, bulkInputs);
            const pause = () => (large ? yieldToEventLoop() : undefined);
            await pause();
            const asSent = declared(news);
            const input = expand(asSent);
            await pause();
            const failures: CheckFailure[] = [];
            const inputSchema = schema();
            failures.push(...protoKeys(input));
            // A name the engine cannot carry, or that would paint a line of its own, says it all.
            const badNames = nameProblems(input, bulkInputs);
            if (badNames.length > 0) {
                return { inputs: news, failures: badNames };
            }
            await pause();
            const parsed = inputSchema.safeParse(input);
            await pause();
            if (!parsed.success) {
                failures.push(...toCheckFailures(parsed.error.issues, input, secretFields, Object.keys(inputSchema.shape).filter((k) => !SET_BY_RESOURCE.has(k))));
            }
            failures.push(...credentialProblems(service.credentials, input).map((p) => ({ property: p.input, reason: p.reason })));
            if (parsed.success) {
                failures.push(...(service.crossCheck?.(parsed.data as unknown as I) ?? []));
            }
            if (failures.length > 0) {
                return { inputs: news, failures: hideNamesInFailures(failures, input) };
            }
            // Bulk inputs are walked as their text: a JSON text holds no unknown value (the program writes it
            // only once the whole value is known), and walking 50,000 parsed URLs found none.
            if (!parsed.success || containsUnknown(asSent)) {
                const unknownFields = Object.keys(asSent).filter((k) => containsUnknown(asSent[k]));
                return { inputs: { ...news, [PLAN_KEY]: summarizeUnknown(unknownFields) } };
            }
            const inputs = parsed.data as unknown as I;
            const desired = desiredState(inputs);
            // The engine passes the old inputs (none for a create): they are enough to preview the plan.
            const olds = Object.keys(declared(oldInputs)).length === 0 ? undefined : withDefaults(oldInputs);
            const previous = olds === undefined ? undefined : stateFromOldInputs(olds);
            await pause();
            const plan = planFor(previous, inputs, olds, desired);
            await pause();
            // A credential is needed only by a deployment that purges: a preview in CI without secrets (a
            // pull request from a fork) passes when nothing would be purged.
            const planFailures = [...(service.checkPlan?.(inputs, plan) ?? []), ...(plan.targets.length > 0 ? missingCredentials(input) : [])];
            if (planFailures.length > 0) {
                return { inputs: news, failures: hideNamesInFailures(planFailures, input) };
            }
            // Nothing declared changed: the line stored last time is kept byte for byte, so the engine sees
            // the same inputs and does not rewrite the checkpoint once per unchanged resource.
            const nothingChanged = olds !== undefined && plan.targets.length === 0 && sameSettings(olds, inputs as unknown as Props);
            const line = nothingChanged ? previousLine(oldInputs) : summary(inputs, plan, Object.keys(desired.targets).length);
            if (olds === undefined && plan.targets.length > 0) {
                // A create's plan, under the resource, in plain `pulumi preview` too (which shows no input
                // values); an update's is said by diff, which sees what the last purge left. The line
                // already names no secret target (see summary).
                sayPlan(inputs, news, line);
            }
            const stored = { ...storedForm(asSent, inputs), ...urnInput(news), [PLAN_KEY]: line };
            await pause();
            return { inputs: stored };
        },

        async diff(_id, oldOutputs, newInputs) {
            const large = holdsLargeBulk(newInputs, bulkInputs);
            const pause = () => (large ? yieldToEventLoop() : undefined);
            await pause();
            const olds = withDefaults(oldOutputs);
            await pause();
            const news = withDefaults(newInputs);
            // Always an explicit answer: `undefined` would make the engine compare every input itself,
            // `__provider` included, and a package upgrade would purge.
            if (containsUnknown(declared(news))) {
                return { changes: true };
            }
            await pause();
            const inputs = news as unknown as I;
            const plan = planFor(previousState(olds), inputs, olds);
            await pause();
            if (plan.targets.length > 0) {
                // Said here, not in check: only diff sees the old outputs, so only its line counts what a
                // purge that failed part-way left, which is what the update will send.
                sayPlan(inputs, newInputs, summary(inputs, plan, Object.keys(declaredTargets(inputs)).length));
            }
            // The plan line alone is no change: an update that purges nothing would follow every purge, and
            // every preview after a purge would show an update. So the `purgePlan` output is the plan of the
            // last deployment that changed the resource (README: Receipts and completion).
            return { changes: plan.targets.length > 0 || !sameSettings(olds, news) };
        },

        async create(news) {
            const inputs = withDefaults(news) as unknown as I;
            const id = `${service.name}-${newIdSuffix()}`;
            const plan = planFor(undefined, inputs);
            return { id, outs: plainJson(await execute(news, inputs, plan, id, null)) };
        },

        async update(id, oldOutputs, news) {
            const olds = withDefaults(oldOutputs);
            const inputs = withDefaults(news) as unknown as I;
            const plan = planFor(previousState(olds), inputs, olds);
            return { outs: plainJson(await execute(news, inputs, plan, id, olds[RECEIPT_KEY])) };
        },

        async delete(id, olds) {
            if (olds.purgeOnDelete !== true) {
                progressLog(new Redactor([]), urnOf(olds)).info(`${service.name}: ${NOTHING_ON_DELETE}`);
                return;
            }
            const inputs = withDefaults(olds) as unknown as I;
            const keys = service.targets(inputs).map((t) => t.key);
            await execute(olds, inputs, { targets: keys.map((key) => ({ key, reasons: ["deleted"] })) }, id, null, true);
        },
    };

    /**
     * What the old inputs (defaults filled in) purged. They are what check returned last time, validated
     * and canonical then, so they are not validated again (50,000 URLs on every preview would find
     * nothing new); inputs another version wrote that the service cannot read count as none.
     */
    function stateFromOldInputs(olds: Props): PurgedState | undefined {
        try {
            return desiredState(olds as unknown as I);
        } catch {
            return undefined;
        }
    }

    /**
     * Inputs as the engine keeps them, with every default filled in, as the service reads them. The
     * engine keeps what check returned: the declared values only (see `storedForm`), already checked and
     * in canonical form, so only the defaults are missing; state written by versions that stored the
     * defaults has them all.
     */
    function withDefaults(props: Props): Props {
        return { ...defaults(), ...expand(props) };
    }

    /** Each input's default, read once from the schema; frozen, since every resource shares them. */
    function defaults(): Props {
        if (cachedDefaults === undefined) {
            const found: Props = {};
            for (const [key, type] of Object.entries(schema().shape)) {
                const parsed = (type as { safeParse(v: unknown): { success: boolean; data?: unknown } }).safeParse(undefined);
                if (parsed.success && parsed.data !== undefined) {
                    found[key] = Object.freeze(parsed.data);
                }
            }
            cachedDefaults = Object.freeze(found);
        }
        return cachedDefaults;
    }

    /**
     * What check returns for the engine to keep: each input the program declared, in its checked form
     * (canonical URLs, bulk inputs as text), and no defaults. Every value kept is a protobuf value in
     * every later message of this resource, both ways; eight defaults were half of a small resource's
     * inputs, and `pulumi preview --diff` listed them as if they had been set.
     */
    function storedForm(asSent: Props, inputs: I): Props {
        const checked = inputs as unknown as Props;
        const kept: Props = {};
        for (const key in asSent) {
            if (!Object.hasOwn(asSent, key) || !Object.hasOwn(checked, key)) {
                continue;
            }
            const value = checked[key];
            // Set by the resource on every resource; kept only when it says something.
            if (SET_BY_RESOURCE.has(key) && (value === false || (Array.isArray(value) && value.length === 0))) {
                continue;
            }
            setOwn(kept, key, value);
        }
        return pack(kept);
    }

    /** The plan line under the resource; `props` carry its URN. */
    /**
     * The plan line under the resource. It already names no secret target or trigger value (see summary);
     * the redactor is a second guard. A trigger value of a few characters ("1" in a map secret as a whole)
     * is left out of it: it is never in the line, and hiding it would cut "127.0.0.1" in a request's URL.
     */
    function sayPlan(inputs: I, props: Props, line: string): void {
        const guarded = secretTriggerValues(inputs).filter((value) => value.length >= MIN_GUARDED_TRIGGER_LENGTH);
        progressLog(new Redactor([...guarded, ...secretSettingTexts(inputs)]), urnOf(props)).info(`${service.name}: ${line}`);
    }

    /** Only when `configure` has delivered the stack config can a missing credential be known in `check`. */
    function missingCredentials(input: Props): CheckFailure[] {
        if (!stackConfigKnown()) {
            return [];
        }
        const missing = service.credentials
            .filter((spec) => !spec.optional && findCredential(spec, input) === undefined)
            .map((spec) => ({ property: spec.input, reason: missingCredentialMessage(service.name, spec) }));
        if (missing.length > 0 || service.checkCredentials === undefined) {
            return missing;
        }
        return service.checkCredentials(Object.fromEntries(service.credentials.map((spec) => [spec.input, findCredential(spec, input)])));
    }
}

/** The line check stored last time, kept when nothing changed; state written before it existed says no purge. */
function previousLine(oldInputs: Props): string {
    const line = oldInputs[PLAN_KEY];
    return typeof line === "string" ? line : NO_PURGE;
}

function urnOf(props: Props): string | undefined {
    const urn = props[URN_KEY];
    return typeof urn === "string" && urn.startsWith("urn:pulumi:") ? urn : undefined;
}

/** `check` returns the inputs the engine keeps; the URN must survive it, as `__provider` does. */
function urnInput(news: Props): Props {
    const urn = urnOf(news);
    return urn === undefined ? {} : { [URN_KEY]: urn };
}

/**
 * The trigger names, and whether `forcePurge` and the targets' own triggers, are secrets, as the resource
 * (program side) told the provider, now or last time.
 */
function secretValues(inputs: CommonInputs, olds: Props = {}): SecretValues {
    const names = stringsIn;
    return {
        triggers: new Set([...names(inputs.__secretTriggers), ...names(olds.__secretTriggers)]),
        forcePurge: inputs.__secretForcePurge === true || olds.__secretForcePurge === true,
        targets: inputs.__secretTargets === true || olds.__secretTargets === true,
        scope: names(inputs.__secretSettings).length > 0 || names(olds.__secretSettings).length > 0,
    };
}

function secretTriggerValues(inputs: CommonInputs): string[] {
    const secrets = secretValues(inputs);
    const values = [...secrets.triggers].filter((name) => Object.hasOwn(inputs.triggers, name)).map((name) => inputs.triggers[name]);
    return secrets.forcePurge && inputs.forcePurge !== undefined ? [...values, inputs.forcePurge] : values;
}

/** The state as `purged` records it: secret values replaced by a marker. */
function maskSecrets(state: PurgedState, secrets: SecretValues): PurgedState {
    const triggers: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [name, value] of Object.entries(state.triggers)) {
        triggers[name] = secrets.triggers.has(name) ? SECRET_VALUE : value;
    }
    const masked: PurgedState = { ...state, triggers: { ...triggers }, ...(secrets.scope === true ? { scope: SECRET_VALUE } : {}) };
    return secrets.forcePurge && state.forcePurge !== undefined ? { ...masked, forcePurge: SECRET_VALUE } : masked;
}

/** The recorded state with each masked value taken back from the (secret) top-level outputs it came with. */
function revealSecrets(purged: PurgedState, olds: Props): PurgedState {
    const oldTriggers = olds.triggers !== null && typeof olds.triggers === "object" ? olds.triggers as Record<string, unknown> : {};
    const triggers: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [name, value] of Object.entries(purged.triggers ?? {})) {
        const hidden = value === SECRET_VALUE && Object.hasOwn(oldTriggers, name) && typeof oldTriggers[name] === "string";
        triggers[name] = hidden ? oldTriggers[name] as string : value;
    }
    const forcePurge = purged.forcePurge === SECRET_VALUE && typeof olds.forcePurge === "string" ? olds.forcePurge : purged.forcePurge;
    return { ...purged, triggers, ...(forcePurge === undefined ? {} : { forcePurge }) };
}

/**
 * A map key `__proto__` (a trigger, a workflow, a URL) would be dropped by any ordinary object on the
 * way, silently; refuse it, naming where it is.
 */
function protoKeys(input: Props): CheckFailure[] {
    const failures: CheckFailure[] = [];
    // The path is kept in one array, pushed and popped: a map of 50,000 URLs made 50,000 copies of it.
    const path: (string | number)[] = [];
    const walk = (value: unknown, depth: number) => {
        if (value === null || typeof value !== "object" || depth > 4) {
            return;
        }
        const isList = Array.isArray(value);
        for (const key in value) {
            if (!Object.hasOwn(value, key)) {
                continue;
            }
            if (key === "__proto__") {
                failures.push({ property: String(path[0] ?? key), reason: `${formatPath([...path, key])}: the name "__proto__" is not allowed; choose another name` });
                continue;
            }
            const inner = (value as Props)[key];
            if (inner !== null && typeof inner === "object") {
                path.push(isList ? Number(key) : key);
                walk(inner, depth + 1);
                path.pop();
            }
        }
    };
    walk(input, 0);
    return failures;
}

/**
 * The implementation as the engine gets it, through the provider host: check failures without a
 * property. Given one, the CLI prints that input's whole value before the reason (`property urls value
 * {…} has a problem`): a map of thousands of URLs, or a URL with a password in it. Each reason already
 * starts with the input it is about. Tests in this repository use the implementation itself, where the
 * property says which input failed.
 */
export function engineFacing(implementation: ProviderImplementation): ProviderImplementation {
    return {
        ...implementation,
        async check(olds, news) {
            const result = await implementation.check(olds, news);
            return result.failures && result.failures.length > 0
                ? { ...result, failures: result.failures.map((f) => ({ property: "", reason: f.reason })) }
                : result;
        },
    };
}

/**
 * Twelve random hex digits: the first 48 bits of a random UUID, which Node draws from a buffered pool,
 * where `randomBytes` asks the system for each id (the larger cost of the two in a small create).
 */
function newIdSuffix(): string {
    return randomUUID().replace(/-/g, "").slice(0, 12);
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

/**
 * Outputs travel as a protobuf Struct, which refuses `undefined`: the keys holding it are dropped, as
 * JSON would drop them, and `undefined` in a list becomes `null`. A walk, not a JSON round trip, which
 * wrote and read again every megabyte of a large resource's URL text.
 */
function plainJson(props: Props): Props {
    return plainValue(props) as Props;
}

function plainValue(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map((item) => (item === undefined ? null : plainValue(item)));
    }
    if (value === null || typeof value !== "object") {
        return typeof value === "number" && !Number.isFinite(value) ? null : value;
    }
    if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
        // A Date, as JSON would write it.
        return plainValue((value as { toJSON: () => unknown }).toJSON());
    }
    const out: Props = {};
    for (const key in value) {
        const inner = (value as Props)[key];
        if (Object.hasOwn(value, key) && inner !== undefined && typeof inner !== "function") {
            setOwn(out, key, plainValue(inner));
        }
    }
    return out;
}

/**
 * Whether two values would serialize to the same JSON, key order aside. It walks both once, where
 * comparing canonical JSON texts sorted the keys of every object: a tenth of a second for 10,000 URLs,
 * on the diff of every deployment.
 */
function sameJson(a: unknown, b: unknown): boolean {
    if (a === b) {
        return true;
    }
    if (Array.isArray(a) || Array.isArray(b)) {
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
    }
    if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
        return false;
    }
    const left = a as Props;
    const right = b as Props;
    let count = 0;
    for (const key in left) {
        if (left[key] === undefined) {
            continue;
        }
        count++;
        if (!Object.prototype.hasOwnProperty.call(right, key) || !sameJson(left[key], right[key])) {
            return false;
        }
    }
    for (const key in right) {
        if (right[key] !== undefined) {
            count--;
        }
    }
    return count === 0;
}

function stableJson(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) => {
        if (v !== null && typeof v === "object" && !Array.isArray(v)) {
            return Object.fromEntries(Object.entries(v as Props).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        }
        return v;
    });
}
