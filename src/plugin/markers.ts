import { isSetting } from "../core/input-roles";
import type { PluginResourceKind } from "./kinds";
import type { Props } from "./sdk";
import { holdsWireSecret, isWireSecret } from "./wire-secrets";

/**
 * The inputs the TypeScript resource class computes program side (src/core/resource.ts), derived here
 * from the secret wrappers the engine sends: which trigger names, targets and target names are
 * secrets, whether `forcePurge` is, and the resource's URN for the plan line. Only markers that say
 * something are set, as the class sets them.
 */
export function resourceMarkers(kind: PluginResourceKind, wireInputs: Props, urn: string): Props {
    const markers: Props = { __urn: urn };
    const triggerNames = secretTriggerNames(wireInputs.triggers);
    if (triggerNames.length > 0) {
        markers.__secretTriggers = triggerNames;
    }
    if (isWireSecret(wireInputs.forcePurge)) {
        markers.__secretForcePurge = true;
    }
    if (kind.targetInputs.some((key) => holdsWireSecret(wireInputs[key]))) {
        markers.__secretTargets = true;
    }
    // As the class decides (src/core/secret-inputs.ts): a target input secret as a whole, or a list with a
    // secret element, has secret names.
    const secretNames = kind.targetInputs.filter((key) => {
        const value = wireInputs[key];
        return isWireSecret(value) || (Array.isArray(value) && value.some(isWireSecret));
    });
    if (secretNames.length > 0) {
        markers.__secretTargetNames = secretNames;
    }
    // A setting that arrives secret (a base URL) hides the scope and the request URLs built from it.
    const secretSettings = Object.keys(wireInputs).filter((key) => isSetting(kind, key) && holdsWireSecret(wireInputs[key]));
    if (secretSettings.length > 0) {
        markers.__secretSettings = secretSettings;
    }
    return markers;
}

/** The trigger names whose values are secrets: every name when the whole map is one. */
function secretTriggerNames(triggers: unknown): string[] {
    if (isWireSecret(triggers)) {
        const map = triggers.value;
        return map !== null && typeof map === "object" && !Array.isArray(map) ? Object.keys(map) : [];
    }
    if (triggers === null || typeof triggers !== "object" || Array.isArray(triggers)) {
        return [];
    }
    return Object.entries(triggers).filter(([, value]) => isWireSecret(value)).map(([name]) => name);
}
