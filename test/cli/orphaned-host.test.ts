import assert from "node:assert/strict";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ImageKitEmulator } from "../../src/testing";
import { consumerProject } from "../harness/consumer-project";
import { CliStack, describeWithCli } from "../harness/pulumi-cli";
import { tempDir } from "../harness/workspace";

const KEY = "private_orphaned_host_key_3f1a";
const PROJECT = "orphaned-host";
const URLS = 1_000;
/** The bound on a host's exit after its engine dies: the host looks once a second. */
const EXIT_WITHIN_MS = 10_000;

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();
const urls: Record<string, string> = {};
for (let i = 0; i < ${URLS}; i++) {
    urls["https://ik.imagekit.io/acme/img/" + String(i).padStart(4, "0") + ".jpg"] = "h1";
}
new purge.imagekit.UrlPurge("images", { baseUrl: cfg.require("imagekitUrl"), urls });
`;

interface ProcessSample {
    readonly ppid: number;
    readonly rssBytes: number;
    readonly cmdline: string;
}

/** One process as /proc shows it; undefined once it has exited (or is a zombie nobody reaps). */
function sample(pid: number): ProcessSample | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (fields[0] === "Z") {
            return undefined;
        }
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
        return { ppid: Number(fields[1]), rssBytes: Number(fields[21]) * 4096, cmdline };
    } catch {
        return undefined;
    }
}

/** Every process below `root`, found by walking parent links in /proc. */
function descendants(root: number): number[] {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
        const pid = Number(entry);
        const found = Number.isInteger(pid) ? sample(pid) : undefined;
        if (found !== undefined) {
            children.set(found.ppid, [...(children.get(found.ppid) ?? []), pid]);
        }
    }
    const out: number[] = [];
    const walk = (pid: number) => {
        for (const child of children.get(pid) ?? []) {
            out.push(child);
            walk(child);
        }
    };
    walk(root);
    return out;
}

async function until<T>(what: string, limitMs: number, probe: () => T | undefined): Promise<T> {
    const deadline = Date.now() + limitMs;
    for (;;) {
        const value = probe();
        if (value !== undefined) {
            return value;
        }
        if (Date.now() > deadline) {
            throw new Error(`gave up waiting for ${what} after ${limitMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

/** Issue 23, item 3: a provider host whose engine is killed stops its work and exits. */
describeWithCli("a provider host whose pulumi was killed, under the real pulumi CLI", function (binDir) {
    this.timeout(300_000);
    let cdn: ImageKitEmulator;
    let work: { dir: string; remove: () => void };
    let programDir: string;
    let stack: CliStack;
    const started: number[] = [];

    before(async () => {
        cdn = await new ImageKitEmulator({ privateKey: KEY }).start();
        // 1,000 URLs at 100 ms each: the batch runs for many seconds, logging its progress.
        cdn.latencyMs = 100;
        work = tempDir("cli-orphaned-host");
        programDir = path.join(consumerProject(), `orphaned-host-${process.pid}`);
        fs.mkdirSync(programDir, { recursive: true });
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
        fs.writeFileSync(path.join(programDir, "index.ts"), PROGRAM);
        stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: "dev" });
        await stack.init({
            [`${PROJECT}:imagekitUrl`]: { value: cdn.baseUrl },
            "cache-purge:imagekitPrivateKey": { value: KEY, secret: true },
        });
    });

    after(async () => {
        // Only the processes this test started, by their ids.
        for (const pid of started) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // Already gone.
            }
        }
        await cdn.stop();
        work.remove();
        fs.rmSync(programDir, { recursive: true, force: true });
    });

    it("exits within 10 s of kill -9 of pulumi up in the middle of a batch, sends nothing more, and does not grow", async () => {
        const pulumi = spawn(path.join(binDir, "pulumi"), ["up", "--yes", "--skip-preview", "--stack", "dev", "--color", "never"], {
            cwd: programDir, env: stack.env, stdio: ["ignore", "pipe", "pipe"],
        });
        started.push(pulumi.pid!);
        let output = "";
        pulumi.stdout.on("data", (chunk: Buffer) => { output += chunk; });
        pulumi.stderr.on("data", (chunk: Buffer) => { output += chunk; });
        await until("the batch to start", 120_000, () => (cdn.purgedUrls.length >= 50 ? true : undefined))
            .catch((error: Error) => assert.fail(`${error.message}; pulumi printed:\n${output}`));
        const below = descendants(pulumi.pid!);
        started.push(...below);
        const host = below.find((pid) => sample(pid)?.cmdline.includes("dynamic-provider") === true);
        assert.ok(host !== undefined, "no provider host under pulumi");
        const before = sample(host)!;

        process.kill(pulumi.pid!, "SIGKILL");
        const killedAt = Date.now();
        let largestRss = before.rssBytes;
        const exitedAt = await until("the host to exit", EXIT_WITHIN_MS, () => {
            const now = sample(host);
            largestRss = Math.max(largestRss, now?.rssBytes ?? 0);
            return now === undefined ? Date.now() : undefined;
        }).catch((error: Error) => error);
        // Counted as they arrive (the emulator answers each 100 ms later, so answers go on after the host is
        // gone), once what the host wrote before it exited has been read.
        await new Promise((resolve) => setTimeout(resolve, 250));
        const sentAtExit = cdn.requests.length;
        await new Promise((resolve) => setTimeout(resolve, 1_000));

        assert.ok(typeof exitedAt === "number", `${exitedAt instanceof Error ? exitedAt.message : ""}: the host still runs, ${cdn.purgedUrls.length} of ${URLS} URLs sent`);
        assert.ok(exitedAt - killedAt < EXIT_WITHIN_MS);
        assert.equal(cdn.requests.length, sentAtExit, "the host sent purges after it exited");
        assert.ok(cdn.requests.length < URLS, "the batch ran to its end: the host did not stop its work");
        assert.ok(largestRss - before.rssBytes < 64 * 1024 * 1024, `the host grew from ${before.rssBytes} to ${largestRss} bytes`);
    });
});
