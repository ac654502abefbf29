import assert from "node:assert/strict";
import { spawn } from "child_process";
import * as net from "net";
import * as path from "path";
import { REPO_ROOT } from "../harness/workspace";

const BIN = path.join(REPO_ROOT, "dist", "cli", "main.js");

/** Runs the built command to its end, as `npx pulumi-cache-purge …` does, and collects what it printed. */
function run(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => { stdout += chunk; });
    child.stderr.on("data", (chunk: Buffer) => { stderr += chunk; });
    return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("npx pulumi-cache-purge emulators on a port in use", function () {
    this.timeout(30_000);
    let taken: net.Server;
    let port: number;

    beforeEach(async () => {
        taken = net.createServer();
        await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
        port = (taken.address() as net.AddressInfo).port;
    });

    afterEach(() => new Promise<void>((resolve) => taken.close(() => resolve())));

    it("exits with one line naming the port and what to do, and no stack trace", async () => {
        const result = await run(["emulators", "--port", String(port)]);

        assert.equal(result.code, 1);
        assert.equal(result.stderr, `pulumi-cache-purge emulators: port ${port} on 127.0.0.1 is in use (emulators already running, or another program); stop that program, or pass --port <first of eight free ports>, or --port 0 to take any free ports\n`);
        assert.equal(result.stdout, "");
    });

    it("exits, having freed the ports it took, when a later one of its five ports is in use", async () => {
        const result = await run(["emulators", "--port", String(port - 2)]);

        assert.equal(result.code, 1);
        assert.match(result.stderr, new RegExp(`^pulumi-cache-purge emulators: port ${port} on 127\\.0\\.0\\.1 is in use`));
        assert.doesNotMatch(result.stderr, /\n\s+at /);
    });
});
