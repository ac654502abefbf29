import assert from "node:assert/strict";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { FlextypeEmulator, ImageKitEmulator } from "../../src/testing";
import { consumerProject } from "../harness/consumer-project";
import { type CliResult, CliStack, describeWithCli, type StackConfig } from "../harness/pulumi-cli";
import { tempDir } from "../harness/workspace";

const TOKEN = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const ACCESS = "CANARY-behaviour-access-71c3";
const KEY = "private_CANARY-behaviour-key-0e5d";
const PROJECT = "purge-options";

/**
 * A user's program that combines purges with the resource options people use next to them: a purge
 * that depends on an upload, `ignoreChanges`, `retainOnDelete`, and a purge on delete, chosen by config.
 */
const PROGRAM = `import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();

// The upload the purge follows: slow on purpose, and it writes down when it finished.
const upload = new pulumi.dynamic.Resource(new (class {
    async create(inputs: { marker: string }) {
        await new Promise((r) => setTimeout(r, 1500));
        fs.writeFileSync(inputs.marker, String(Date.now()));
        return { id: "upload", outs: inputs };
    }
})() as pulumi.dynamic.ResourceProvider, "upload", { marker: cfg.require("marker") });

export const cms = new purge.flextype.CachePurge("cms", {
    baseUrl: cfg.require("flextypeUrl"),
    triggers: { content: purge.hashFiles(cfg.require("contentDir")) },
    purgeOnDelete: cfg.getBoolean("purgeOnDelete") ?? false,
}, {
    dependsOn: [upload],
    ignoreChanges: cfg.getBoolean("ignoreTriggers") ? ["triggers"] : [],
    retainOnDelete: cfg.getBoolean("retain") ?? false,
}).receipt;

export const images = new purge.imagekit.UrlPurge("images", {
    baseUrl: cfg.require("imagekitUrl"),
    urls: purge.hashFiles(cfg.require("imagesDir"), { baseUrl: "https://ik.imagekit.io/acme/img" }),
    wait: cfg.getBoolean("wait") ?? false,
    maxRetries: 0,
}).receipt;
`;

describeWithCli("purges with resource options, failures and progress under the real pulumi CLI", function (binDir) {
    this.timeout(600_000);
    let cms: FlextypeEmulator;
    let cdn: ImageKitEmulator;
    let work: { dir: string; remove: () => void };
    let programDir: string;
    let stacks = 0;
    /** Taken just before the Flextype emulator starts: its request times count from its start. */
    let cmsStartedBy: number;

    before(() => {
        programDir = path.join(consumerProject(), `options-program-${process.pid}`);
        fs.mkdirSync(programDir, { recursive: true });
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
        fs.writeFileSync(path.join(programDir, "index.ts"), PROGRAM);
    });

    after(() => fs.rmSync(programDir, { recursive: true, force: true }));

    beforeEach(async () => {
        cmsStartedBy = Date.now();
        cms = await new FlextypeEmulator({ [TOKEN]: { accessToken: ACCESS } }).start();
        cdn = await new ImageKitEmulator({ privateKey: KEY, pendingMs: 0 }).start();
        work = tempDir("cli-options");
        fs.mkdirSync(path.join(work.dir, "content"));
        fs.writeFileSync(path.join(work.dir, "content", "home.md"), "title: Home\n");
        fs.mkdirSync(path.join(work.dir, "img"));
        for (const name of ["a.png", "b.png", "c.png"]) {
            fs.writeFileSync(path.join(work.dir, "img", name), `image ${name}\n`);
        }
    });

    afterEach(async () => {
        await cms.stop();
        await cdn.stop();
        work.remove();
    });

    async function newStack(options: StackConfig = {}, without: readonly string[] = []): Promise<CliStack> {
        stacks += 1;
        const stack = new CliStack({ binDir, programDir, workDir: path.join(work.dir, `stack-${stacks}`), stack: `s${stacks}` });
        await stack.init(Object.fromEntries(Object.entries({
            [`${PROJECT}:flextypeUrl`]: { value: cms.baseUrl },
            [`${PROJECT}:imagekitUrl`]: { value: cdn.baseUrl },
            [`${PROJECT}:contentDir`]: { value: path.join(work.dir, "content") },
            [`${PROJECT}:imagesDir`]: { value: path.join(work.dir, "img") },
            [`${PROJECT}:marker`]: { value: path.join(work.dir, `uploaded-${stacks}`) },
            "cache-purge:flextypeToken": { value: TOKEN, secret: true },
            "cache-purge:flextypeAccessToken": { value: ACCESS, secret: true },
            "cache-purge:imagekitPrivateKey": { value: KEY, secret: true },
            ...options,
        }).filter(([key]) => !without.includes(key))));
        return stack;
    }

    function ok(result: CliResult): CliResult {
        assert.equal(result.ok, true, result.output);
        return result;
    }

    const editContent = () => fs.appendFileSync(path.join(work.dir, "content", "home.md"), "more\n");
    const editImage = (name: string) => fs.writeFileSync(path.join(work.dir, "img", name), `image ${name}, edited\n`);

    it("fails preview, before any request, naming a missing credential", async () => {
        const stack = await newStack({}, ["cache-purge:imagekitPrivateKey"]);

        const preview = await stack.preview();

        assert.equal(preview.ok, false);
        assert.equal(cms.requests.length + cdn.requests.length, 0);
        assert.match(preview.output, /error: pulumi-nodejs:dynamic\/imagekit:UrlPurge resource 'images' has a problem: imagekit: no private key; pass privateKey, run `pulumi config set --secret cache-purge:imagekitPrivateKey <value>`, or set IMAGEKIT_PRIVATE_KEY/);
        // Told which input failed, the engine prints its whole value first (a URL map, a URL with a password).
        assert.doesNotMatch(preview.output, /value \{/);
    });

    it("previews without a credential when nothing would be purged, and refuses once a change would purge", async () => {
        const stack = await newStack();
        ok(await stack.up());
        await stack.mustRun(["config", "rm", "cache-purge:imagekitPrivateKey"]);

        const unchanged = await stack.preview();
        editImage("a.png");
        const changed = await stack.preview();

        assert.equal(unchanged.ok, true, unchanged.output);
        assert.doesNotMatch(unchanged.output, /private key/);
        assert.equal(changed.ok, false);
        assert.match(changed.output, /error: pulumi-nodejs:dynamic\/imagekit:UrlPurge resource 'images' has a problem: imagekit: no private key; pass privateKey, run `pulumi config set --secret cache-purge:imagekitPrivateKey <value>`, or set IMAGEKIT_PRIVATE_KEY/);
        await stack.setConfig({ "cache-purge:imagekitPrivateKey": { value: KEY, secret: true } });
        ok(await stack.destroy());
    });

    it("says under each purge resource on destroy that nothing was purged", async () => {
        const stack = await newStack();
        ok(await stack.up());
        const requests = cms.requests.length + cdn.requests.length;

        const destroyed = ok(await stack.destroy());

        assert.equal(cms.requests.length + cdn.requests.length, requests);
        // The two deletes run in parallel: Diagnostics lists the resources in either order.
        assert.match(destroyed.output, /Diagnostics:\n/);
        assert.match(destroyed.output, /  pulumi-nodejs:dynamic\/flextype:CachePurge \(cms\):\n    flextype: nothing purged on delete \(set purgeOnDelete: true to purge when the resource is deleted\)\n/);
        assert.match(destroyed.output, /  pulumi-nodejs:dynamic\/imagekit:UrlPurge \(images\):\n    imagekit: nothing purged on delete \(set purgeOnDelete: true to purge when the resource is deleted\)\n/);
    });

    it("leaves the stored inputs as they were on an unchanged up after a purge, so the engine does not rewrite the state per resource", async () => {
        const stack = await newStack();
        ok(await stack.up());
        editContent();
        ok(await stack.up());
        const before = JSON.parse(await stack.exportState()) as { deployment: { resources: { urn: string; inputs: Record<string, unknown> }[] } };

        const unchanged = await stack.run(["up", "--yes", "-v=9", "--logtostderr"]);

        const after = JSON.parse(await stack.exportState()) as typeof before;
        const purgeInputs = (state: typeof before) => state.deployment.resources.filter((r) => /::(cms|images)$/.test(r.urn)).map((r) => r.inputs);
        const cmsInputs = after.deployment.resources.find((r) => r.urn.endsWith("::cms"))?.inputs;
        assert.equal(unchanged.ok, true, unchanged.output.slice(-4000));
        assert.equal(unchanged.output.match(/mustWrite\(\) true because of Inputs/g)?.length ?? 0, 0);
        assert.deepEqual(purgeInputs(after), purgeInputs(before));
        assert.match(String(cmsInputs?.purgePlan), /^purge cache \(trigger content: [0-9a-f]{8}… -> [0-9a-f]{8}…\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/cache\/clear$/);
        ok(await stack.destroy());
    });

    it("checks the deployed stack's credentials with npx pulumi-cache-purge check, naming their sources, and purges nothing", async () => {
        const stack = await newStack();
        ok(await stack.up());
        const requests = { cms: cms.requests.length, cdn: cdn.requests.length };
        const check = (env: NodeJS.ProcessEnv = {}, extra: string[] = []) => new Promise<{ code: number; stdout: string }>((resolve) => {
            execFile(path.join(consumerProject(), "node_modules", ".bin", "pulumi-cache-purge"), ["check", "--stack", `s${stacks}`, ...extra],
                { cwd: programDir, env: { ...stack.env, ...env } }, (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }));
        });

        const accepted = await check();
        const previewed = await check({}, ["--preview"]);
        await stack.mustRun(["config", "rm", "cache-purge:imagekitPrivateKey"]);
        const refused = await check({ IMAGEKIT_PRIVATE_KEY: "private_wrong_key" });

        assert.equal(accepted.code, 0, accepted.stdout);
        assert.equal(accepted.stdout, "imagekit (images): private key from stack config cache-purge:imagekitPrivateKey: accepted: listed 0 file(s) of the media library (limit 1) with 1 request(s)\n"
            + "flextype (cms): token from stack config cache-purge:flextypeToken, access token from stack config cache-purge:flextypeAccessToken: unverified: "
            + "Flextype checks the token and access token only in its cache API, which clears the cache: they are not verified\n"
            + "2 account(s) checked, 0 refused; nothing was purged\n");
        assert.equal(previewed.stdout, accepted.stdout);
        assert.equal(refused.code, 1);
        assert.match(refused.stdout, /^imagekit \(images\): private key from environment variable IMAGEKIT_PRIVATE_KEY: refused: imagekit: GET http:\/\/127\.0\.0\.1:\d+\/v1\/files\?limit=1 returned 403 Forbidden: "Your account cannot be authenticated\."; check the private key \(from environment variable IMAGEKIT_PRIVATE_KEY\)/);
        assert.deepEqual({ cms: cms.requests.length, cdn: cdn.purges.length }, { cms: requests.cms, cdn: 3 });
        assert.ok(!accepted.stdout.includes(KEY) && !accepted.stdout.includes(TOKEN) && !accepted.stdout.includes(ACCESS));
        await stack.setConfig({ "cache-purge:imagekitPrivateKey": { value: KEY, secret: true } });
        ok(await stack.destroy());
    });

    it("checks a new stack's credentials with check --preview, before its first purge", async () => {
        const stack = await newStack();

        const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
            execFile(path.join(consumerProject(), "node_modules", ".bin", "pulumi-cache-purge"), ["check", "--stack", `s${stacks}`, "--preview"],
                { cwd: programDir, env: stack.env }, (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }));
        });

        assert.equal(result.code, 0, result.stdout);
        assert.match(result.stdout, /^imagekit \(images\): private key from stack config cache-purge:imagekitPrivateKey: accepted: listed 0 file\(s\) of the media library \(limit 1\) with 1 request\(s\)\n/);
        assert.match(result.stdout, /\n2 account\(s\) checked, 0 refused; nothing was purged\n$/);
        assert.equal(cms.requests.length + cdn.purges.length, 0);
    });

    it("never shows a password in a refused URL, in the CLI's own error line either", async () => {
        const stack = await newStack({ [`${PROJECT}:flextypeUrl`]: { value: "https://editor:S3cretPassw0rd@cms.example.com" } });

        const preview = await stack.preview();

        assert.equal(preview.ok, false);
        assert.match(preview.output, /error: pulumi-nodejs:dynamic\/flextype:CachePurge resource 'cms' has a problem: baseUrl: /);
        assert.doesNotMatch(preview.output, /value \{/);
        assert.ok(!preview.output.includes("S3cretPassw0rd"), preview.output);
    });

    it("purges only after the upload it depends on has finished", async () => {
        const stack = await newStack();

        ok(await stack.up());

        const uploadedAt = Number(fs.readFileSync(path.join(work.dir, `uploaded-${stacks}`), "utf8"));
        const clearedAt = cmsStartedBy + cms.requests[0].atMs;
        assert.equal(cms.clears, 1);
        assert.ok(clearedAt >= uploadedAt, `cleared at ${clearedAt}, uploaded at ${uploadedAt}`);
        ok(await stack.destroy());
    });

    it("purges nothing for a trigger change under ignoreChanges: [\"triggers\"]", async () => {
        const stack = await newStack({ [`${PROJECT}:ignoreTriggers`]: { value: "true" } });
        ok(await stack.up());
        editContent();

        const preview = ok(await stack.preview());
        const up = ok(await stack.up());

        assert.doesNotMatch(preview.output, /flextype: purge/);
        assert.match(up.output, /Resources:\n\s+4 unchanged/);
        assert.equal(cms.clears, 1);
        ok(await stack.destroy());
    });

    it("purges on destroy with purgeOnDelete, and not under retainOnDelete", async () => {
        const purging = await newStack({ [`${PROJECT}:purgeOnDelete`]: { value: "true" } });
        const retained = await newStack({ [`${PROJECT}:purgeOnDelete`]: { value: "true" }, [`${PROJECT}:retain`]: { value: "true" } });
        ok(await purging.up());
        ok(await retained.up());

        const destroyed = ok(await purging.destroy());
        const afterPurgingDestroy = cms.clears;
        ok(await retained.destroy());

        assert.match(destroyed.output, /flextype: purge cache \(deleted\)/);
        assert.equal(afterPurgingDestroy, 3);
        assert.equal(cms.clears, 3);
    });

    it("purges only the targeted resource with --target, and the other on the next up", async () => {
        const stack = await newStack();
        ok(await stack.up());
        editContent();
        editImage("a.png");
        const cmsUrn = `urn:pulumi:s${stacks}::${PROJECT}::pulumi-nodejs:dynamic/flextype:CachePurge::cms`;

        ok(await stack.up("--target", cmsUrn));
        const targeted = { clears: cms.clears, imagePurges: cdn.purges.length };
        ok(await stack.up());

        assert.deepEqual(targeted, { clears: 2, imagePurges: 3 });
        assert.equal(cdn.purges.length, 4);
        assert.deepEqual(cdn.purgedUrls.slice(3), ["https://ik.imagekit.io/acme/img/a.png"]);
        ok(await stack.destroy());
    });

    it("sends the same purges with --parallel 1 as with the default parallelism", async () => {
        const serial = await newStack();
        ok(await serial.up("--parallel", "1"));
        const serialRequests = cms.requests.length + cdn.requests.length;
        const serialUrls = [...cdn.purgedUrls].sort();
        ok(await serial.destroy());
        const parallel = await newStack();

        ok(await parallel.up());

        assert.equal(cms.requests.length + cdn.requests.length, 2 * serialRequests);
        assert.deepEqual(cdn.purgedUrls.slice(serialUrls.length).sort(), serialUrls);
        ok(await parallel.destroy());
    });

    it("changes nothing and sends nothing on up --refresh", async () => {
        const stack = await newStack();
        ok(await stack.up());
        const requests = cms.requests.length + cdn.requests.length;

        const up = ok(await stack.up("--refresh"));

        assert.equal(cms.requests.length + cdn.requests.length, requests);
        assert.match(up.output, /Resources:\n\s+4 unchanged/);
        ok(await stack.destroy());
    });

    it("fails the up with the service's message when the purge fails, and purges again on the next up", async () => {
        const stack = await newStack();
        cms.inject(Array.from({ length: 10 }, () => ({ status: 500, body: "{\"error\":\"database is locked\"}" })));

        const failed = await stack.up();
        cms.clearFaults();
        const retried = ok(await stack.up());

        assert.equal(failed.ok, false);
        assert.match(failed.output, /error: flextype: POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/cache\/clear returned 500/);
        assert.match(retried.output, /flextype: purge cache \(created\)/);
        assert.equal(cms.clears, 1);
        ok(await stack.destroy());
    });

    it("records a batch that failed half-way, and the next up purges only what is left", async () => {
        const stack = await newStack();
        cdn.failUrls.set("https://ik.imagekit.io/acme/img/b.png", 500);

        const failed = await stack.up();
        const purgedBefore = [...cdn.purgedUrls].sort();
        cdn.failUrls.clear();
        const preview = ok(await stack.preview());
        ok(await stack.up());

        assert.equal(failed.ok, false);
        assert.match(failed.output, /https:\/\/ik\.imagekit\.io\/acme\/img\/b\.png/);
        assert.deepEqual(purgedBefore, ["https://ik.imagekit.io/acme/img/a.png", "https://ik.imagekit.io/acme/img/c.png"]);
        assert.match(preview.output, /images +update/);
        assert.match(preview.output, /imagekit: purge 1 of 3 targets: https:\/\/ik\.imagekit\.io\/acme\/img\/b\.png \(left over from a failed purge\); 1 request: POST /);
        assert.doesNotMatch(preview.output, /imagekit: purge 3 of 3/);
        assert.deepEqual(cdn.purgedUrls.slice(2), ["https://ik.imagekit.io/acme/img/b.png"]);
        ok(await stack.destroy());
    });

    it("shows the progress of a purge it waits for", async () => {
        cdn.pendingMs = 2500;
        const stack = await newStack({ [`${PROJECT}:wait`]: { value: "true" } });

        const up = ok(await stack.up());

        assert.match(up.output, /imagekit: waiting for 3 purge request\(s\) to complete \(up to \d+ s\)/);
        assert.match(up.output, /imagekit: 3 of 3 purge requests completed/);
        ok(await stack.destroy());
    });
});
