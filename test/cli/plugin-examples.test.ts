import assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { consumerProject } from "../harness/consumer-project";
import { type CliResult, CliStack, describeWithCli, type StackConfig } from "../harness/pulumi-cli";
import { ImageKitEmulator } from "../../src/testing";
import { REPO_ROOT, tempDir } from "../harness/workspace";
import { CANARIES, EXAMPLES, type ExampleFixture, type RunningExample } from "./example-fixtures";
import { yamlCdnExample } from "./yaml-cdn-fixture";

/** A program served by the plugin, in a language other than TypeScript, and what its steps must show. */
interface PluginProgram {
    /** The folder under examples/. */
    readonly example: string;
    readonly project: string;
    /** The language host it needs beside pulumi. */
    readonly host: string;
    /** Makes the copy runnable (Go: the SDK generated from the schema, and go.sum). */
    prepare?(programDir: string): void;
    readonly createPlans: readonly RegExp[];
    readonly purgesOnCreate: number;
    readonly changePlans: readonly RegExp[];
    readonly purgesOnChange: number;
    /** Resources `pulumi destroy` deletes, the stack included. */
    readonly deleted: number;
    /** The emulators, config and content change it runs with: a TypeScript example's, or several's. */
    readonly fixture: ExampleFixture;
    /** Whether its world holds the Codemagic purge whose refusal the failure step provokes. */
    readonly refusable: boolean;
}

const all = EXAMPLES.find((e) => e.example === "all")!;
/** The `all` example's plan lines of the five services examples/yaml declares (it has none of the CDNs or http). */
const yamlPlans = (plans: readonly RegExp[]) => plans.filter((plan) => /^(flextype|imagekit|codemagic|microstrategy|buddy):/.test(plan.source));

const PROGRAMS: readonly PluginProgram[] = [
    {
        example: "yaml", project: "yaml-cache-purges", host: "pulumi-language-yaml",
        createPlans: yamlPlans(all.createPlans), purgesOnCreate: 1 + 2 + 2 + 2 + 1, changePlans: yamlPlans(all.changePlans), purgesOnChange: 2, deleted: 6,
        fixture: all, refusable: true,
    },
    {
        example: "yaml-cdn", project: "yaml-cdn-purges", host: "pulumi-language-yaml",
        createPlans: yamlCdnExample.createPlans, purgesOnCreate: yamlCdnExample.purgesOnCreate,
        changePlans: yamlCdnExample.changePlans, purgesOnChange: yamlCdnExample.purgesOnChange, deleted: 5,
        fixture: yamlCdnExample, refusable: false,
    },
    {
        example: "go", project: "go-cache-purges", host: "pulumi-language-go",
        prepare: (programDir) => {
            fs.cpSync(path.join(generatedSdks(), "go"), path.join(programDir, "sdk"), { recursive: true });
            execFileSync("go", ["mod", "tidy"], { cwd: programDir, env: { ...process.env, GOFLAGS: "-mod=mod" }, stdio: "pipe" });
        },
        createPlans: all.createPlans.filter((plan) => /imagekit|codemagic/.test(plan.source)), purgesOnCreate: 2 + 2,
        changePlans: yamlPlans(all.changePlans), purgesOnChange: 2, deleted: 3,
        fixture: all, refusable: true,
    },
];

let sdks: string | undefined;

/** The SDKs generated from the plugin's schema (scripts/plugin-sdks.sh), once per run. */
function generatedSdks(): string {
    if (sdks === undefined) {
        const dir = tempDir("plugin-sdks");
        process.on("exit", () => dir.remove());
        execFileSync("bash", [path.join(REPO_ROOT, "scripts", "plugin-sdks.sh"), dir.dir], { stdio: "pipe" });
        sdks = dir.dir;
    }
    return sdks;
}

/**
 * examples/yaml (the five original services, Pulumi's own YAML host), examples/yaml-cdn (Cloudflare,
 * Fastly, HTTP and CloudFront, with the TypeScript examples' emulators: yaml-cdn-fixture.ts) and examples/go (ImageKit and Codemagic,
 * through the Go SDK generated from the schema, this project's Go host) under the real `pulumi` CLI,
 * served by the provider plugin `pulumi-resource-cache-purge` of the packed package (found on PATH in
 * node_modules/.bin, as npm links it). The emulators and steps of the TypeScript `all` example
 * (examples.test.ts), the same plan lines, the same request counts.
 */
for (const program of PROGRAMS) {
    describeWithCli(`examples/${program.example} under the real pulumi CLI, through the provider plugin`, function (binDir) {
        this.timeout(600_000);
        const timings: string[] = [];
        let world: RunningExample;
        let work: { dir: string; remove: () => void };
        let stack: CliStack;
        let programDir: string;

        before(async function () {
            if (!fs.existsSync(path.join(binDir, program.host))) {
                this.skip();
            }
            world = await program.fixture.start();
            work = tempDir(`cli-${program.example}`);
            const project = consumerProject();
            programDir = path.join(work.dir, "program");
            fs.cpSync(path.join(project, "examples", program.example), programDir, { recursive: true });
            program.prepare?.(programDir);
            // The plugin as npm installs it: a symlink in node_modules/.bin, found on PATH.
            const nodeBin = path.join(project, "node_modules", ".bin");
            stack = new CliStack({
                binDir, programDir, workDir: work.dir, stack: "dev",
                env: { PATH: `${binDir}${path.delimiter}${nodeBin}${path.delimiter}${process.env.PATH ?? ""}`, GOFLAGS: "-trimpath" },
            });
            await stack.init(program.fixture === all ? renamed(world.config, program.project) : world.config);
        });

        after(async () => {
            await world?.stop();
            work?.remove();
            if (timings.length > 0) {
                console.log(`    wall time per step (ms):\n${timings.map((t) => `      ${t}`).join("\n")}`);
            }
        });

        async function step(name: string, run: () => Promise<CliResult>, expectOk = true): Promise<{ result: CliResult; purges: number; requests: number }> {
            const purges = world.purges();
            const requests = world.requests();
            const result = await run();
            timings.push(`${name}\t${result.milliseconds}`);
            if (process.env.CLI_OUTPUT_DIR) {
                fs.writeFileSync(path.join(process.env.CLI_OUTPUT_DIR, `${program.example}-${name}.txt`), result.output);
            }
            assert.equal(result.ok, expectOk, result.output);
            return { result, purges: world.purges() - purges, requests: world.requests() - requests };
        }

        it("previews what will be purged and why under each resource, without a request", async () => {
            const plain = await step("preview", () => stack.preview());

            assert.equal(plain.requests, 0);
            for (const plan of program.createPlans) {
                assert.match(plain.result.output, underResource(plan));
            }
        });

        it("purges exactly that on up, and nothing on the next up", async () => {
            const first = await step("up", () => stack.up());
            const second = await step("up-again", () => stack.up());

            assert.equal(first.purges, program.purgesOnCreate, first.result.output);
            assert.match(second.result.output, /Resources:\n\s+\d+ unchanged\n/);
            assert.equal(second.requests, 0, second.result.output);
        });

        it("previews the changed trigger after a content change, then purges only that", async () => {
            world.reseed();
            // The `all` example's change: site/img/logo.svg and site/ios/Podfile.lock, which both programs hash.
            program.fixture.change(programDir);

            const plain = await step("preview-change", () => stack.preview());
            const up = await step("up-change", () => stack.up());

            assert.equal(plain.requests, 0);
            for (const plan of program.changePlans) {
                assert.match(plain.result.output, underResource(plan));
            }
            assert.equal(up.purges, program.purgesOnChange, up.result.output);
        });

        it("purges nothing when a credential is rotated with pulumi config set --secret", async () => {
            await stack.setConfig(world.rotated);

            const up = await step("up-rotated", () => stack.up());

            assert.equal(up.requests, 0, up.result.output);
        });

        // Only where the world has a Codemagic to refuse the token (yaml-cdn has none): defined, not skipped.
        (program.refusable ? it : noTest)("fails the up with the service's own message when the purge is refused, and purges on the next up", async function () {
            // GIVEN the Codemagic token rotated above to one Codemagic does not know, and a changed Podfile.lock
            world.reseed();
            fs.appendFileSync(path.join(programDir, "site", "ios", "Podfile.lock"), "  - Firebase (11.1.0)\n");

            // WHEN up runs, and again once the token is right
            const failed = await step("up-refused", () => stack.up(), false);
            await stack.setConfig({ "cache-purge:codemagicToken": { value: CANARIES.codemagicToken, secret: true } });
            const retried = await step("up-retried", () => stack.up());

            // THEN the first quotes Codemagic's answer, never the token; the second purges build-ipa
            assert.match(failed.result.output, /error: codemagic: GET http:\/\/127\.0\.0\.1:\d+\/apps\/60ddd0b747960e00124747cb\/caches returned 401 Unauthorized: "Unauthorized"; check the API token \(from stack config cache-purge:codemagicToken\)/);
            assert.ok(!failed.result.output.includes(CANARIES.rotated));
            assert.equal(failed.purges, 0);
            assert.equal(retried.purges, 1, retried.result.output);
            assert.match(retried.result.output, /codemagic: purge 1 of 2 targets: build-ipa/);
        });

        it("refreshes without a request and without changing the state", async () => {
            const before = resourcesOf(await stack.exportState(true));

            const refresh = await step("refresh", () => stack.refresh());

            assert.equal(refresh.requests, 0);
            assert.deepEqual(resourcesOf(await stack.exportState(true)), before);
        });

        it("keeps every credential ciphertext in the exported state", async () => {
            const exported = await stack.exportState();

            for (const canary of Object.values(CANARIES)) {
                assert.ok(!exported.includes(canary), `${canary} is in the exported state`);
            }
            assert.match(exported, /"ciphertext":/);
        });

        it("destroys without a request", async () => {
            const destroy = await step("destroy", () => stack.destroy());

            assert.equal(destroy.requests, 0);
            assert.match(destroy.result.output, new RegExp(`- ${program.deleted} deleted`));
        });
    });
}

describeWithCli("a YAML program with a wrong input under the real pulumi CLI", function (binDir) {
    this.timeout(300_000);
    let work: { dir: string; remove: () => void };
    let stack: CliStack;
    let cdn: ImageKitEmulator;
    let programDir: string;

    before(async function () {
        if (!fs.existsSync(path.join(binDir, "pulumi-language-yaml"))) {
            this.skip();
        }
        cdn = await new ImageKitEmulator({ privateKey: CANARIES.imagekitKey }).start();
        work = tempDir("cli-yaml-bad");
        programDir = path.join(work.dir, "program");
        fs.mkdirSync(programDir);
        program("urls: [\"https://ik.imagekit.io/acme/logo.svg\"]");
        const nodeBin = path.join(consumerProject(), "node_modules", ".bin");
        stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: "dev", env: { PATH: `${binDir}${path.delimiter}${nodeBin}${path.delimiter}${process.env.PATH ?? ""}` } });
        await stack.init({ "cache-purge:imagekitPrivateKey": { value: CANARIES.imagekitKey, secret: true } });
    });

    after(async () => {
        await cdn?.stop();
        work?.remove();
    });

    function program(...properties: string[]): void {
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), [
            "name: yaml-bad-input", "runtime: yaml", "resources:", "  images:", "    type: cache-purge:imagekit:UrlPurge", "    properties:",
            `      baseUrl: ${cdn.baseUrl}`, ...properties.map((p) => `      ${p}`), "",
        ].join("\n"));
    }

    it("refuses a number where a map is expected in Pulumi YAML's type check, from the schema, before any request", async () => {
        program("urls: [\"https://ik.imagekit.io/acme/logo.svg\"]", "triggers: 5");

        const preview = await stack.preview();

        assert.equal(preview.ok, false, preview.output);
        assert.match(preview.output, /triggers: Cannot assign type 'number' to type 'Map<string>'/);
        assert.equal(cdn.requests.length, 0);
    });

    it("refuses a misspelt member of the HTTP purge's request in Pulumi YAML's type check, from the named type, before any request", async () => {
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), [
            "name: yaml-bad-input", "runtime: yaml", "resources:", "  hook:", "    type: cache-purge:http:Purge", "    properties:",
            "      request:", `        url: ${cdn.baseUrl}/purge`, "        methd: POST", "      batch:", "        size: 5", "        jsonPath: files", "",
        ].join("\n"));

        const preview = await stack.preview();

        assert.equal(preview.ok, false, preview.output);
        assert.match(preview.output, /Property methd does not exist on 'cache-purge:http:PurgeRequest'/);
        assert.match(preview.output, /Existing properties are: method, form, json, url, headers/);
        assert.equal(cdn.requests.length, 0);
    });

    it("refuses a value of the right type that check refuses with the dynamic resources' message, before any request", async () => {
        program("urls: [\"relative/a.jpg\"]");

        const preview = await stack.preview();

        assert.equal(preview.ok, false, preview.output);
        assert.match(preview.output, /urls\[0\]: expected an absolute http\(s\) URL such as https:\/\/ik\.imagekit\.io\/your_id\/image\.jpg, got "relative\/a\.jpg"/);
        assert.equal(cdn.requests.length, 0);
    });
});

describeWithCli("a YAML program whose purge batch fails half-way, under the real pulumi CLI", function (binDir) {
    this.timeout(300_000);
    const IK = "https://ik.imagekit.io/acme/img";
    let work: { dir: string; remove: () => void };
    let stack: CliStack;
    let cdn: ImageKitEmulator;

    before(async function () {
        if (!fs.existsSync(path.join(binDir, "pulumi-language-yaml"))) {
            this.skip();
        }
        cdn = await new ImageKitEmulator({ privateKey: CANARIES.imagekitKey }).start();
        work = tempDir("cli-yaml-partial");
        const programDir = path.join(work.dir, "program");
        fs.mkdirSync(programDir);
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), [
            "name: yaml-partial", "runtime: yaml", "resources:", "  images:", "    type: cache-purge:imagekit:UrlPurge", "    properties:",
            `      baseUrl: ${cdn.baseUrl}`, "      urls:", ...["a", "b", "c"].map((n) => `        ${IK}/${n}.png: h1`), "",
        ].join("\n"));
        const nodeBin = path.join(consumerProject(), "node_modules", ".bin");
        stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: "dev", env: { PATH: `${binDir}${path.delimiter}${nodeBin}${path.delimiter}${process.env.PATH ?? ""}` } });
        await stack.init({ "cache-purge:imagekitPrivateKey": { value: CANARIES.imagekitKey, secret: true } });
    });

    after(async () => {
        await cdn?.stop();
        work?.remove();
    });

    it("records what was purged, previews only what is left, and the next up purges only that", async () => {
        // GIVEN ImageKit refusing one URL of three
        cdn.failUrls.set(`${IK}/b.png`, 500);

        // WHEN up fails part-way, the service recovers, and preview and up run again
        const failed = await stack.up();
        const purgedBefore = [...cdn.purgedUrls].sort();
        cdn.failUrls.clear();
        const preview = await stack.preview();
        const retried = await stack.up();

        // THEN the failure names the URL left, preview says only it will be purged, and the up purges only it
        assert.equal(failed.ok, false, failed.output);
        assert.match(failed.output, /https:\/\/ik\.imagekit\.io\/acme\/img\/b\.png/);
        assert.deepEqual(purgedBefore, [`${IK}/a.png`, `${IK}/c.png`]);
        assert.equal(preview.ok, true, preview.output);
        assert.match(preview.output, /imagekit: purge 1 of 3 targets: https:\/\/ik\.imagekit\.io\/acme\/img\/b\.png \(left over from a failed purge\); 1 request: POST /);
        assert.doesNotMatch(preview.output, /imagekit: purge 3 of 3/);
        assert.equal(retried.ok, true, retried.output);
        assert.deepEqual(cdn.purgedUrls.slice(2), [`${IK}/b.png`]);
    });
});

/** Stands in for `it` where a program has no such step, so the suite reports no pending test. */
function noTest(_title: string, _fn: Mocha.AsyncFunc): void {}

/** The `all` example's config with its project's keys renamed to this one's; the provider's keys stay. */
function renamed(config: StackConfig, project: string): StackConfig {
    return Object.fromEntries(Object.entries(config).map(([key, value]) => [key.replace(/^all-cache-purges:/, `${project}:`), value]));
}

/** A plan line as the CLI prints a provider's log line: indented under the resource row. */
function underResource(plan: RegExp): RegExp {
    return new RegExp(`\\n\\s+cache-purge:[a-z]+:[A-Za-z]+ +\\S+ +(?:create|update) *\\n\\s+${plan.source}|\\n\\s+${plan.source}`);
}

function resourcesOf(exported: string): unknown {
    const state = JSON.parse(exported) as { deployment: { resources?: Array<{ urn: string; inputs?: unknown; outputs?: unknown }> } };
    return (state.deployment.resources ?? []).map((r) => ({ urn: r.urn, inputs: r.inputs, outputs: r.outputs }));
}
