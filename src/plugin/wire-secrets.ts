import { setOwn } from "../core/own-key";
import type { Props } from "./sdk";

/** The signature the engine puts on a secret value in a Struct, under this key (sdk/go/common/resource/sig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Whether a value as the engine sends it is a secret wrapper: `{ <sig>: <secret sig>, value }`. */
export function isWireSecret(value: unknown): value is { value: unknown } {
    return value !== null && typeof value === "object" && (value as Props)[SIG_KEY] === SECRET_SIG;
}

export function wireSecret(value: unknown): Props {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/** Whether the value is a secret or holds one at any depth. */
export function holdsWireSecret(value: unknown): boolean {
    if (isWireSecret(value)) {
        return true;
    }
    if (value !== null && typeof value === "object") {
        for (const inner of Object.values(value)) {
            if (holdsWireSecret(inner)) {
                return true;
            }
        }
    }
    return false;
}

/** The value with every secret wrapper removed, as the core works on plain values. */
export function revealed(value: unknown): unknown {
    if (isWireSecret(value)) {
        return revealed(value.value);
    }
    if (Array.isArray(value)) {
        return value.map(revealed);
    }
    if (value !== null && typeof value === "object") {
        const out: Props = {};
        for (const [key, inner] of Object.entries(value)) {
            setOwn(out, key, revealed(inner));
        }
        return out;
    }
    return value;
}

/** Each top-level value of `props` whose key is in `secretKeys` wrapped as a secret (once). */
export function withSecrets(props: Props, secretKeys: ReadonlySet<string>): Props {
    const out: Props = {};
    for (const [key, value] of Object.entries(props)) {
        setOwn(out, key, secretKeys.has(key) && value !== undefined && value !== null && !isWireSecret(value) ? wireSecret(value) : value);
    }
    return out;
}
