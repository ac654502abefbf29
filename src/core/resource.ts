import * as pulumi from "@pulumi/pulumi";
import type { PurgeReceipt } from "./receipt";
import { toBulkText } from "./bulk-input";
import { isSetting } from "./input-roles";
import { holdsSecret, secretEntryNames, secretInputs, secretNameInputs } from "./secret-inputs";
import { thinProvider } from "./thin-provider";
import { replaceLongNames } from "./long-names";

/** The input that carries the resource's own URN to the provider. */
export const URN_INPUT = "__urn";

/** What a purge resource class tells the base about itself. */
export interface PurgeResourceKind {
    /** The type token's module and type: `pulumi-nodejs:dynamic/<module>:<type>`. */
    readonly module: string;
    readonly type: string;
    /** The exported subpath that implements the provider: `pulumi-cache-purge/provider/<service>`. */
    readonly implementation: string;
    /** Inputs that hold credentials: wrapped in `pulumi.secret` and kept secret in outputs. */
    readonly secretInputs: readonly string[];
    /** Inputs that can hold thousands of entries: they travel as JSON text (see bulk-input.ts); the service names the same. */
    readonly bulkInputs?: readonly string[];
    /**
     * Inputs that give each target its own trigger (a URL or a workflow to its hash). When a value in one
     * of them is a secret, the plan and receipt say that a target's trigger changed, never from what to what.
     */
    readonly targetInputs?: readonly string[];
}

/**
 * The base of every purge resource: a Pulumi dynamic resource whose create and update call a service's
 * cache-clear API when its triggers change.
 */
export abstract class PurgeResource extends pulumi.dynamic.Resource {
    /** What the last `pulumi up` purged, why, and the service's ids; `null` until something was purged. */
    declare public readonly receipt: pulumi.Output<PurgeReceipt | null>;
    /**
     * The plan of the last deployment that purged or changed this resource, in one line. A deployment
     * that purges nothing leaves the resource unchanged, and Pulumi keeps its outputs; the plan of the
     * current deployment is the line shown under the resource in `pulumi preview` and `pulumi up`.
     */
    declare public readonly purgePlan: pulumi.Output<string>;

    protected constructor(kind: PurgeResourceKind, name: string, args: object, opts?: pulumi.CustomResourceOptions) {
        const props: Record<string, unknown> = { ...args };
        replaceLongNames(props, [...kind.secretInputs, ...(kind.bulkInputs ?? [])]);
        // Read before the bulk inputs below become text, which hides what was a secret inside them.
        const secretTargets = holdsSecret((kind.targetInputs ?? []).map((key) => props[key]));
        const secretTargetNames = secretNameInputs(kind.targetInputs ?? [], props);
        const secretSettings = secretInputs(Object.keys(props).filter((key) => isSetting(kind, key)), props);
        for (const key of kind.secretInputs) {
            // A plain string passed by a user must still never reach the state in plaintext.
            if (props[key] !== undefined) {
                props[key] = pulumi.secret(props[key]);
            }
        }
        for (const key of kind.bulkInputs ?? []) {
            if (props[key] !== undefined) {
                props[key] = pulumi.output(props[key]).apply(toBulkText);
            }
        }
        // The provider sees every secret unwrapped; only here, program side, can it be told which trigger
        // values were secrets, so that its plan, receipt and records name them without their values.
        // Passed only when there may be one: the SDK makes four promises, each with a stack trace, for
        // every input of every resource, the largest part of a resource's cost in the program.
        const secretTriggers = secretEntryNames(props.triggers);
        if (!(Array.isArray(secretTriggers) && secretTriggers.length === 0)) {
            props.__secretTriggers = secretTriggers;
        }
        const secretForcePurge = holdsSecret([props.forcePurge]);
        if (secretForcePurge !== false) {
            props.__secretForcePurge = secretForcePurge;
        }
        if (secretTargets !== false) {
            props.__secretTargets = secretTargets;
        }
        if (!(Array.isArray(secretTargetNames) && secretTargetNames.length === 0)) {
            props.__secretTargetNames = secretTargetNames;
        }
        if (!(Array.isArray(secretSettings) && secretSettings.length === 0)) {
            props.__secretSettings = secretSettings;
        }
        props.receipt = undefined;
        props.purgePlan = undefined;
        // The provider is never told which resource it serves; with the URN its plan and progress lines
        // show under this resource in `pulumi preview` and `pulumi up`. The CLI hides `__` inputs.
        props[URN_INPUT] = ownUrn(name, `pulumi-nodejs:dynamic/${kind.module}:${kind.type}`, opts?.parent);
        const additionalSecretOutputs = [...(opts?.additionalSecretOutputs ?? []), ...kind.secretInputs];
        super(thinProvider(kind.implementation), name, props, { ...opts, additionalSecretOutputs }, kind.module, kind.type);
    }
}

/**
 * The URN this resource will have. `createUrn(name, type, parent)` would make the resource depend on its
 * parent, and depending on a component means depending on all its children, this resource among them:
 * a cycle the SDK waits on forever. Only the parent's URN value is needed, so it is taken without the
 * dependency. Without a parent (the stack's children) it is known at once, and a plain string costs the
 * SDK no output to resolve and serialize per resource.
 */
function ownUrn(name: string, type: string, parent: pulumi.Resource | undefined): pulumi.Input<string> {
    if (parent === undefined) {
        return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${type}::${name}`;
    }
    const parentUrn = new Promise<string>((resolve) => parent.urn.apply((urn) => { resolve(urn); return urn; }));
    return pulumi.createUrn(name, type, pulumi.output(parentUrn));
}
