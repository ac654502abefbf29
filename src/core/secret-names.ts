import type { CheckFailure } from "./inputs";
import { Redactor } from "./redact";

type Props = Record<string, unknown>;

/*
 * The texts the provider must never show because the resource, program side, said they are secret: the
 * target names of an input that is a secret as a whole (or holds a secret element), and the values of
 * secret settings. Read from the inputs themselves, as sent or as checked.
 */

/**
 * Check failures with the target names of each input the resource said holds secret names, and the
 * values of secret settings, redacted: a failure quotes the URL or workflow it is about. Read from the
 * input as sent, since it may not parse.
 */
export function hideNamesInFailures(failures: CheckFailure[], input: Props): CheckFailure[] {
    const hidden = [...namesIn(input), ...settingValues(input)];
    if (hidden.length === 0) {
        return failures;
    }
    const redactor = new Redactor(hidden);
    return failures.map((f) => ({ property: f.property, reason: redactor.redact(f.reason) }));
}

/** The target names, as written, of the inputs the resource said hold secret names: a map's keys, a list's elements. */
export function namesIn(input: Props): string[] {
    const names: string[] = [];
    for (const key of stringsIn(input.__secretTargetNames)) {
        const value = Object.hasOwn(input, key) ? input[key] : undefined;
        if (Array.isArray(value)) {
            names.push(...value.filter((v): v is string => typeof v === "string"));
        } else if (value !== null && typeof value === "object") {
            names.push(...Object.keys(value));
        }
    }
    return names;
}

/** The values of the settings inputs the resource said are secret. */
export function settingValues(input: Props): string[] {
    return stringsIn(input.__secretSettings)
        .map((key) => (Object.hasOwn(input, key) ? input[key] : undefined))
        .filter((value) => typeof value === "string" || typeof value === "number")
        .map(String);
}

/** The strings of a marker the resource set (a list of input or trigger names); none when it is anything else. */
export function stringsIn(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((n): n is string => typeof n === "string") : [];
}
