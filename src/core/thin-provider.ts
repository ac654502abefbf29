import type * as dynamic from "@pulumi/pulumi/dynamic";

/** One provider object per implementation module, for the life of the program. */
const providers = new Map<string, dynamic.ResourceProvider>();

/**
 * The provider object a resource hands to Pulumi. Pulumi serializes it into the resource's state as
 * `__provider`, with everything its functions capture. So each method captures only one string, the
 * module that implements it, and requires that module when called: the serialized text stays small,
 * the same for every version of this package, and holds no credential and no client.
 *
 * Every resource of a service gets the same object: the SDK caches the serialized text by provider
 * object, so a new object per resource would serialize the closures again for each one (about 27 ms of
 * program CPU per resource, measured).
 *
 * The module is resolved from the program's directory by the provider host, so it must be an exported
 * subpath of the installed package (`pulumi-cache-purge/provider/<service>`).
 */
export function thinProvider(implementation: string): dynamic.ResourceProvider {
    let provider = providers.get(implementation);
    if (provider === undefined) {
        provider = newThinProvider(implementation);
        providers.set(implementation, provider);
    }
    return provider;
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
