import { PurgeError } from "./purge-error";
import type { CredentialSpec } from "../credential-spec";

/** Thrown when a credential is in none of the three places it may come from. */
export class MissingCredentialError extends PurgeError {
    constructor(readonly service: string, readonly credential: CredentialSpec) {
        super(missingCredentialMessage(service, credential));
    }
}

export function missingCredentialMessage(service: string, credential: CredentialSpec): string {
    const setConfig = credential.secret
        ? `pulumi config set --secret ${credential.configKey} <value>`
        : `pulumi config set ${credential.configKey} <value>`;
    return `${service}: no ${credential.description}; pass ${credential.input}, run \`${setConfig}\`, or set ${credential.envVar}`;
}
