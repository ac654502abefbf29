import type * as dynamic from "@pulumi/pulumi/dynamic";

/**
 * The provider object a resource hands to Pulumi. Pulumi serializes it into the resource's state as
 * `__provider`, with everything its functions capture. So each method captures only one string, the
 * module that implements it, and requires that module when called: the serialized text stays about
 * 2 KB, the same for every version of this package, and holds no credential and no client.
 *
 * The module is resolved from the program's directory by the provider host, so it must be an exported
 * subpath of the installed package (`pulumi-cache-purge/provider/<service>`).
 */
export function thinProvider(implementation: string): dynamic.ResourceProvider {
    return {
        configure: (req) => require(implementation).configure(req),
        check: (olds, news) => require(implementation).check(olds, news),
        diff: (id, olds, news) => require(implementation).diff(id, olds, news),
        create: (inputs) => require(implementation).create(inputs),
        update: (id, olds, news) => require(implementation).update(id, olds, news),
        delete: (id, olds) => require(implementation).delete(id, olds),
    };
}
