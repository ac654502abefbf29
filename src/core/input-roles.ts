/**
 * Which inputs of a purge resource are settings, for the secret markers. The resource class decides it
 * program side, from Outputs (resource.ts), and the provider plugin from the engine's wire secrets
 * (src/plugin/markers.ts); both ask this one rule, so a program's scope is hidden the same either way.
 */

/** What a resource type declares about its inputs, as far as the rule needs it. */
export interface InputRoles {
    /** Inputs that hold credentials (and the HTTP resource's `secretHeaders`): secret whatever was sent. */
    readonly secretInputs: readonly string[];
    /** Inputs that give each target its own trigger. */
    readonly targetInputs?: readonly string[];
}

/** Inputs of every resource that are never settings: its triggers, and the outputs the class passes as inputs. */
const SHARED_INPUTS = ["triggers", "forcePurge", "receipt", "purgePlan"];

/**
 * Whether an input says where and how to purge (a base URL, a workspace): not a marker (`__…`), a
 * trigger, a credential nor a target. A setting that arrives secret hides the scope and the request URLs
 * built from it.
 */
export function isSetting(kind: InputRoles, key: string): boolean {
    return !key.startsWith("__") && !SHARED_INPUTS.includes(key)
        && !kind.secretInputs.includes(key) && !(kind.targetInputs ?? []).includes(key);
}
