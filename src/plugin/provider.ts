import type * as dynamic from "@pulumi/pulumi/dynamic";
import { createProviderImplementation, engineFacing } from "../core/provider-implementation";
import type { PurgeService } from "../core/service";
import { services } from "../services/registry";
import { ResourceAdapter } from "./resource-adapter";
import { kinds } from "./schema.generated";

/** Every resource type the plugin serves, by type token (`cache-purge:imagekit:UrlPurge`). */
export function resourceAdapters(): ReadonlyMap<string, ResourceAdapter> {
    const byName = new Map(services.map((service) => [service.name, service as unknown as PurgeService]));
    const adapters = new Map<string, ResourceAdapter>();
    for (const [token, kind] of Object.entries(kinds)) {
        const service = byName.get(kind.service);
        if (service === undefined) {
            throw new Error(`${token}: no service named ${kind.service} in src/services/registry.ts`);
        }
        adapters.set(token, new ResourceAdapter(kind, engineFacing(createProviderImplementation(service))));
    }
    return adapters;
}

/**
 * The stack config as Configure delivers it: `variables` by full key (`cache-purge:imagekitPrivateKey`),
 * and `args` by the key without the package (secrets wrapped, already revealed here). The credentials
 * read the full key, exactly as the dynamic provider's config gives it.
 */
export function stackConfig(variables: ReadonlyMap<string, string>, args: Readonly<Record<string, unknown>>, pkg: string): dynamic.Config {
    const values = new Map(variables);
    for (const [key, value] of Object.entries(args)) {
        const full = key.includes(":") ? key : `${pkg}:${key}`;
        if (!values.has(full) && value !== undefined && value !== null) {
            values.set(full, typeof value === "string" ? value : JSON.stringify(value));
        }
    }
    return {
        get: (key) => values.get(key),
        require: (key) => {
            const value = values.get(key);
            if (value === undefined) {
                throw new Error(`missing required configuration key ${key}`);
            }
            return value;
        },
    };
}
