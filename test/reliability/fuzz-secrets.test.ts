import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { flextype } from "../../src";
import { REDACTED, Redactor } from "../../src/core/redact";
import { register } from "../harness/serialize";
import { htmlEchoedSecret, type MapForm, maskedSecret, SECRET_FORMS, type ValueForm, wrappedTriggers } from "./fuzz-inputs";

/** Each run registers a resource in a mock program: about a tenth of a second. */
const PROGRAM_RUNS = 60;
const REDACT_RUNS = 2_000;

function wrapValue(form: ValueForm, value: string): unknown {
    switch (form) {
        case "plain": return value;
        case "secret": return pulumi.secret(value);
        case "promise": return Promise.resolve(value);
        case "promised-secret": return Promise.resolve(pulumi.secret(value));
        case "promise-of-promised-secret": return Promise.resolve(Promise.resolve(pulumi.secret(value)));
        case "applied-secret": return pulumi.output("x").apply(() => pulumi.secret(value));
        case "async-secret": return (async () => { await Promise.resolve(); return pulumi.secret(value); })();
    }
}

function wrapMap(form: MapForm, map: Record<string, unknown>): unknown {
    switch (form) {
        case "plain": return map;
        case "promise": return Promise.resolve(map);
        case "async": return (async () => { await Promise.resolve(); return map; })();
        case "secret": return pulumi.secret(map);
        case "output": return pulumi.output(map);
    }
}

describe("fuzz: secrets in any input form, and echoes of them in any spelling", function () {
    this.timeout(120_000);

    it(`names exactly the secret triggers, whatever wraps them, over ${PROGRAM_RUNS} random trigger maps`, async () => {
        await fc.assert(fc.asyncProperty(wrappedTriggers, async ({ entries, form }) => {
            const triggers = wrapMap(form, Object.fromEntries(entries.map(([name, valueForm]) => [name, wrapValue(valueForm, `v-${name}`)])));
            const anySecret = entries.some(([, valueForm]) => SECRET_FORMS.includes(valueForm));
            // A map that is a secret as a whole (or lifted into one Output with a secret in it) cannot be told apart: every name is.
            const whole = form === "secret" || (form === "output" && anySecret);
            const expected = entries.filter(([, valueForm]) => whole || SECRET_FORMS.includes(valueForm)).map(([name]) => name).sort();

            const [cms] = await register(() => {
                new flextype.CachePurge("cms", { baseUrl: "https://cms.example.com", triggers: triggers as Record<string, string> });
            });

            assert.deepEqual([...((cms.inputs.__secretTriggers as string[] | undefined) ?? [])].sort(), expected);
        }), { numRuns: PROGRAM_RUNS });
    });

    it(`hides every HTML-escaped echo of a secret, each character spelt its own way, over ${REDACT_RUNS.toLocaleString("en-US")} secrets`, () => {
        fc.assert(fc.property(htmlEchoedSecret, fc.string({ maxLength: 10 }), ({ secret, echo }, around) => {
            const text = new Redactor([secret]).redact(`<title>${around} ${echo} ${around}</title>`);

            assert.ok(!text.includes(echo), text);
            assert.ok(text.includes(REDACTED), text);
        }), { numRuns: REDACT_RUNS });
    });

    it(`hides a vendor's masked form of a secret, its start or its end shown, over ${REDACT_RUNS.toLocaleString("en-US")} secrets`, () => {
        fc.assert(fc.property(maskedSecret, ({ secret, echo }) => {
            const text = new Redactor([secret]).redact(`the API key ${echo} was refused`);

            assert.equal(text, `the API key ${REDACTED} was refused`);
        }), { numRuns: REDACT_RUNS });
    });
});
