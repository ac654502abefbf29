import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { TestEngine } from "../harness/test-engine";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../harness/workspace";

const PROJECT = "imagekit-url-purge";
const URL_BASE = "https://ik.imagekit.io/acme/img/";

describe("imagekit example program (preview, up, destroy through the SDK runner)", function () {
    this.timeout(180_000);
    let emulator: ImageKitEmulator;
    let workspace: { dir: string; remove: () => void };
    let imagesDir: string;
    let canary: string;

    before(linkPackageIntoNodeModules);

    beforeEach(async () => {
        canary = `private_CANARY_program_${Math.random().toString(16).slice(2)}`;
        emulator = await new ImageKitEmulator({ privateKey: canary }).start();
        workspace = tempDir("imagekit-program");
        imagesDir = path.join(workspace.dir, "images");
        fs.mkdirSync(imagesDir);
    });

    afterEach(async () => {
        await emulator.stop();
        workspace.remove();
    });

    function writeImages(count: number): void {
        for (let i = 0; i < count; i++) {
            fs.writeFileSync(path.join(imagesDir, `photo-${String(i).padStart(3, "0")}.jpg`), `image ${i}\n`);
        }
    }

    function engine(config: Record<string, string> = {}): TestEngine {
        return new TestEngine({
            programDir: path.join(REPO_ROOT, "examples", "imagekit"),
            project: PROJECT,
            stack: "test",
            stateFile: path.join(workspace.dir, "state.json"),
            config: {
                [`${PROJECT}:baseUrl`]: { value: emulator.baseUrl },
                [`${PROJECT}:urlBase`]: { value: URL_BASE },
                [`${PROJECT}:imagesDir`]: { value: imagesDir },
                ...Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, { value: v }])),
                "cache-purge:imagekitPrivateKey": { value: canary, secret: true },
            },
        });
    }

    it("purges 200 images on up, previews exactly the 3 changed ones without a request, purges those 3, and purges nothing on destroy", async () => {
        writeImages(200);
        const stack = engine();
        const created = await stack.up();
        const changed = ["photo-007.jpg", "photo-100.jpg", "photo-199.jpg"];
        for (const name of changed) {
            fs.writeFileSync(path.join(imagesDir, name), "edited\n");
        }
        const requestsBeforePreview = emulator.requests.length;

        const preview = await stack.preview();
        const requestsDuringPreview = emulator.requests.length - requestsBeforePreview;
        const up = await stack.up();
        const destroyed = await stack.destroy();

        assert.equal(created.ok, true, `errors: ${created.errors.join("\n")} output: ${created.output} log: ${JSON.stringify(created.log)}`);
        assert.equal(emulator.purges.length, 203);
        assert.ok(created.log.some((l) => l.message === "imagekit: 200 of 200 URLs purged"), JSON.stringify(created.log));
        assert.ok(created.log.some((l) => l.message === "imagekit: 20 of 200 URLs purged"), "progress every 10 %");
        assert.equal(requestsDuringPreview, 0);
        assert.deepEqual(preview.steps.map((s) => s.op), ["update"]);
        assert.match(preview.steps[0].purgePlan ?? "", new RegExp(`^purge 3 of 200 targets: ${URL_BASE.replace(/[.]/g, "\\.")}photo-007\\.jpg \\(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\\); `));
        console.log(`      preview: ${preview.steps[0].purgePlan}`);
        assert.equal(up.ok, true, up.errors.join("\n"));
        assert.deepEqual(emulator.purgedUrls.slice(200).sort(), changed.map((n) => URL_BASE + n));
        assert.equal(destroyed.ok, true);
        assert.equal(emulator.purges.length, 203);
        assert.ok(!stack.state.text().includes(canary) && !JSON.stringify([created.log, up.log, created.output]).includes(canary), "the private key leaked");
    });

    it("fails the up naming the URL the server refuses, and the next up purges only it", async () => {
        writeImages(10);
        const seventh = `${URL_BASE}photo-006.jpg`;
        emulator.failUrls.set(seventh, 400);
        const stack = engine();

        const failed = await stack.up();
        emulator.failUrls.clear();
        const preview = await stack.preview();
        const retried = await stack.up();

        assert.equal(failed.ok, false);
        assert.equal(failed.errors.length, 1);
        assert.match(failed.errors[0], new RegExp(`returned 400 Bad Request: "Invalid url"; 9 of 10 targets purged, 1 left for the next pulumi up \\(${seventh.replace(/[.]/g, "\\.")}\\)$`));
        assert.deepEqual(preview.steps.map((s) => s.op), ["update"]);
        assert.equal(retried.ok, true, retried.errors.join("\n"));
        assert.equal(emulator.purges.length, 10);
        assert.equal(emulator.purgedUrls.at(-1), seventh);
        assert.ok(!stack.state.text().includes(canary), "the private key is in the state file");
    });

    it("with wait, up returns after every purge reads Completed and says so in the log", async () => {
        writeImages(3);
        emulator.pendingMs = 800;

        const up = await engine({ wait: "true" }).up();

        assert.equal(up.ok, true, up.errors.join("\n"));
        const receipt = up.outputs.receipt as { completion: string };
        assert.equal(receipt.completion, "confirmed");
        assert.ok(up.log.some((l) => l.message === "imagekit: 3 of 3 purge requests completed"), JSON.stringify(up.log));
        const polls = emulator.requests.filter((r) => r.method === "GET");
        assert.ok(polls.length >= 6, "polled until Pending turned to Completed");
    });

    it("refuses in preview an update with more URLs than maxPurgeRequests, naming the count, before any request", async () => {
        writeImages(5);

        const preview = await engine({ maxPurgeRequests: "4" }).preview();

        assert.equal(preview.ok, false);
        assert.match(preview.errors[0], /urls: this update would send 5 purge requests, more than maxPurgeRequests \(4\)/);
        assert.equal(emulator.requests.length, 0);
    });
});
