import type * as dynamic from "@pulumi/pulumi/dynamic";
import { rememberStackConfig } from "./credentials";
import type { CommonInputs } from "./inputs";
import { checkInputs } from "./lifecycle/check";
import { diffInputs } from "./lifecycle/diff";
import { createResource, deleteResource, updateResource } from "./lifecycle/execute";
import type { Props } from "./lifecycle/keys";
import { serviceModel } from "./lifecycle/model";
import { watchEngine } from "./progress-log";
import type { PurgeService } from "./service";

export { SECRET_VALUE } from "./lifecycle/keys";

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

/**
 * The purge lifecycle of one service, as both adapters call it: the dynamic provider (through the
 * serialized provider's `require` of `pulumi-cache-purge/provider/<service>`) and the provider plugin
 * (src/plugin). Each adapter only translates its transport; the steps live in src/core/lifecycle.
 */
export function createProviderImplementation<I extends CommonInputs>(service: PurgeService<I>): ProviderImplementation {
    // In the provider host, which loads this module for its first call: leave when the engine is gone.
    watchEngine();
    const model = serviceModel(service);
    return {
        async configure(req) {
            rememberStackConfig(req.config);
        },
        check: (oldInputs, news) => checkInputs(model, oldInputs, news),
        diff: (_id, oldOutputs, newInputs) => diffInputs(model, oldOutputs, newInputs),
        create: (news) => createResource(model, news),
        update: (id, oldOutputs, news) => updateResource(model, id, oldOutputs, news),
        delete: (id, olds) => deleteResource(model, id, olds),
    };
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
