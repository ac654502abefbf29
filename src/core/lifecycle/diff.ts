import type * as dynamic from "@pulumi/pulumi/dynamic";
import { holdsLargeBulk, yieldToEventLoop } from "../bulk-input";
import type { CommonInputs } from "../inputs";
import { containsUnknown } from "../unknown";
import type { Props } from "./keys";
import type { ServiceModel } from "./model";

/**
 * Diff: runs on every deployment, in preview too, so it is cheap and free of I/O. It alone sees the old
 * outputs, so it says the plan line of an update (what a failed purge left included).
 */
export async function diffInputs<I extends CommonInputs>(m: ServiceModel<I>, oldOutputs: Props, newInputs: Props): Promise<dynamic.DiffResult> {
    const { bulkInputs } = m;
    const large = holdsLargeBulk(newInputs, bulkInputs);
    const pause = () => (large ? yieldToEventLoop() : undefined);
    await pause();
    const olds = m.withDefaults(oldOutputs);
    await pause();
    const news = m.withDefaults(newInputs);
    // Always an explicit answer: `undefined` would make the engine compare every input itself,
    // `__provider` included, and a package upgrade would purge.
    if (containsUnknown(m.declared(news))) {
        return { changes: true };
    }
    await pause();
    const inputs = news as unknown as I;
    const plan = m.planFor(m.previousState(olds), inputs, olds);
    await pause();
    if (plan.targets.length > 0) {
        // Said here, not in check: only diff sees the old outputs, so only its line counts what a
        // purge that failed part-way left, which is what the update will send.
        m.sayPlan(inputs, newInputs, m.summary(inputs, plan, Object.keys(m.declaredTargets(inputs)).length));
    }
    // The plan line alone is no change: an update that purges nothing would follow every purge, and
    // every preview after a purge would show an update. So the `purgePlan` output is the plan of the
    // last deployment that changed the resource (README: Receipts and completion).
    return { changes: plan.targets.length > 0 || !m.sameSettings(olds, news) };
}
