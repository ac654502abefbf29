/**
 * Request templates: text with `{target}` (or, in a status URL, `{id}`) placeholders. Pure: no I/O.
 * A placeholder is a name in single braces; any other brace is text (a JSON body may hold "{...}").
 */

/** A name in single braces: `{target}`. Doubled braces are matched too, to be refused with a hint. */
const PLACEHOLDER = /\{\{?\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}?\}/g;

/** How a value lands in the text: URL-encoded, or as it is (a header; JSON escaping is JSON.stringify's). */
export type Encoding = "url" | "raw";

/** The placeholder names a text uses, and what is wrong with how it writes them. */
export function placeholdersIn(text: string, allowed: readonly string[]): { names: Set<string>; problems: string[] } {
    const names = new Set<string>();
    const problems: string[] = [];
    for (const match of text.matchAll(PLACEHOLDER)) {
        const [whole, name] = match;
        if (whole !== `{${name}}`) {
            problems.push(`write the placeholder as {${name}}, with single braces and no blanks, got ${JSON.stringify(whole)}`);
            continue;
        }
        if (!allowed.includes(name)) {
            problems.push(`unknown placeholder {${name}}; ${allowed.length === 1 ? `the only placeholder here is {${allowed[0]}}` : `expected one of ${allowed.map((a) => `{${a}}`).join(", ")}`}`);
            continue;
        }
        names.add(name);
    }
    for (const name of allowed) {
        // `{target` without its closing brace, or `target}` opened elsewhere: a typo that would send the text as it is.
        if (new RegExp(`\\{\\s*${name}(?![\\s]*\\})`).test(text)) {
            problems.push(`the placeholder {${name}} is not closed`);
        }
    }
    return { names, problems };
}

/** The text with every `{name}` replaced by its value, encoded for where it lands. */
export function fill(text: string, values: Readonly<Record<string, string>>, encoding: Encoding): string {
    return text.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
        if (!Object.hasOwn(values, name)) {
            return whole;
        }
        return encoding === "url" ? encodeURIComponent(values[name]) : values[name];
    });
}

/** Every string of a JSON template (keys included) with its placeholders filled, as it is: JSON.stringify escapes it. */
export function fillJson(template: unknown, values: Readonly<Record<string, string>>): unknown {
    if (typeof template === "string") {
        return fill(template, values, "raw");
    }
    if (Array.isArray(template)) {
        return template.map((item) => fillJson(item, values));
    }
    if (template !== null && typeof template === "object") {
        const out: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(template)) {
            Object.defineProperty(out, fill(key, values, "raw"), { value: fillJson(value, values), enumerable: true, writable: true, configurable: true });
        }
        return out;
    }
    return template;
}

/** Every string of a JSON template, keys included, with its path, for checks. */
export function stringsOf(template: unknown, path: (string | number)[] = []): Array<{ text: string; path: (string | number)[] }> {
    if (typeof template === "string") {
        return [{ text: template, path }];
    }
    if (Array.isArray(template)) {
        return template.flatMap((item, i) => stringsOf(item, [...path, i]));
    }
    if (template !== null && typeof template === "object") {
        return Object.entries(template).flatMap(([key, value]) => [{ text: key, path }, ...stringsOf(value, [...path, key])]);
    }
    return [];
}
