import type * as dynamic from "@pulumi/pulumi/dynamic";
import { SET_BY_RESOURCE } from "../core/lifecycle/keys";
import type { ProviderImplementation } from "../core/provider-implementation";
import type { PluginResourceKind } from "./kinds";
import { resourceMarkers } from "./markers";
import type { Props } from "./sdk";
import { holdsWireSecret, revealed, withSecrets } from "./wire-secrets";

/** Inputs only the resource class (or here, the markers) sets; a program's own value is never taken. */
const MARKER_KEYS = ["__urn", ...SET_BY_RESOURCE];

/** A provider error the engine records as a partial failure: the outputs of what was done. */
interface PartialFailure extends Error {
    id: string;
    properties: Props;
    reasons: string[];
}

/**
 * One resource type served by the plugin: the same lifecycle the dynamic provider runs
 * (`createProviderImplementation(service)`), with only the transport translated. In: the engine's
 * secret wrappers become plain values plus the markers the TypeScript class computes program side.
 * Out: every top-level value that held a secret when it came in, and every credential input, is a
 * secret again, in the stored inputs, the outputs and a partial failure's outputs alike.
 */
export class ResourceAdapter {
    constructor(private readonly kind: PluginResourceKind, private readonly implementation: ProviderImplementation) {}

    configure(config: dynamic.Config): Promise<void> {
        return this.implementation.configure({ config });
    }

    async check(urn: string, wireOlds: Props, wireNews: Props): Promise<{ inputs: Props; failures: readonly { property: string; reason: string }[] }> {
        const news = { ...withoutMarkers(revealed(wireNews) as Props), ...resourceMarkers(this.kind, wireNews, urn) };
        const result = await this.implementation.check(revealed(wireOlds) as Props, news);
        const inputs = (result.inputs ?? news) as Props;
        return { inputs: withSecrets(inputs, this.secretKeys(wireNews)), failures: result.failures ?? [] };
    }

    async diff(id: string, wireOlds: Props, wireNews: Props): Promise<boolean | undefined> {
        const result = await this.implementation.diff(id, revealed(wireOlds) as Props, revealed(wireNews) as Props);
        return result.changes;
    }

    async create(wireNews: Props): Promise<{ id: string; outs: Props }> {
        const result = await this.secretsKept(wireNews, () => this.implementation.create(revealed(wireNews) as Props));
        return { id: result.id, outs: withSecrets(result.outs as Props, this.secretKeys(wireNews)) };
    }

    async update(id: string, wireOlds: Props, wireNews: Props): Promise<Props> {
        const result = await this.secretsKept(wireNews, () => this.implementation.update(id, revealed(wireOlds) as Props, revealed(wireNews) as Props));
        return withSecrets(result.outs as Props, this.secretKeys(wireNews));
    }

    delete(id: string, wireOlds: Props): Promise<void> {
        return this.implementation.delete(id, revealed(wireOlds) as Props);
    }

    /** Credentials always; any other input that held a secret as the engine sent it. */
    private secretKeys(wireInputs: Props): Set<string> {
        const keys = new Set(this.kind.secretInputs);
        for (const [key, value] of Object.entries(wireInputs)) {
            if (holdsWireSecret(value)) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** A partial failure's outputs are state too: their secrets are marked as the outputs' are. */
    private async secretsKept<T>(wireInputs: Props, run: () => Promise<T>): Promise<T> {
        try {
            return await run();
        } catch (error) {
            if (isPartialFailure(error)) {
                error.properties = withSecrets(error.properties, this.secretKeys(wireInputs));
            }
            throw error;
        }
    }
}

function withoutMarkers(props: Props): Props {
    const out = { ...props };
    for (const key of MARKER_KEYS) {
        delete out[key];
    }
    return out;
}

function isPartialFailure(error: unknown): error is PartialFailure {
    return error instanceof Error && typeof (error as Partial<PartialFailure>).id === "string"
        && (error as Partial<PartialFailure>).properties !== null && typeof (error as Partial<PartialFailure>).properties === "object";
}
