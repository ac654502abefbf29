import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { consumerProject } from "../harness/consumer-project";
import { CliStack, describeWithCli } from "../harness/pulumi-cli";
import { tempDir } from "../harness/workspace";
import type { CloudflarePurgeEmulator } from "../services/http-vendors";
import { HTTP_TOKEN, httpConfig, startCloudflare } from "./http-fixture";

/**
 * examples/http under the real `pulumi` CLI, beyond the steps every example goes through: a batch the
 * API refuses fails the up with the API's words, the batches before it stay purged, and the next up
 * sends only what was left; the secret header never reaches the output or the state.
 */
describeWithCli("examples/http: a partial batch under the real pulumi CLI", function (binDir) {
    this.timeout(600_000);
    let cdn: CloudflarePurgeEmulator;
    let work: { dir: string; remove: () => void };
    let stack: CliStack;
    let programDir: string;

    before(async () => {
        cdn = await startCloudflare();
        work = tempDir("cli-http-partial");
        const installed = path.join(consumerProject(), "examples", "http");
        programDir = `${installed}-${path.basename(work.dir)}`;
        fs.cpSync(installed, programDir, { recursive: true });
        stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: "dev" });
        await stack.init(httpConfig(cdn));
    });

    after(async () => {
        await cdn?.stop();
        work?.remove();
        if (programDir) {
            fs.rmSync(programDir, { recursive: true, force: true });
        }
    });

    it("fails the up on the refused batch with the API's message, keeping the first batch purged", async () => {
        cdn.refusedFiles.add("https://www.example.com/logo.svg");

        const up = await stack.up();

        assert.equal(up.ok, false, up.output);
        assert.ok(up.output.includes(`http: POST ${cdn.purgeUrl} returned 400 Bad Request: "Purge request contains a URL not on this zone: https://www.example.com/logo.svg"; `
            + "2 of 3 targets purged, 1 left for the next pulumi up (https://www.example.com/logo.svg)"), up.output);
        assert.deepEqual(cdn.purged, [["https://www.example.com/app.css", "https://www.example.com/index.html"]]);
    });

    it("previews an update whose plan is what the failure left, and the next up purges only that", async () => {
        cdn.refusedFiles.clear();

        const preview = await stack.preview();
        const up = await stack.up();
        const receipt = await stack.output("receipt") as { targets: string[]; reasons: { why: string; targets: string[] }[] };

        // What a failure left is in the outputs, which diff sees: its line under the resource names only that.
        assert.match(preview.output, /~ {2}pulumi-nodejs:dynamic\/http:Purge site update/);
        assert.match(preview.output, /http: purge 1 of 3 targets: https:\/\/www\.example\.com\/logo\.svg \(left over from a failed purge\); 1 request: POST /);
        assert.equal(up.ok, true, up.output);
        assert.deepEqual(cdn.purged, [["https://www.example.com/app.css", "https://www.example.com/index.html"], ["https://www.example.com/logo.svg"]]);
        assert.deepEqual(receipt.reasons, [{ why: "left over from a failed purge", targets: ["https://www.example.com/logo.svg"] }]);
    });

    it("keeps the token out of every output and out of the exported state", async () => {
        const exported = await stack.exportState();
        const outputs = await stack.mustRun(["stack", "output", "--json"]);

        assert.ok(!exported.includes(HTTP_TOKEN) && !outputs.stdout.includes(HTTP_TOKEN));
        assert.match(exported, /"ciphertext":/);
    });
});
