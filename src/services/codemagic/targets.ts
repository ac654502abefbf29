import type { PurgeTarget } from "../../core/plan";
import { cachesUrl } from "./client";
import type { CodemagicInputs } from "./schema";

/** The one target when neither workflows nor cache ids are named: every cache of the app. */
export const ALL_CACHES = "all caches";

export type TargetMode = "all" | "workflows" | "cacheIds";

export function targetMode(inputs: CodemagicInputs): TargetMode {
    if (inputs.workflows !== undefined) {
        return "workflows";
    }
    return inputs.cacheIds !== undefined ? "cacheIds" : "all";
}

/**
 * One target per workflow, with the workflow's hash as its own trigger, so a changed hash purges only
 * that workflow; one per cache id; or one for the whole app, driven by the shared triggers.
 */
export function codemagicTargets(inputs: CodemagicInputs): PurgeTarget[] {
    switch (targetMode(inputs)) {
        case "workflows":
            return Object.entries(inputs.workflows ?? {}).map(([key, trigger]) => ({ key, trigger }));
        case "cacheIds":
            return (inputs.cacheIds ?? []).map((key) => ({ key }));
        default:
            return [{ key: ALL_CACHES }];
    }
}

/** The endpoint and the app: pointing the resource at another app purges everything there. */
export function codemagicScope(inputs: CodemagicInputs): string {
    return cachesUrl(inputs.baseUrl, inputs.appId).toString();
}

/**
 * The requests for `pulumi preview`, without I/O: the cache ids of a workflow are known only once
 * the list has been read, so a workflow's deletions are shown by name.
 */
export function codemagicRequests(inputs: CodemagicInputs, keys: readonly string[]): string[] {
    if (keys.length === 0) {
        return [];
    }
    const list = `GET ${codemagicScope(inputs)}`;
    const mode = targetMode(inputs);
    const deletes = mode === "all"
        ? [`DELETE ${codemagicScope(inputs)}`]
        : keys.map((key) => `DELETE ${codemagicScope(inputs)}/${mode === "workflows" ? `<caches of ${key}>` : encodeURIComponent(key)}`);
    const polls = inputs.wait ? [`${list} until the deleted caches are gone`] : [];
    return [list, ...deletes, ...polls];
}
