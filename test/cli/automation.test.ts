import assert from "node:assert/strict";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { FlextypeEmulator } from "../../src/testing";
import { consumerProject } from "../harness/consumer-project";
import { cliEnvironment, describeWithCli } from "../harness/pulumi-cli";
import { tempDir } from "../harness/workspace";

const TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const ACCESS = "CANARY-automation-access-4d21";

/** examples/automation/deploy.ts as a CI job runs it: a process with the credentials in its environment. */
describeWithCli("examples/automation: a CI step driving a stack through the Automation API", function (binDir) {
    this.timeout(300_000);
    let cms: FlextypeEmulator;
    let work: { dir: string; remove: () => void };

    before(async () => {
        cms = await new FlextypeEmulator({ [TOKEN]: { accessToken: ACCESS } }).start();
        work = tempDir("cli-automation");
    });

    after(async () => {
        await cms.stop();
        work.remove();
        fs.rmSync(path.join(consumerProject(), "examples", "flextype", "Pulumi.automation.yaml"), { force: true });
    });

    function deploy(): Promise<{ code: number | null; output: string }> {
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "deploy.ts"], {
            cwd: path.join(consumerProject(), "examples", "automation"),
            env: { ...cliEnvironment(binDir, work.dir), STACK: "automation", FLEXTYPE_URL: cms.baseUrl, FLEXTYPE_TOKEN: TOKEN, FLEXTYPE_ACCESS_TOKEN: ACCESS },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => { output += chunk; });
        child.stderr.on("data", (chunk: Buffer) => { output += chunk; });
        return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
    }

    it("previews, purges once, reads the receipt, and purges nothing on the next run", async () => {
        const first = await deploy();
        const second = await deploy();

        assert.equal(first.code, 0, first.output);
        assert.match(first.output, /^preview: \{"create":2\}$/m);
        assert.match(first.output, /flextype: purge cache \(created\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/cache\/clear/);
        assert.match(first.output, /^up: succeeded, \{"create":2\}$/m);
        assert.match(first.output, /^last purge: all 1 target\(s\) at \d{4}-\d\d-\d\dT[\d:.]+Z \(1 request\(s\)\)$/m);
        assert.equal(second.code, 0, second.output);
        assert.match(second.output, /^up: succeeded, \{"same":2\}$/m);
        assert.equal(cms.clears, 1);
        assert.ok(!first.output.includes(ACCESS) && !second.output.includes(ACCESS));
    });
});
