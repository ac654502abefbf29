import type * as dynamic from "@pulumi/pulumi/dynamic";
import { holdsLargeBulk, yieldToEventLoop } from "../bulk-input";
import { credentialProblems } from "../credentials";
import { type CheckFailure, type CommonInputs, formatPath, toCheckFailures } from "../inputs";
import { nameProblems } from "../names";
import { summarizeUnknown } from "../plan-summary";
import { hideNamesInFailures } from "../secret-names";
import { containsUnknown } from "../unknown";
import { PLAN_KEY, previousLine, type Props, SET_BY_RESOURCE, urnInput } from "./keys";
import type { ServiceModel } from "./model";

/**
 * Check: validates what the program declared, before any request, and plans the purge from the old
 * inputs; returns what the engine keeps (the declared values in checked form, the URN, the plan line).
 */
export async function checkInputs<I extends CommonInputs>(m: ServiceModel<I>, oldInputs: Props, news: Props): Promise<dynamic.CheckResult> {
    const { service, bulkInputs, secretFields } = m;
    // Large inputs are read in steps, with the event loop let run between them, and between the
    // host's decoding of the request and the first step, and the last step and its encoding of
    // the answer: each of those is tens of milliseconds for a megabyte of text.
    const large = holdsLargeBulk(news, bulkInputs);
    const pause = () => (large ? yieldToEventLoop() : undefined);
    await pause();
    const asSent = m.declared(news);
    const input = m.expand(asSent);
    await pause();
    const failures: CheckFailure[] = [];
    const inputSchema = m.schema();
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
    const desired = m.desiredState(inputs);
    // The engine passes the old inputs (none for a create): they are enough to preview the plan.
    const olds = Object.keys(m.declared(oldInputs)).length === 0 ? undefined : m.withDefaults(oldInputs);
    const previous = olds === undefined ? undefined : m.stateFromOldInputs(olds);
    await pause();
    const plan = m.planFor(previous, inputs, olds, desired);
    await pause();
    // A credential is needed only by a deployment that purges: a preview in CI without secrets (a
    // pull request from a fork) passes when nothing would be purged.
    const planFailures = [...(service.checkPlan?.(inputs, plan) ?? []), ...(plan.targets.length > 0 ? m.missingCredentials(input) : [])];
    if (planFailures.length > 0) {
    return { inputs: news, failures: hideNamesInFailures(planFailures, input) };
    }
    // Nothing declared changed: the line stored last time is kept byte for byte, so the engine sees
    // the same inputs and does not rewrite the checkpoint once per unchanged resource.
    const nothingChanged = olds !== undefined && plan.targets.length === 0 && m.sameSettings(olds, inputs as unknown as Props);
    const line = nothingChanged ? previousLine(oldInputs) : m.summary(inputs, plan, Object.keys(desired.targets).length);
    if (olds === undefined && plan.targets.length > 0) {
    // A create's plan, under the resource, in plain `pulumi preview` too (which shows no input
    // values); an update's is said by diff, which sees what the last purge left. The line
    // already names no secret target (see summary).
    m.sayPlan(inputs, news, line);
    }
    const stored = { ...m.storedForm(asSent, inputs), ...urnInput(news), [PLAN_KEY]: line };
    await pause();
    return { inputs: stored };
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
