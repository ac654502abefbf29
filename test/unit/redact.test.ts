import assert from "node:assert/strict";
import { Redactor } from "../../src/core/redact";

const SECRET = "s3cr3t-Pa&ss<w0rd>\"'";

describe("Redactor: the spellings a server may echo a secret in", () => {
    it("hides a secret an HTML page quotes with named entities, as in a login page's <title>", () => {
        const redactor = new Redactor(["Pa&ss<w0rd>"]);

        const text = redactor.redact("<title>Sign in failed for Pa&amp;ss&lt;w0rd&gt;</title>");

        assert.equal(text, "<title>Sign in failed for [secret]</title>");
    });

    it("hides a secret written with decimal and hexadecimal entities, padded or not, mixed with named ones", () => {
        const redactor = new Redactor([SECRET]);

        const texts = [
            "s3cr3t-Pa&#38;ss&#60;w0rd&#62;&#34;&#39;",
            "s3cr3t-Pa&#x26;ss&#x3C;w0rd&#x3e;&quot;&#x27;",
            "s3cr3t-Pa&#038;ss&lt;w0rd&#X3E;&#0034;&apos;",
        ].map((form) => redactor.redact(`got ${form} back`));

        assert.deepEqual(texts, ["got [secret] back", "got [secret] back", "got [secret] back"]);
    });

    it("hides the start of a secret a vendor shows before its mask, and the end shown after one", () => {
        const redactor = new Redactor(["s3cr3t-Password-42"]);

        const texts = ["key s3cr3t-Pas**** refused", "key s3cr****************** refused", "key ••••••word-42 refused", "key ****-42 is fine"]
            .map((text) => redactor.redact(text));

        assert.deepEqual(texts, ["key [secret] refused", "key [secret] refused", "key [secret] refused", "key ****-42 is fine"]);
    });

    it("leaves a mask alone when what it follows is not the secret's start", () => {
        const redactor = new Redactor(["s3cr3t-Password-42"]);

        assert.equal(redactor.redact("token sk_l**** and s3c**** refused"), "token sk_l**** and s3c**** refused");
    });

    it("redacts 10,000 messages without HTML or masks in them in well under a second", () => {
        const redactor = new Redactor([SECRET, "s3cr3t-Password-42", "sk_live_4f1e9c2a7b3d8e6f"]);
        const message = "imagekit: POST https://api.imagekit.io/v1/files/purge returned 429 Too Many Requests; retrying in 2 s";

        const started = process.hrtime.bigint();
        for (let i = 0; i < 10_000; i++) {
            redactor.redact(message);
        }
        const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

        assert.ok(elapsedMs < 500, `${elapsedMs} ms`);
    });
});
