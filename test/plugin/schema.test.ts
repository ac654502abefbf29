import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { buildSchema, GENERATED_FILE, generatedModule, packageVersion } from "../../scripts/plugin-schema/build-schema";
import { schema } from "../../src/plugin/schema.generated";
import { REPO_ROOT, tempDir } from "../harness/workspace";

type Spec = Record<string, unknown>;
const resources = schema.resources as Record<string, { inputProperties: Record<string, Spec>; requiredInputs: string[] }>;

const copies: { remove: () => void }[] = [];

/** A copy of the files the generator reads, with one of them edited, to show each kind of drift is caught. */
function withEdit(file: string, from: string | RegExp, to: string): string {
    const work = tempDir("schema-drift");
    copies.push(work);
    for (const relative of ["src/core/args.ts", ...fs.readdirSync(path.join(REPO_ROOT, "src", "services")).map((s) => `src/services/${s}/resource.ts`)]) {
        if (fs.existsSync(path.join(REPO_ROOT, relative))) {
            fs.mkdirSync(path.dirname(path.join(work.dir, relative)), { recursive: true });
            fs.copyFileSync(path.join(REPO_ROOT, relative), path.join(work.dir, relative));
        }
    }
    const target = path.join(work.dir, file);
    const text = fs.readFileSync(target, "utf8");
    const edited = text.replace(from, to);
    assert.notEqual(edited, text, `the edit of ${file} changed nothing`);
    fs.writeFileSync(target, edited);
    return work.dir;
}

describe("the plugin's schema", () => {
    after(() => copies.forEach((copy) => copy.remove()));

    it("is what the generator writes today from the TypeScript args and the zod shapes (run npm run plugin:schema)", () => {
        const fresh = generatedModule(buildSchema(REPO_ROOT, packageVersion(REPO_ROOT)));

        assert.equal(fs.readFileSync(path.join(REPO_ROOT, GENERATED_FILE), "utf8"), fresh);
    });

    it("has one type per TypeScript resource class, with its module and type names", () => {
        assert.deepEqual(Object.keys(resources).sort(), [
            "cache-purge:buddy:PipelineCachePurge",
            "cache-purge:cloudflare:ZonePurge",
            "cache-purge:cloudfront:Invalidation",
            "cache-purge:codemagic:CachePurge",
            "cache-purge:fastly:Purge",
            "cache-purge:flextype:CachePurge",
            "cache-purge:http:Purge",
            "cache-purge:imagekit:UrlPurge",
            "cache-purge:microstrategy:CachePurge",
        ]);
    });

    it("names a type for every structured input and never falls back to Any", () => {
        const imagekit = resources["cache-purge:imagekit:UrlPurge"].inputProperties;
        const microstrategy = resources["cache-purge:microstrategy:CachePurge"].inputProperties;
        const codemagic = resources["cache-purge:codemagic:CachePurge"].inputProperties;

        assert.ok(!JSON.stringify(resources).replace(/"receipt":\{"\$ref":"pulumi\.json#\/Any"/g, "").includes("pulumi.json#/Any"));
        // The one Any among the types: the generic HTTP purge's free-form JSON body.
        const anyProperties = Object.entries(schema.types as Record<string, { properties: Record<string, Spec> }>)
            .flatMap(([token, type]) => Object.entries(type.properties).filter(([, p]) => p.$ref === "pulumi.json#/Any").map(([name]) => `${token}.${name}`));
        assert.deepEqual(anyProperties, ["cache-purge:http:PurgeRequest.json"]);
        assert.deepEqual(imagekit.urls.oneOf, [{ type: "array", items: { type: "string" } }, { type: "object", additionalProperties: { type: "string" } }]);
        assert.deepEqual(microstrategy.project.$ref, "#/types/cache-purge:microstrategy:Project");
        assert.deepEqual(microstrategy.cacheTypes.oneOf, [{ type: "array", items: { type: "string" } }, { $ref: "#/types/cache-purge:microstrategy:CacheTypes" }]);
        assert.deepEqual((schema.types as Record<string, Spec>)["cache-purge:microstrategy:Project"], { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } });
        assert.equal(codemagic.workflows.type, "object");
        assert.deepEqual(codemagic.workflows.additionalProperties, { type: "string" });
    });

    it("reads the named interfaces the HTTP purge's args use, with their doc comments, defaults and required members", () => {
        const http = resources["cache-purge:http:Purge"].inputProperties;
        const types = schema.types as Record<string, { description: string; properties: Record<string, Spec>; required?: string[] }>;

        assert.equal(http.request.$ref, "#/types/cache-purge:http:PurgeRequest");
        assert.equal(http.batch.$ref, "#/types/cache-purge:http:PurgeBatch");
        assert.equal(http.success.$ref, "#/types/cache-purge:http:PurgeSuccess");
        assert.equal(http.wait.$ref, "#/types/cache-purge:http:PurgeWait");
        assert.equal(types["cache-purge:http:PurgeRequest"].description, "The purge request, before `{target}` is filled in.");
        assert.deepEqual(types["cache-purge:http:PurgeRequest"].required, ["url"]);
        assert.equal(types["cache-purge:http:PurgeRequest"].properties.method.default, "POST");
        assert.deepEqual(types["cache-purge:http:PurgeSuccess"].properties.statuses.items, { type: "integer" });
        assert.match(String(types["cache-purge:http:PurgeSuccess"].properties.statuses.description), /Default: \[200, 201, 202, 203, 204\]\.$/);
        assert.equal(types["cache-purge:http:PurgeWait"].properties.timeoutMs.default, 300000);
        assert.deepEqual(types["cache-purge:http:PurgeWait"].required, ["url", "idPath", "donePath", "doneValue"]);
        // Not a credential, but kept secret as the class keeps it.
        assert.equal(http.secretHeaders.secret, true);
        assert.deepEqual(resources["cache-purge:http:Purge"].requiredInputs, ["request"]);
    });

    it("follows a named type to the file the args import it from", () => {
        // GIVEN the batch settings declared in another file, imported under another name
        const root = withEdit("src/services/http/resource.ts", "export interface PurgeBatchArgs {", "import type { BatchElsewhere as PurgeBatchArgs } from \"./batch-args\";\nexport interface UnusedBatchArgs {");
        fs.writeFileSync(path.join(root, "src/services/http/batch-args.ts"), [
            "/** Batches, declared apart. */",
            "export interface BatchElsewhere {",
            "    /** How many targets per request. */",
            "    readonly size: number;",
            "    /** The body's path. */",
            "    readonly jsonPath?: string;",
            "    /** The header. */",
            "    readonly header?: string;",
            "}",
        ].join("\n"));

        // WHEN the schema is generated
        const types = buildSchema(root, "0.0.0").schema.types as Record<string, { description: string; properties: Record<string, Spec> }>;

        // THEN the type is the imported interface's, named after it
        assert.equal(types["cache-purge:http:BatchElsewhere"].description, "Batches, declared apart.");
        assert.equal(types["cache-purge:http:BatchElsewhere"].properties.size.description, "How many targets per request.");
        assert.equal(types["cache-purge:http:PurgeBatch"], undefined);
    });

    it("offers as provider config only its own package's keys: CloudFront's aws:* keys are not sent to it", () => {
        const variables = (schema.config as { variables: Record<string, Spec> }).variables;

        assert.ok(!("" in variables) && !Object.keys(variables).some((key) => key.includes(":")), Object.keys(variables).join());
        assert.equal(variables.cloudflareApiToken.secret, true);
        assert.equal(variables.fastlyApiToken.secret, true);
    });

    it("carries the doc comments, the defaults check fills in, and the credentials' secrecy", () => {
        const imagekit = resources["cache-purge:imagekit:UrlPurge"].inputProperties;

        assert.match(String(imagekit.wait.description), /^Whether `pulumi up` waits until ImageKit reports every purge `Completed`/);
        assert.equal(imagekit.wait.default, false);
        assert.equal(imagekit.maxPurgeRequests.default, 1000);
        assert.equal(imagekit.maxPurgeRequests.type, "integer");
        assert.equal(imagekit.privateKey.secret, true);
        assert.match(String(imagekit.privateKey.description), /Default: stack config `cache-purge:imagekitPrivateKey`/);
        assert.deepEqual(resources["cache-purge:imagekit:UrlPurge"].requiredInputs, ["urls"]);
        // Buddy applies its region default itself (region and baseUrl exclude each other): an SDK must not send it.
        assert.equal(resources["cache-purge:buddy:PipelineCachePurge"].inputProperties.region.default, undefined);
    });

    describe("refuses to generate when the TypeScript args and check disagree on", () => {
        it("a default", () => {
            const root = withEdit("src/services/imagekit/resource.ts", "@default 1000", "@default 500");
            assert.throws(() => buildSchema(root, "0.0.0"), /maxPurgeRequests: @default 500 but check fills in 1000/);
        });

        it("a type", () => {
            const root = withEdit("src/services/imagekit/resource.ts", "readonly wait?: pulumi.Input<boolean>", "readonly wait?: pulumi.Input<string>");
            assert.throws(() => buildSchema(root, "0.0.0"), /wait: the args say string, check accepts boolean/);
        });

        it("an input name", () => {
            const root = withEdit("src/services/codemagic/resource.ts", "readonly cacheIds?:", "readonly cacheId?:");
            assert.throws(() => buildSchema(root, "0.0.0"), /the args declare .*cacheId, .* but check validates .*cacheIds/);
        });

        it("a default the doc comment leaves out", () => {
            const root = withEdit("src/core/args.ts", /\n\s+\* @default 4\n/, "\n");
            assert.throws(() => buildSchema(root, "0.0.0"), /maxRetries: check fills in 4, which the doc comment's @default does not say/);
        });

        it("a member of a named interface", () => {
            const root = withEdit("src/services/http/resource.ts", "readonly idPath: pulumi.Input<string>;", "readonly statusPath: pulumi.Input<string>;");
            assert.throws(() => buildSchema(root, "0.0.0"), /wait \(PurgeWaitArgs\): the args declare donePath, doneValue, statusPath, timeoutMs, url but check validates donePath, doneValue, idPath, timeoutMs, url/);
        });

        it("a default inside a named interface", () => {
            const root = withEdit("src/services/http/resource.ts", "@default 300000", "@default 60000");
            assert.throws(() => buildSchema(root, "0.0.0"), /wait \(PurgeWaitArgs\)\.timeoutMs: @default 60000 but check fills in 300000/);
        });

        it("a type inside a named interface", () => {
            const root = withEdit("src/services/http/resource.ts", "readonly size: pulumi.Input<number>;", "readonly size: pulumi.Input<string>;");
            assert.throws(() => buildSchema(root, "0.0.0"), /batch \(PurgeBatchArgs\)\.size: the args say string, check accepts integer/);
        });

        it("whether a member of a named interface is required", () => {
            const root = withEdit("src/services/http/resource.ts", "readonly url: pulumi.Input<string>;\n\n    /**\n     * Headers", "readonly url?: pulumi.Input<string>;\n\n    /**\n     * Headers");
            assert.throws(() => buildSchema(root, "0.0.0"), /request \(PurgeRequestArgs\)\.url: the args make it optional but check requires it/);
        });

        it("secrecy", () => {
            const root = withEdit("src/services/imagekit/resource.ts", `secretInputs: ["privateKey"]`, "secretInputs: []");
            assert.throws(() => buildSchema(root, "0.0.0"), /privateKey is a secret credential of imagekit but the resource class does not keep it secret/);
        });
    });
});
