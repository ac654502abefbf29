import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { CredentialSpec } from "./credential-spec";
import { MissingCredentialError, PurgeError } from "./errors";

export type { CredentialSpec } from "./credential-spec";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a credential's value cannot be sent, or undefined when it can. Never quotes the value: a
 * credential with a stray line break is still a credential.
 */
export function credentialProblem(spec: CredentialSpec, value: string): string | undefined {
    if (/[\r\n]/.test(value)) {
        return "must not contain a line break (CR or LF); copy the value again without the end of line";
    }
    if (/[\u0000-\u0008\u000B-\u001F\u007F]/.test(value)) {
        return "must not contain control characters; copy the value again";
    }
    if (LONE_SURROGATE.test(value)) {
        return "must be valid Unicode text (it holds half of a surrogate pair); copy the value again";
    }
    if ((spec.carriedIn ?? "header") === "header" && /[^\u0000-\u00FF]/.test(value)) {
        return "must contain only Latin-1 characters, since it is sent in an HTTP header; copy the value again";
    }
    return undefined;
}

/** Where a credential was found, in the words a message uses. */
export function credentialSource(spec: CredentialSpec, inputs: Readonly<Record<string, unknown>>): string {
    const input = inputs[spec.input];
    if (typeof input === "string" && input !== "") {
        return `the ${spec.input} input`;
    }
    return fromConfig(spec.configKey) !== undefined ? `stack config ${spec.configKey}` : `environment variable ${spec.envVar}`;
}

/** Where each credential input's value came from; an input the service does not know reads as itself. */
export function credentialSources(specs: readonly CredentialSpec[], inputs: Readonly<Record<string, unknown>>): (input: string) => string {
    return (input) => {
        const spec = specs.find((s) => s.input === input);
        return spec === undefined ? `the ${input} input` : credentialSource(spec, inputs);
    };
}

/** Problems with every credential found, each naming the input and where the value came from, never the value. */
export function credentialProblems(specs: readonly CredentialSpec[], inputs: Readonly<Record<string, unknown>>): { input: string; reason: string }[] {
    const problems: { input: string; reason: string }[] = [];
    for (const spec of specs) {
        const value = findCredential(spec, inputs);
        const problem = value === undefined ? undefined : credentialProblem(spec, value);
        if (problem !== undefined) {
            problems.push({ input: spec.input, reason: `${spec.input}: ${problem} (from ${credentialSource(spec, inputs)})` });
        }
    }
    return problems;
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

/** Back to "configure has not run": the check command's config must not outlive its probes. */
export function forgetStackConfig(): void {
    stackConfig = undefined;
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
    const problem = credentialProblems(specs, inputs)[0];
    if (problem !== undefined) {
        throw new PurgeError(`${service}: ${problem.reason}`);
    }
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
