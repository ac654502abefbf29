import * as fs from "fs";
import * as path from "path";
import assert from "node:assert/strict";
import { UNKNOWN } from "../../src/core/unknown";
import { services } from "../../src/services/registry";
import { register } from "../harness/serialize";
import { linkPackageIntoNodeModules, REPO_ROOT } from "../harness/workspace";
import { conformanceCases } from "./cases";

type Props = Record<string, unknown>;
type Implementation = {
    check(olds: Props, news: Props): Promise<{ inputs?: Props; failures?: Array<{ property: string; reason: string }> }>;
    diff(id: string, olds: Props, news: Props): Promise<{ changes?: boolean }>;
    create(inputs: Props): Promise<{ id: string; outs: Props }>;
};

/** Loads a serialized provider exactly as the host does: from a string, `require` resolved from the cwd. */
function loadAsHost(text: string): Implementation {
    const requireFromString = require(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] })) as (code: string) => { handler: () => Implementation };
    return requireFromString(text).handler();
}

describe("every registered service (conformance)", function () {
    this.timeout(30_000);
    before(linkPackageIntoNodeModules);

    it("keeps src/core free of any service's name, so a new service never needs a core change", () => {
        const files = fs.readdirSync(path.join(REPO_ROOT, "src", "core"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
        const named = files.flatMap((file) => {
            const text = fs.readFileSync(path.join(REPO_ROOT, "src", "core", file), "utf8").toLowerCase();
            // "http" names a protocol, which core is about, not a vendor: the generic purge is exempt.
            return services.filter((s) => s.name !== "http" && text.includes(s.name)).map((s) => `${file} names ${s.name}`);
        });

        assert.ok(files.length > 10);
        assert.deepEqual(named, []);
    });

    it("has a conformance case for each registered service", () => {
        assert.deepEqual(conformanceCases.map((c) => c.service).sort(), services.map((s) => s.name).sort());
    });

    for (const testCase of conformanceCases) {
        describe(testCase.service, () => {
            let provider: string;
            let type: string;
            let inputs: Props;

            before(async () => {
                const [first, second] = await register(() => {
                    testCase.build("a", testCase.canary);
                    testCase.build("b", "another-credential-value");
                });
                provider = first.provider;
                type = first.type;
                inputs = first.inputs;
                assert.equal(second.provider, provider, "the provider text must not depend on the arguments");
            });

            it("sends as JSON text exactly the inputs its service reads as bulk text", () => {
                // The resource class and the service each name their bulk inputs; a name in one list only
                // would send a map the service reads as text, or a text it reads as a map.
                const bulk = services.find((s) => s.name === testCase.service)?.bulkInputs ?? [];
                const asText = Object.keys(inputs).filter((k) => !k.startsWith("__") && typeof inputs[k] === "string" && /^[[{]/.test(inputs[k] as string));
                assert.deepEqual(asText.sort(), [...bulk].sort());
                for (const key of bulk) {
                    assert.equal(typeof JSON.parse(inputs[key] as string), "object", key);
                }
            });

            it("registers the type token pulumi-nodejs:dynamic/<service>:<Type>", () => {
                assert.match(type, new RegExp(`^pulumi-nodejs:dynamic/${testCase.service}:[A-Z]\\w+$`));
            });

            it("serializes a provider of at most 2,500 bytes that requires only its implementation subpath", () => {
                assert.ok(provider.length <= 2_500, `${provider.length} bytes`);
                assert.ok(!provider.includes(testCase.canary));
                const required = [...provider.matchAll(/module: "([^"]+)"/g)].map((m) => m[1]);
                assert.deepEqual([...new Set(required)], [`pulumi-cache-purge/provider/${testCase.service}`]);
            });

            it("loads as the host loads it and rejects empty inputs in check, naming fields, without a request", async () => {
                const implementation = loadAsHost(provider);

                const result = await implementation.check({}, { unexpectedInput: 1 });

                assert.ok((result.failures ?? []).length > 0);
                assert.ok(result.failures!.some((f) => f.property === "" && /^unexpectedInput: unknown input; expected one of .*\btriggers\b/.test(f.reason)));
            });

            it("previews values not known until apply as a purge decided at apply", async () => {
                const implementation = loadAsHost(provider);

                const result = await implementation.check({}, { ...testCase.validInputs, triggers: { build: UNKNOWN } });

                assert.deepEqual(result.failures ?? [], []);
                assert.equal(result.inputs?.purgePlan, "purge decided at apply: triggers not known until then");
            });

            it("answers diff explicitly: no change for the same inputs, a change for a new trigger", async () => {
                const implementation = loadAsHost(provider);
                // purgeOnCreate: false, so create records the baseline without calling the service.
                const checked = (await implementation.check({}, { ...testCase.validInputs, purgeOnCreate: false })).inputs!;
                const changed = (await implementation.check(checked, { ...testCase.validInputs, purgeOnCreate: false, triggers: { build: "new" } })).inputs!;

                const created = await implementation.create(checked);

                assert.deepEqual(await implementation.diff(created.id, created.outs, checked), { changes: false });
                assert.deepEqual(await implementation.diff(created.id, created.outs, changed), { changes: true });
                assert.equal(changed.purgePlan?.toString().startsWith("purge "), true, String(changed.purgePlan));
            });
        });
    }
});
