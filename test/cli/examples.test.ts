import assert from "node:assert/strict";
import { consumerProject } from "../harness/consumer-project";
import { type CliResult, CliStack, describeWithCli } from "../harness/pulumi-cli";
import { tempDir } from "../harness/workspace";
import { CANARIES, EXAMPLES, type RunningExample } from "./example-fixtures";
import { type Excerpt, missingLines, readmeExcerpts } from "./readme-excerpts";
import * as fs from "fs";
import * as path from "path";

/**
 * Every example, under the real `pulumi` CLI, installed from the packed tarball into a user's project:
 * preview -> up -> up -> change -> preview -> up -> credential rotation -> refresh -> destroy, against
 * the emulators. What each step must show and send is what the README promises.
 */
describeWithCli("every example under the real pulumi CLI", function (binDir) {
    this.timeout(600_000);
    const excerpts = readmeExcerpts();
    const checked = new Set<Excerpt>();

    /** Every README excerpt of this example and step must be in this run's output. */
    function quoted(example: string, step: string, result: CliResult): void {
        for (const excerpt of excerpts.filter((e) => e.example === example && e.step === step)) {
            assert.deepEqual(missingLines(excerpt, result.output), [], `README excerpt "${example} ${step}" is not what pulumi printed:\n${result.output}`);
            checked.add(excerpt);
        }
    }

    for (const fixture of EXAMPLES) {
        describe(`examples/${fixture.example}`, function () {
            let world: RunningExample;
            let work: { dir: string; remove: () => void };
            let stack: CliStack;
            let programDir: string;

            before(async () => {
                world = await fixture.start();
                work = tempDir(`cli-${fixture.example}`);
                // A copy inside the consumer project, so node_modules resolves to the installed tarball.
                const installed = path.join(consumerProject(), "examples", fixture.example);
                programDir = `${installed}-${path.basename(work.dir)}`;
                fs.cpSync(installed, programDir, { recursive: true });
                stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: "dev" });
                await stack.init(world.config);
            });

            after(async () => {
                await world?.stop();
                work?.remove();
                if (programDir) {
                    fs.rmSync(programDir, { recursive: true, force: true });
                }
            });

            async function step(name: string, run: () => Promise<CliResult>): Promise<{ result: CliResult; purges: number; requests: number }> {
                const purges = world.purges();
                const requests = world.requests();
                const result = await run();
                assert.equal(result.ok, true, result.output);
                // To refresh the README's excerpts: run this suite with CLI_OUTPUT_DIR set and copy from there.
                if (process.env.CLI_OUTPUT_DIR) {
                    fs.writeFileSync(path.join(process.env.CLI_OUTPUT_DIR, `${fixture.example}-${name}.txt`), result.output);
                    fs.appendFileSync(path.join(process.env.CLI_OUTPUT_DIR, "timings.tsv"), `${fixture.example}\t${name}\t${result.milliseconds}\n`);
                }
                quoted(fixture.example, name, result);
                return { result, purges: world.purges() - purges, requests: world.requests() - requests };
            }

            it("previews what will be purged and why, without a request", async () => {
                const plain = await step("preview", () => stack.preview());
                const diff = await step("preview-diff", () => stack.preview("--diff"));

                assert.equal(plain.requests + diff.requests, 0);
                for (const plan of fixture.createPlans) {
                    assert.match(plain.result.output, plan);
                    assert.match(diff.result.output, plan);
                }
            });

            it("purges exactly that on up, and nothing on the next up", async () => {
                const first = await step("up", () => stack.up());
                const second = await step("up-again", () => stack.up());

                assert.equal(first.purges, fixture.purgesOnCreate, first.result.output);
                assert.match(second.result.output, /Resources:\n\s+\d+ unchanged\n/);
                assert.equal(second.requests, 0, second.result.output);
            });

            it("previews the changed trigger after a content change, then purges only that", async () => {
                world.reseed();
                const config = fixture.change(programDir);
                if (config) {
                    await stack.setConfig(config);
                }

                const plain = await step("preview-change", () => stack.preview());
                const preview = await step("preview-change-diff", () => stack.preview("--diff"));
                const up = await step("up-change", () => stack.up());

                assert.equal(plain.requests + preview.requests, 0);
                for (const plan of fixture.changePlans) {
                    assert.match(plain.result.output, plan);
                    assert.match(preview.result.output, plan);
                }
                assert.equal(up.purges, fixture.purgesOnChange, up.result.output);
            });

            it("purges nothing when a credential is rotated with pulumi config set --secret", async () => {
                await stack.setConfig(world.rotated);

                const up = await step("up-rotated", () => stack.up());

                assert.equal(up.requests, 0, up.result.output);
            });

            it("refreshes without a request and without changing the state", async () => {
                // Decrypted: the CLI encrypts each secret afresh whenever it writes the state.
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
                assert.match(destroy.result.output, /- \d+ deleted/);
            });
        });
    }

    // A suite of its own, defined last: mocha runs a suite's own tests before its child suites.
    describe("the README", () => {
        it("quotes only output that a step above printed", () => {
            const unchecked = excerpts.filter((e) => !checked.has(e)).map((e) => `${e.example} ${e.step}`);

            assert.ok(excerpts.length > 0);
            assert.deepEqual(unchecked, []);
        });
    });
});

/** What a refresh could change: each resource's inputs and outputs. */
function resourcesOf(exported: string): unknown {
    const state = JSON.parse(exported) as { deployment: { resources?: Array<{ urn: string; inputs?: unknown; outputs?: unknown }> } };
    return (state.deployment.resources ?? []).map((r) => ({ urn: r.urn, inputs: r.inputs, outputs: r.outputs }));
}
