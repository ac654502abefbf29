import type { CommonInputs } from "../inputs";
import type { PurgedState, SecretValues } from "../plan";
import { stringsIn } from "../secret-names";
import { type Props, SECRET_VALUE } from "./keys";

/**
 * The trigger names, and whether `forcePurge` and the targets' own triggers, are secrets, as the resource
 * (program side) told the provider, now or last time.
 */
export function secretValues(inputs: CommonInputs, olds: Props = {}): SecretValues {
    const names = stringsIn;
    return {
        triggers: new Set([...names(inputs.__secretTriggers), ...names(olds.__secretTriggers)]),
        forcePurge: inputs.__secretForcePurge === true || olds.__secretForcePurge === true,
        targets: inputs.__secretTargets === true || olds.__secretTargets === true,
        scope: names(inputs.__secretSettings).length > 0 || names(olds.__secretSettings).length > 0,
    };
}

export function secretTriggerValues(inputs: CommonInputs): string[] {
    const secrets = secretValues(inputs);
    const values = [...secrets.triggers].filter((name) => Object.hasOwn(inputs.triggers, name)).map((name) => inputs.triggers[name]);
    return secrets.forcePurge && inputs.forcePurge !== undefined ? [...values, inputs.forcePurge] : values;
}

/** The state as `purged` records it: secret values replaced by a marker. */
export function maskSecrets(state: PurgedState, secrets: SecretValues): PurgedState {
    const triggers: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [name, value] of Object.entries(state.triggers)) {
        triggers[name] = secrets.triggers.has(name) ? SECRET_VALUE : value;
    }
    const masked: PurgedState = { ...state, triggers: { ...triggers }, ...(secrets.scope === true ? { scope: SECRET_VALUE } : {}) };
    return secrets.forcePurge && state.forcePurge !== undefined ? { ...masked, forcePurge: SECRET_VALUE } : masked;
}

/** The recorded state with each masked value taken back from the (secret) top-level outputs it came with. */
export function revealSecrets(purged: PurgedState, olds: Props): PurgedState {
    const oldTriggers = olds.triggers !== null && typeof olds.triggers === "object" ? olds.triggers as Record<string, unknown> : {};
    const triggers: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [name, value] of Object.entries(purged.triggers ?? {})) {
        const hidden = value === SECRET_VALUE && Object.hasOwn(oldTriggers, name) && typeof oldTriggers[name] === "string";
        triggers[name] = hidden ? oldTriggers[name] as string : value;
    }
    const forcePurge = purged.forcePurge === SECRET_VALUE && typeof olds.forcePurge === "string" ? olds.forcePurge : purged.forcePurge;
    return { ...purged, triggers, ...(forcePurge === undefined ? {} : { forcePurge }) };
}
