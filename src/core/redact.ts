/** What a secret is replaced with in every message and log line. */
export const REDACTED = "[secret]";

/** Secrets shorter than this are not searched for: "a" would redact every "a" in a message. */
const MIN_SECRET_LENGTH = 4;

/**
 * Removes secrets from text before it becomes an error message or a log line. The provider host sends
 * only the message to the CLI, and the CLI prints and stores it, so this is the one gate every message
 * passes through. Besides the literal values it also hides their URL-encoded and base64 forms (a server
 * may echo a Basic auth header or a query string back in an error body).
 */
export class Redactor {
    private readonly needles: string[];

    constructor(secrets: Iterable<string | undefined>) {
        const forms = new Set<string>();
        for (const secret of secrets) {
            if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) {
                continue;
            }
            forms.add(secret);
            forms.add(encodeURIComponent(secret));
            for (const plain of [secret, `${secret}:`]) {
                const encoded = Buffer.from(plain).toString("base64");
                // With and without padding: a server may echo either.
                forms.add(encoded);
                forms.add(encoded.replace(/=+$/, ""));
            }
        }
        // Longest first, so a secret that contains another is replaced whole.
        this.needles = [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
    }

    redact(text: string): string {
        let out = text;
        for (const needle of this.needles) {
            out = out.split(needle).join(REDACTED);
        }
        return out;
    }

    /**
     * Adds secrets learnt while purging (a session token a login returned), so every later message and
     * log line built by anything holding this redactor hides them too.
     */
    add(secrets: Iterable<string | undefined>): void {
        this.needles.push(...new Redactor(secrets).needles);
        this.needles.sort((a, b) => b.length - a.length);
    }
}
