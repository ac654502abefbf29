import { shownUrl, userinfoProblem } from "../core/http/url";
import { describeValue } from "../core/inputs";
import { z } from "../core/zod";

/**
 * Names to purge of one kind (URLs, cache tags, surrogate keys): a list, each purged on create and when
 * the shared `triggers` change, or a map of each name to the content hash that decides when it is purged again.
 */
export type Names = readonly string[] | Readonly<Record<string, string>>;

/** Why one name is refused, or undefined when it is fine. Never quotes a URL's password or query. */
export type NameRule = (name: string) => string | undefined;

/**
 * A list or map of names, each checked by `rule`. Checked by hand rather than as a zod union: a union
 * reports "invalid input" for the whole value, where a person needs the entry at fault named. `urls`: the
 * names are URLs, so a value quoted whole is quoted without its credentials and query.
 */
export function namesSchema(rule: NameRule, urls = false) {
    return z.unknown().transform((value, ctx): Names => {
        const fail = (message: string, path: (string | number)[] = []) => {
            ctx.issues.push({ code: "custom", message, path, input: value });
        };
        const check = (name: unknown, path: (string | number)[]) => {
            if (typeof name !== "string" || name === "") {
                fail(`expected a non-empty string, got ${describeValue(name)}`, path);
                return;
            }
            const problem = rule(name);
            if (problem !== undefined) {
                fail(problem, path);
            }
        };
        if (Array.isArray(value)) {
            value.forEach((name, i) => check(name, [i]));
            if (value.length === 0) {
                fail("must list at least one entry, or be left out");
            }
            return [...new Set(value as string[])];
        }
        if (value !== null && typeof value === "object") {
            const map = value as Record<string, unknown>;
            const names = Object.keys(map);
            for (const name of names) {
                check(name, [name]);
                if (typeof map[name] !== "string") {
                    fail(`expected a content hash (a string), got ${describeValue(map[name])}`, [name]);
                }
            }
            if (names.length === 0) {
                fail("must map at least one entry to its content hash, or be left out");
            }
            return map as Record<string, string>;
        }
        const shown = urls && typeof value === "string" ? shownUrl(value) : describeValue(value);
        fail(`expected a list, or a map of each entry to its content hash, got ${shown}`);
        return [];
    });
}

/** A name list or map as entries of name and own hash (undefined for a list's). */
export function nameEntries(names: Names): Array<[string, string | undefined]> {
    return Array.isArray(names) ? (names as readonly string[]).map((n) => [n, undefined]) : Object.entries(names);
}

/** A URL visitors request: absolute, http or https, no blanks, no user name or password. */
export function absoluteHttpUrl(value: string): string | undefined {
    const credentials = userinfoProblem(value);
    if (credentials !== undefined) {
        return credentials;
    }
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return `expected an absolute URL such as https://www.example.com/css/styles.css, got ${shownUrl(value)}`;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        return `expected an http:// or https:// URL, got ${shownUrl(value)}`;
    }
    return /\s/.test(value) ? `must not contain blanks, got ${shownUrl(value)}` : undefined;
}
