import type * as dynamic from "@pulumi/pulumi/dynamic";
import * as path from "path";

/** One provider object per implementation module, for the life of the program. */
const providers = new Map<string, dynamic.ResourceProvider>();

/**
 * The provider object a resource hands to Pulumi. Pulumi serializes it into the resource's state as
 * `__provider`, with everything its functions capture, so it must capture no credential and no client,
 * and stay the same for every version of this package.
 *
 * Installed as a package (under node_modules), the object is the implementation module itself: the
 * SDK's serializer writes a module found under node_modules as `require("<package>/<exported
 * subpath>")`, so `__provider` is that one line and the SDK's wrapper (under 300 bytes, measured). Anywhere else (a repository
 * linked into node_modules, whose real path is outside it) the serializer would copy the module by
 * value, so the object is thin instead: each method requires the module when called (about 2 KB).
 *
 * Every resource of a service gets the same object: the SDK caches the serialized text by provider
 * object, so a new object per resource would serialize it again for each one (about 27 ms of program
 * CPU per resource, measured).
 *
 * The module is resolved from the program's directory by the provider host, so it must be an exported
 * subpath of the installed package (`pulumi-cache-purge/provider/<service>`).
 */
export function thinProvider(implementation: string): dynamic.ResourceProvider {
    let provider = providers.get(implementation);
    if (provider === undefined) {
        provider = installedModule(implementation) ?? newThinProvider(implementation);
        providers.set(implementation, provider);
    }
    return provider;
}

/** The implementation module, when it is installed where the serializer will name rather than copy it. */
function installedModule(implementation: string): dynamic.ResourceProvider | undefined {
    let file: string;
    try {
        file = require.resolve(implementation);
    } catch {
        return undefined;
    }
    if (!file.split(path.sep).includes("node_modules")) {
        return undefined;
    }
    return require(file) as dynamic.ResourceProvider;
}

function newThinProvider(implementation: string): dynamic.ResourceProvider & { readonly module: string } {
    // Methods read the module from the object they are called on (the host calls `provider.check(...)`),
    // so the serialized text names it once rather than once per method.
    return {
        module: implementation,
        configure(req) { return require(this.module).configure(req); },
        check(olds, news) { return require(this.module).check(olds, news); },
        diff(id, olds, news) { return require(this.module).diff(id, olds, news); },
        create(inputs) { return require(this.module).create(inputs); },
        update(id, olds, news) { return require(this.module).update(id, olds, news); },
        delete(id, olds) { return require(this.module).delete(id, olds); },
    };
}
