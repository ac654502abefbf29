import * as pulumi from "@pulumi/pulumi";
import type { PurgeReceipt } from "./receipt";
import { thinProvider } from "./thin-provider";

/** What a purge resource class tells the base about itself. */
export interface PurgeResourceKind {
    /** The type token's module and type: `pulumi-nodejs:dynamic/<module>:<type>`. */
    readonly module: string;
    readonly type: string;
    /** The exported subpath that implements the provider: `pulumi-cache-purge/provider/<service>`. */
    readonly implementation: string;
    /** Inputs that hold credentials: wrapped in `pulumi.secret` and kept secret in outputs. */
    readonly secretInputs: readonly string[];
}

/**
 * The base of every purge resource: a Pulumi dynamic resource whose create and update call a service's
 * cache-clear API when its triggers change.
 */
export abstract class PurgeResource extends pulumi.dynamic.Resource {
    /** What the last `pulumi up` purged, why, and the service's ids; `null` until something was purged. */
    declare public readonly receipt: pulumi.Output<PurgeReceipt | null>;
    /** The plan of the last deployment in one line, as `pulumi preview` showed it. */
    declare public readonly purgePlan: pulumi.Output<string>;

    protected constructor(kind: PurgeResourceKind, name: string, args: object, opts?: pulumi.CustomResourceOptions) {
        const props: Record<string, unknown> = { ...args };
        for (const key of kind.secretInputs) {
            // A plain string passed by a user must still never reach the state in plaintext.
            if (props[key] !== undefined) {
                props[key] = pulumi.secret(props[key]);
            }
        }
        props.receipt = undefined;
        props.purgePlan = undefined;
        const additionalSecretOutputs = [...(opts?.additionalSecretOutputs ?? []), ...kind.secretInputs];
        super(thinProvider(kind.implementation), name, props, { ...opts, additionalSecretOutputs }, kind.module, kind.type);
    }
}
