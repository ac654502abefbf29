import { findCredential, stackConfigKnown } from "../credentials";
import { expandBulk, packBulk } from "../bulk-input";
import { missingCredentialMessage } from "../errors/missing-credential-error";
import { type CheckFailure, type CommonInputs, commonInputShape } from "../inputs";
import { setOwn } from "../own-key";
import { fromPurgedRecord, planPurge, type PurgedRecord, type PurgedState, type PurgePlan } from "../plan";
import { summarizePlan } from "../plan-summary";
import { progressLog } from "../progress-log";
import { Redactor } from "../redact";
import { namesIn, settingValues } from "../secret-names";
import type { PurgeService } from "../service";
import { z } from "../zod";
import { sameJson } from "./json";
import { NOT_DECLARED, type Props, PURGED_KEY, SECRET_VALUE, SET_BY_RESOURCE, urnOf } from "./keys";
import { revealSecrets, secretTriggerValues, secretValues } from "./secret-values";

/** Secret trigger values shorter than this are not looked for in the plan line (see sayPlan). */
const MIN_GUARDED_TRIGGER_LENGTH = 4;

/** What the lifecycle knows of one service: its inputs' schema and defaults, its state, plan and plan line. */
export type ServiceModel<I extends CommonInputs> = ReturnType<typeof serviceModel<I>>;

/**
 * One service's model, made once per service: every step of the lifecycle (check.ts, diff.ts,
 * execute.ts) reads its inputs, state and plan through it, whichever adapter calls them.
 */
export function serviceModel<I extends CommonInputs>(service: PurgeService<I>) {
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

    return {
        service, secretFields, bulkInputs, declared, expand, schema, withDefaults, desiredState, declaredTargets,
        previousState, stateFromOldInputs, planFor, summary, secretTargetNames, secretSettingTexts, sameSettings,
        storedForm, sayPlan, missingCredentials,
    };
}
