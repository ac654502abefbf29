import fc from "fast-check";

/**
 * Random and adversarial resource inputs for the bad-input tests: every input is sometimes well formed,
 * sometimes of a wrong type, sometimes a string built to break a path, a host or a parser, and sometimes
 * missing; objects carry unknown keys at the top and inside.
 */

/** Strings that have broken URL builders, parsers and terminals before. */
export const NASTY_PIECES = [
    "../", "..", ".", "../../admin", "..%2f..%2fadmin", "%2f", "%2F", "%2e%2e", "%2e%2e%2f", "/", "//evil.example",
    "?", "a?b=c", "#", "a#b", "?x#y", "http://evil.example/x", "https://evil.example", "@evil.example", ":@evil.example",
    "\\..\\", " ", "\t", "\n", "\r\n", "\u0000", "%00", "é", "ß", "İ", "😀", "\u202e", "\ufeff", "\ud800", "a b",
    "${x}", "<script>", "'\"", "__proto__", "constructor", "toString", "%", "%zz", "*", ";", ",", "&", "=",
    // Issue 13: malformed and alternative percent-encoding, half surrogate pairs, control characters,
    // more Object.prototype names, and URL credentials that must never be echoed.
    "100%", "%ZZ", "%E2%82", "%61", "%2e", "%c3%a9", "\udc00", "a\ud83d", "\u0007", "\u001b[31m", "\u0085", "\u2028",
    "valueOf", "hasOwnProperty", "__defineGetter__", "isPrototypeOf", "user:S3cretPassw0rd@", "?token=S3cretPassw0rd", "#access_token=S3cretPassw0rd",
] as const;

/** The password inside the URL credentials above: no check failure may quote it. */
export const URL_PASSWORD = "S3cretPassw0rd";

/** Long enough to find quadratic code and unbounded messages, small enough to build at once. */
const HUGE_STRINGS = ["a".repeat(100_000), "../".repeat(20_000), "😀".repeat(30_000), "%2f".repeat(20_000)];

export const nastyPiece = fc.constantFrom(...NASTY_PIECES);

/** Any string a user or a careless program might pass, weighted towards the dangerous ones. */
export const adversarialString: fc.Arbitrary<string> = fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
    { weight: 3, arbitrary: nastyPiece },
    { weight: 3, arbitrary: fc.array(fc.oneof(nastyPiece, fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 6 }).map((p) => p.join("")) },
    { weight: 1, arbitrary: fc.constantFrom(...HUGE_STRINGS) },
);

/** A value of any JSON-ish type, and the numbers JSON cannot carry. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 3, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 3 }) },
    { weight: 2, arbitrary: adversarialString },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -0, 1e300, -1, 0, 0.5, 2 ** 53 + 1, true, false, null, [], {}) },
);

/**
 * Names at and past the limit a name may have (4,096 bytes of UTF-8; the engine fails at 16 KiB), and
 * names that would paint a line of their own in a terminal (issue 23, items 1 and 8).
 */
export const LIMIT_NAMES = [
    "a".repeat(4_096), "é".repeat(2_048), "é".repeat(2_049), "k".repeat(20_000), `content/${"x".repeat(16_384)}`,
    "page.md\n\u001b[32m+ fake line\u001b[0m", "page\r.md", "page\u202edm.exe", "page\u2066.md", "page\u009b31m.md", "tab\tname",
] as const;

/** Keys for maps and unknown inputs: ordinary, misspelt, prototype-polluting, empty, too long, with control characters. */
export const adversarialKey: fc.Arbitrary<string> = fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
    { weight: 2, arbitrary: nastyPiece },
    { weight: 1, arbitrary: fc.constantFrom(...LIMIT_NAMES) },
    { weight: 1, arbitrary: fc.constantFrom("", "token ", "Token", "baseURL", "trigger", "purge_on_create", "__provider_", "purgePlan ") },
);

/** Mostly the well-formed value, sometimes anything at all. */
export function field<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
    return fc.oneof({ weight: 4, arbitrary: valid as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: junk });
}

/** A map whose keys may clash with Object.prototype: built with own properties, as a decoded protobuf Struct has. */
export function dictionary<V>(key: fc.Arbitrary<string>, value: fc.Arbitrary<V>, maxKeys = 4): fc.Arbitrary<Record<string, V>> {
    return fc.array(fc.tuple(key, value), { maxLength: maxKeys }).map((entries) => Object.fromEntries(entries) as Record<string, V>);
}

/**
 * Unknown keys added at the top level of an input object. Never "": a typed program cannot pass an
 * input without a name, and check would have no name to report.
 */
const unknownKeys = fc.option(dictionary(adversarialKey.filter((k) => k !== ""), junk, 2), { freq: 4, nil: undefined });

/** The inputs every resource has. */
export function commonFields(): Record<string, fc.Arbitrary<unknown>> {
    return {
        triggers: field(dictionary(adversarialKey, adversarialString, 3)),
        purgeOnCreate: field(fc.boolean()),
        purgeOnDelete: field(fc.boolean()),
        forcePurge: field(adversarialString),
        timeoutMs: field(fc.integer({ min: 100, max: 600_000 })),
        maxRetries: field(fc.integer({ min: 0, max: 10 })),
        maxRetryDelayMs: field(fc.integer({ min: 0, max: 3_600_000 })),
    };
}

/** An input object from per-input arbitraries: any input may be missing, and unknown keys may be added. */
export function inputObject(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
    return fc.tuple(fc.record(fields, { requiredKeys: [] }), unknownKeys).map(([known, extra]) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries({ ...(extra ?? {}) })) {
            Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        }
        return Object.assign(out, known);
    });
}

/** Base URLs: the emulator's, respelt, and ones that must be refused or that try to leave it. */
export function baseUrls(emulatorBaseUrl: string): fc.Arbitrary<unknown> {
    return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(emulatorBaseUrl, `${emulatorBaseUrl}/`, emulatorBaseUrl.toUpperCase().replace("HTTP://", "http://")) },
        { weight: 2, arbitrary: nastyPiece.map((p) => `${emulatorBaseUrl}/${p}`) },
        {
            weight: 2,
            arbitrary: fc.constantFrom(
                "http://evil.example", "ftp://127.0.0.1/x", "https://user:pw@cms.example.com", "https://cms.example.com?x=1",
                `https://user:${URL_PASSWORD}@cms.example.com`, `ftp://user:${URL_PASSWORD}@cms.example.com`, `https://user:${URL_PASSWORD}@cms.example.com:99999`,
                `https://cms.example.com/?token=${URL_PASSWORD}`, `https://cms.example.com/#access_token=${URL_PASSWORD}`, `http://u:${URL_PASSWORD}@127.0.0.1:1`,
                "https://cms.example.com#x", "cms.example.com", "//cms.example.com", "javascript:alert(1)", "file:///etc/passwd",
                "http://127.0.0.1:0", "https://[::1]:99999", "", " ",
            ),
        },
        { weight: 1, arbitrary: junk },
    );
}

/** 24 lower-case hex digits, Codemagic's ids. */
export const objectId = fc.stringMatching(/^[0-9a-f]{24}$/);
/** 32 hex digits, MicroStrategy's GUIDs. */
export const guid = fc.stringMatching(/^[0-9A-Fa-f]{32}$/);
/** A credential-shaped string. */
export const credential = fc.stringMatching(/^[A-Za-z0-9_-]{4,40}$/);

/**
 * How a program may hand over a value (issue 23): as itself, a secret, a promise of either, a promise of
 * a promise, an Output's `apply` giving a secret, or a secret in an async function's result. Data only:
 * the test builds the Pulumi values, inside a program.
 */
export type ValueForm = "plain" | "secret" | "promise" | "promised-secret" | "promise-of-promised-secret" | "applied-secret" | "async-secret";
export const SECRET_FORMS: readonly ValueForm[] = ["secret", "promised-secret", "promise-of-promised-secret", "applied-secret", "async-secret"];
export const valueForm = fc.constantFrom<ValueForm>("plain", "promise", ...SECRET_FORMS);

/** How the whole map may be handed over: as itself, a promise of it, an async result, a secret, an Output lifting it. */
export type MapForm = "plain" | "promise" | "async" | "secret" | "output";
export const mapForm = fc.constantFrom<MapForm>("plain", "promise", "async", "secret", "output");

/** A trigger map described by the forms of its values and of itself. */
export const wrappedTriggers = fc.record({
    entries: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/), valueForm), { minLength: 1, maxLength: 5, selector: ([name]) => name }),
    form: mapForm,
});

/** The spellings of one character an HTML page may use: itself, its named entity, decimal, hexadecimal, zero-padded. */
const HTML_SPELLINGS: Readonly<Record<string, readonly string[]>> = {
    "&": ["&", "&amp;", "&#38;", "&#x26;", "&#X26;", "&#038;"],
    "<": ["<", "&lt;", "&#60;", "&#x3c;", "&#x3C;", "&#0060;"],
    ">": [">", "&gt;", "&#62;", "&#x3e;", "&#x3E;"],
    "\"": ["\"", "&quot;", "&#34;", "&#x22;"],
    "'": ["'", "&#39;", "&#x27;", "&apos;"],
};

/** A secret that holds characters HTML escapes, and one echo of it as a page may write it, each character spelt its own way. */
export const htmlEchoedSecret = fc
    .array(fc.oneof(fc.constantFrom(...Object.keys(HTML_SPELLINGS)), fc.stringMatching(/^[A-Za-z0-9_-]{1,4}$/)), { minLength: 3, maxLength: 10 })
    .map((pieces) => pieces.join(""))
    .filter((secret) => secret.length >= 6 && /[&<>"']/.test(secret))
    .chain((secret) => fc.tuple(...[...secret].map((c) => fc.constantFrom(...(HTML_SPELLINGS[c] ?? [c]))))
        .map((spelt) => ({ secret, echo: spelt.join("") })));

/** A secret, and how a vendor shows it masked: a start of it, or an end, beside a run of mask characters. */
export const maskedSecret = fc.record({
    secret: fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/),
    shown: fc.integer({ min: 4, max: 12 }),
    atStart: fc.boolean(),
    mask: fc.constantFrom("*", "\u2022", "\u25cf"),
    maskLength: fc.integer({ min: 2, max: 20 }),
}).map(({ secret, shown, atStart, mask, maskLength }) => {
    const part = atStart ? secret.slice(0, Math.min(shown, secret.length - 1)) : secret.slice(-Math.min(shown, secret.length - 1));
    return { secret, echo: atStart ? part + mask.repeat(maskLength) : mask.repeat(maskLength) + part };
});
