import assert from "node:assert/strict";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { FlextypeEmulator } from "../../src/testing";
import { cliEnvironment, describeWithCli } from "../harness/pulumi-cli";
import { REPO_ROOT, tempDir } from "../harness/workspace";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const ACCESS = "CANARY-automation-access-4d21";

/**
 * examples/automation as docs/automation.md tells a user to run it: the tarball `npm pack` wrote at the
 * top of a clone, `npm install` in the example's folder (nothing else installed around it), then
 * `npm run deploy` with the credentials in the environment, as a CI job has them.
 */
describeWithCli("examples/automation: a CI step driving a stack through the Automation API", function (binDir) {
    this.timeout(600_000);
    let cms: FlextypeEmulator;
    let work: { dir: string; remove: () => void };
    let example: string;

    before(async () => {
        cms = await new FlextypeEmulator({ [TOKEN]: { accessToken: ACCESS } }).start();
        work = tempDir("cli-automation");
        const clone = path.join(work.dir, "clone");
        example = path.join(clone, "examples", "automation");
        fs.cpSync(path.join(REPO_ROOT, "examples", "automation"), example, {
            recursive: true,
            filter: (source) => !source.split(path.sep).includes("node_modules") && !/Pulumi\.[^/]+\.yaml$/.test(path.basename(source)) || source.endsWith("Pulumi.yaml"),
        });
        execFileSync(NPM, ["pack", "--silent", "--pack-destination", clone], { cwd: REPO_ROOT, stdio: "pipe" });
        execFileSync(NPM, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: example, stdio: "pipe" });
    });

    after(async () => {
        await cms?.stop();
        work?.remove();
    });

    function deploy(): Promise<{ code: number | null; output: string }> {
        const child = spawn(NPM, ["run", "--silent", "deploy"], {
            cwd: example,
            env: { ...cliEnvironment(binDir, work.dir), STACK: "automation", FLEXTYPE_URL: cms.baseUrl, FLEXTYPE_TOKEN: TOKEN, FLEXTYPE_ACCESS_TOKEN: ACCESS },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => { output += chunk; });
        child.stderr.on("data", (chunk: Buffer) => { output += chunk; });
        return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
    }

    it("installs from the tarball its package.json names, with the TypeScript and ts-node it pins", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "examples", "automation", "package.json"), "utf8")) as { dependencies: Record<string, string> };
        const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
        const installed = (name: string) => (JSON.parse(fs.readFileSync(path.join(example, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;

        assert.equal(manifest.dependencies["pulumi-cache-purge"], `file:../../pulumi-cache-purge-${version}.tgz`);
        assert.equal(installed("pulumi-cache-purge"), version);
        assert.match(installed("typescript"), /^5\./);
        assert.match(installed("ts-node"), /^10\./);
    });

    it("previews, purges once, reads the receipt, and purges nothing on the next run", async () => {
        const first = await deploy();
        const second = await deploy();

        assert.equal(first.code, 0, first.output);
        assert.match(first.output, /^preview: \{"create":2\}$/m);
        assert.match(first.output, /^ {2}flextype: purge cache \(created\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/cache\/clear$/m);
        assert.match(first.output, /^up: succeeded, \{"create":2\}$/m);
        assert.match(first.output, /^last purge: all 1 target\(s\) at \d{4}-\d\d-\d\dT[\d:.]+Z \(1 request\(s\)\)$/m);
        assert.equal(second.code, 0, second.output);
        assert.match(second.output, /^preview: \{"same":2\}\nup: succeeded, \{"same":2\}\nlast purge: all 1 target/m);
        assert.equal(cms.clears, 1);
        assert.ok(!first.output.includes(ACCESS) && !second.output.includes(ACCESS));
    });

    it("purges again after an entry of content/ changed, saying which trigger changed", async () => {
        fs.appendFileSync(path.join(example, "content", "home.md"), "Now with news.\n");

        const changed = await deploy();

        assert.equal(changed.code, 0, changed.output);
        assert.match(changed.output, /^preview: \{"same":1,"update":1\}$/m);
        assert.match(changed.output, /^ {2}flextype: purge cache \(trigger content: [0-9a-f]{8}… -> [0-9a-f]{8}…\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/cache\/clear$/m);
        assert.equal(cms.clears, 2);
    });

    it("says which variable is missing when a credential is not set", async () => {
        const child = spawn(NPM, ["run", "--silent", "deploy"], {
            cwd: example,
            env: { ...cliEnvironment(binDir, work.dir), STACK: "automation", FLEXTYPE_URL: cms.baseUrl, FLEXTYPE_TOKEN: "", FLEXTYPE_ACCESS_TOKEN: ACCESS },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stderr.on("data", (chunk: Buffer) => { output += chunk; });
        const code = await new Promise((resolve) => child.on("close", resolve));

        assert.equal(code, 1);
        assert.equal(output.trim(), "FLEXTYPE_TOKEN is not set; set FLEXTYPE_URL, FLEXTYPE_TOKEN and FLEXTYPE_ACCESS_TOKEN (see docs/automation.md)");
    });
});
