import { setOwn } from "./own-key";

/** What a secret is replaced with in every message and log line. */
export const REDACTED = "[secret]";

/**
 * Secrets at least this long are replaced wherever they occur. Shorter ones ("a", "pw1") would turn
 * every message into noise if replaced inside words, so they are replaced only where they stand alone,
 * between characters that cannot be part of a word or token.
 */
const MIN_SUBSTRING_LENGTH = 4;

/** Characters that may surround a short secret standing alone: anything but letters, digits, `_`, `-`. */
const TOKEN_CHAR = "[\\p{L}\\p{N}_\\-]";

/** What a vendor shows in place of the hidden part of a key (`sk_live_4f1e****`, `••••9f1a`). */
const MASK = "[*\u2022\u25cf]{2,}";
const HAS_MASK = /[*\u2022\u25cf]{2}/;

/**
 * How much of a secret a vendor's mask may leave shown, at least, for the rest to count as that secret:
 * fewer characters say too little to be worth hiding, and would hide common words.
 */
const MIN_MASKED_PART = 4;
const MAX_MASKED_PART = 64;

/** Each character HTML changes, with the entities it may be written as: named, decimal, hexadecimal. */
const HTML_ENTITIES: Readonly<Record<string, string>> = {
    "&": "&(?:amp|#0*38|#[xX]0*26);",
    "<": "&(?:lt|#0*60|#[xX]0*3[cC]);",
    ">": "&(?:gt|#0*62|#[xX]0*3[eE]);",
    "\"": "&(?:quot|#0*34|#[xX]0*22);",
    "'": "&(?:apos|#0*39|#[xX]0*27);",
};

/**
 * Removes secrets from text before it becomes an error message, a log line or a receipt. The provider
 * host sends only the message to the CLI, and the CLI prints and stores it, so this is the one gate every
 * message passes through. Besides the literal values it also hides the forms a server may echo them in:
 * URL-encoded (upper- and lower-case `%xx`), form-encoded (`+` for a space), JSON-escaped, base64 (a
 * Basic auth header), and each value of a `name=value; name2=value2` cookie string.
 *
 * Text is redacted before it is cut to length anywhere, so a secret cut in half is never shown either.
 */
export class Redactor {
    private needles: string[] = [];
    private shortOnes: RegExp[] = [];
    /** Secrets as an HTML page may write them (`Pa&amp;ss`, `&#38;`); looked for only in text holding a `&`. */
    private htmlForms: RegExp[] = [];
    /** A secret's start or end beside a vendor's mask (`s3cr3t-Pas****`); looked for only in text holding one. */
    private maskedForms: RegExp[] = [];

    constructor(secrets: Iterable<string | undefined>) {
        this.add(secrets);
    }

    redact(text: string): string {
        let out = text;
        for (const needle of this.needles) {
            // Looked for first: splitting made two arrays per form of every secret for every string of
            // every receipt, found or not.
            if (out.includes(needle)) {
                out = out.split(needle).join(REDACTED);
            }
        }
        for (const pattern of this.shortOnes) {
            out = out.replace(pattern, REDACTED);
        }
        if (this.htmlForms.length > 0 && out.includes("&")) {
            for (const pattern of this.htmlForms) {
                out = out.replace(pattern, REDACTED);
            }
        }
        if (this.maskedForms.length > 0 && HAS_MASK.test(out)) {
            for (const pattern of this.maskedForms) {
                out = out.replace(pattern, REDACTED);
            }
        }
        return out;
    }

    /**
     * A copy of a JSON-like value with every string in it (keys too) redacted: for receipts and outputs.
     * Keys that redact to one text are numbered (`[secret]`, `[secret] #2`), so two targets whose names
     * are secret keep their two entries.
     */
    redactValue<T>(value: T): T {
        const walk = (v: unknown): unknown => {
            if (typeof v === "string") {
                return this.redact(v);
            }
            if (Array.isArray(v)) {
                return v.map(walk);
            }
            if (v !== null && typeof v === "object") {
                const out: Record<string, unknown> = {};
                for (const k of Object.keys(v)) {
                    const redacted = this.redact(k);
                    let key = redacted;
                    for (let n = 2; key !== k && Object.hasOwn(out, key); n++) {
                        key = `${redacted} #${n}`;
                    }
                    setOwn(out, key, walk((v as Record<string, unknown>)[k]));
                }
                return out;
            }
            return v;
        };
        return walk(value) as T;
    }

    /**
     * Adds secrets learnt while purging (a session token a login returned), so every later message and
     * log line built by anything holding this redactor hides them too.
     */
    add(secrets: Iterable<string | undefined>): void {
        const forms = new Set(this.needles);
        const short = new Set<string>();
        for (const secret of secrets) {
            if (typeof secret !== "string" || secret === "") {
                continue;
            }
            for (const part of [secret, ...cookieValues(secret)]) {
                for (const form of knownFormsOf(part)) {
                    (form.length >= MIN_SUBSTRING_LENGTH ? forms : short).add(form);
                }
                const html = htmlPattern(part);
                if (html !== undefined) {
                    this.htmlForms.push(html);
                }
                if (part.length > MIN_MASKED_PART) {
                    this.maskedForms.push(maskedPattern(part));
                }
            }
        }
        // Longest first, so a secret that contains another is replaced whole.
        this.needles = [...forms].sort((a, b) => b.length - a.length);
        this.shortOnes.push(...[...short].map((s) => new RegExp(`(?<!${TOKEN_CHAR})${escapeRegExp(s)}(?!${TOKEN_CHAR})`, "gu")));
    }
}

/**
 * The forms of the secrets seen last, so that each purge does not encode its credentials ten ways again
 * (a third of a small purge's own CPU in the provider host). Bounded; the process holds the secrets
 * anyway, and this module is required by the host, never serialized into state.
 */
const recentForms = new Map<string, readonly string[]>();
const MAX_RECENT_FORMS = 32;

function knownFormsOf(secret: string): readonly string[] {
    let forms = recentForms.get(secret);
    if (forms === undefined) {
        forms = formsOf(secret);
        if (recentForms.size >= MAX_RECENT_FORMS) {
            recentForms.clear();
        }
        recentForms.set(secret, forms);
    }
    return forms;
}

/** The spellings of one secret a server may echo back. */
function formsOf(secret: string): string[] {
    const forms = [secret, jsonEscaped(secret)];
    const encoded = safe(() => encodeURIComponent(secret));
    if (encoded !== undefined) {
        forms.push(encoded, lowerPercent(encoded));
    }
    const form = safe(() => new URLSearchParams({ x: secret }).toString().slice(2));
    if (form !== undefined) {
        forms.push(form, lowerPercent(form));
    }
    for (const plain of [secret, `${secret}:`]) {
        const base64 = Buffer.from(plain).toString("base64");
        // With and without padding: a server may echo either.
        forms.push(base64, base64.replace(/=+$/, ""));
    }
    return [...new Set(forms)];
}

/**
 * The secret with each character HTML escapes matched in any of its spellings, so a page that quotes it
 * (`<title>Pa&amp;ss&lt;w0rd&gt;</title>`) is caught however it mixes them. None for a secret without
 * such a character: its HTML form is itself.
 */
function htmlPattern(secret: string): RegExp | undefined {
    if (!/[&<>"']/.test(secret)) {
        return undefined;
    }
    const body = [...secret].map((c) => (Object.hasOwn(HTML_ENTITIES, c) ? `(?:${escapeRegExp(c)}|${HTML_ENTITIES[c]})` : escapeRegExp(c))).join("");
    return new RegExp(body, "g");
}

/**
 * A start of the secret followed by a mask, or a mask followed by an end of it: `s3cr3t-Pas****`,
 * `****w0rd`. Each shown part is at least MIN_MASKED_PART characters; the mask goes with it, since the
 * length of the mask may be the length of what it hides.
 */
function maskedPattern(secret: string): RegExp {
    // A vendor shows a few characters; beyond these the pattern would only grow (a cookie string is long).
    const chars = [...secret].slice(0, MAX_MASKED_PART).map(escapeRegExp);
    const last = [...secret].slice(-MAX_MASKED_PART).map(escapeRegExp);
    const head = chars.slice(0, MIN_MASKED_PART).join("");
    const start = head + chars.slice(MIN_MASKED_PART).reduceRight((rest, c) => `(?:${c}${rest})?`, "");
    const tail = last.slice(-MIN_MASKED_PART).join("");
    const end = last.slice(0, -MIN_MASKED_PART).reduce((rest, c) => `(?:${rest}${c})?`, "") + tail;
    return new RegExp(`${start}${MASK}|${MASK}${end}`, "gu");
}

/**
 * The values of a cookie header (`JSESSIONID=6F3A…; iSession=…`): a server may quote one of them alone.
 * Only a string shaped like one counts, so an ordinary secret holding a `=` is not split into pieces.
 */
function cookieValues(secret: string): string[] {
    if (!/^\s*[^=;\s]+=[^;]*(;\s*[^=;\s]+=[^;]*)*;?\s*$/.test(secret)) {
        return [];
    }
    return secret.split(";").map((pair) => pair.slice(pair.indexOf("=") + 1).trim()).filter((v) => v !== "");
}

function jsonEscaped(secret: string): string {
    return JSON.stringify(secret).slice(1, -1);
}

function lowerPercent(text: string): string {
    return text.replace(/%[0-9A-F]{2}/g, (x) => x.toLowerCase());
}

/** `encodeURIComponent` throws on half a surrogate pair; such a secret is refused in check anyway. */
function safe(f: () => string): string | undefined {
    try {
        return f();
    } catch {
        return undefined;
    }
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
