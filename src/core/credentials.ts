import type * as dynamic from "@pulumi/pulumi/dynamic";
import { MissingCredentialError } from "./errors";

/**
 * Where one credential may come from, in order: the resource input, the stack config (read by the
 * provider's `configure`, so it is never captured in the serialized provider), an environment variable
 * of the process that runs the provider.
 */
export interface CredentialSpec {
    /** The resource input: `accessToken`. */
    readonly input: string;
    /** The namespaced stack config key: `cache-purge:<service><Name>`. */
    readonly configKey: string;
    /** The environment variable: `<SERVICE>_<NAME>`. */
    readonly envVar: string;
    /** What it is, in the vendor's words, for messages: `access token`. */
    readonly description: string;
    /** Secrets are wrapped with `pulumi.secret` and redacted from every message. */
    readonly secret: boolean;
    /** An optional credential may be absent (another way of authenticating is used). */
    readonly optional?: boolean;
}

export type CredentialValues = Readonly<Record<string, string | undefined>>;

/**
 * The stack config as `configure` delivered it. `undefined` means `configure` has not run, which happens
 * when the provider is driven without an engine; `check` must then still work.
 */
let stackConfig: dynamic.Config | undefined;

export function rememberStackConfig(config: dynamic.Config): void {
    stackConfig = config;
}

export function stackConfigKnown(): boolean {
    return stackConfig !== undefined;
}

function fromConfig(key: string): string | undefined {
    const value: unknown = stackConfig?.get(key);
    if (value === undefined || value === null || value === "") {
        return undefined;
    }
    return typeof value === "string" ? value : JSON.stringify(value);
}

function fromEnv(name: string): string | undefined {
    const value = process.env[name];
    return value === undefined || value === "" ? undefined : value;
}

/** The first of input, stack config and environment that holds the credential. */
export function findCredential(spec: CredentialSpec, inputs: Readonly<Record<string, unknown>>): string | undefined {
    const input = inputs[spec.input];
    if (typeof input === "string" && input !== "") {
        return input;
    }
    return fromConfig(spec.configKey) ?? fromEnv(spec.envVar);
}

/** Resolves every credential of a service; a required one that is missing throws, naming all three ways to set it. */
export function resolveCredentials(service: string, specs: readonly CredentialSpec[], inputs: Readonly<Record<string, unknown>>): CredentialValues {
    const values: Record<string, string | undefined> = {};
    for (const spec of specs) {
        const value = findCredential(spec, inputs);
        if (value === undefined && !spec.optional) {
            throw new MissingCredentialError(service, spec);
        }
        values[spec.input] = value;
    }
    return values;
}
