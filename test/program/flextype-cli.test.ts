import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { FlextypeEmulator } from "../../src/services/flextype/emulator";
import { CliStack, pulumiOnPath } from "../harness/pulumi-cli";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../harness/workspace";

const PROJECT = "flextype-cache-purge";
const TOKEN = "5f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c";
const CANARY = "CANARY-flextype-cli-access-11aa";

/**
 * The flextype scenario under the real Pulumi CLI, where one is on PATH (a local file backend in a
 * temporary folder). Skipped elsewhere: no CLI can be installed on the machines this is built on, so
 * this suite has not run there; the same scenario runs through the test engine in flextype.test.ts.
 */
(pulumiOnPath() ? describe : describe.skip)("flextype example under the real pulumi CLI", function () {
    this.timeout(300_000);
    let emulator: FlextypeEmulator;
    let work: { dir: string; remove: () => void };
    let contentDir: string;
    let stack: CliStack;

    before(async () => {
        linkPackageIntoNodeModules();
        emulator = await new FlextypeEmulator({ [TOKEN]: { accessToken: CANARY } }).start();
        work = tempDir("flextype-cli");
        contentDir = path.join(work.dir, "content");
        fs.mkdirSync(contentDir);
        fs.writeFileSync(path.join(contentDir, "home.md"), "title: Home\n");
        stack = new CliStack({
            programDir: path.join(REPO_ROOT, "examples", "flextype"),
            workDir: work.dir,
            stack: "cli-test",
            config: {
                [`${PROJECT}:baseUrl`]: { value: emulator.baseUrl },
                [`${PROJECT}:contentDir`]: { value: contentDir },
                "cache-purge:flextypeToken": { value: TOKEN, secret: true },
                "cache-purge:flextypeAccessToken": { value: CANARY, secret: true },
            },
        });
        stack.init();
    });

    after(async () => {
        stack?.destroy();
        await emulator?.stop();
        work?.remove();
    });

    it("previews the plan without a request, clears once on up and not again when nothing changed", () => {
        const preview = stack.preview();
        const requestsDuringPreview = emulator.requests.length;
        const up = stack.up();
        const again = stack.up();

        assert.equal(preview.ok, true, preview.output);
        assert.equal(requestsDuringPreview, 0);
        assert.match(preview.output, /purge cache \(created\); 1 request: POST /);
        assert.equal(up.ok, true, up.output);
        assert.equal(again.ok, true, again.output);
        assert.equal(emulator.clears, 1);
    });

    it("shows old -> new trigger in preview and clears once when the content changes", () => {
        fs.writeFileSync(path.join(contentDir, "home.md"), "title: Home, edited\n");
        const before = emulator.requests.length;

        const preview = stack.preview();
        const requestsDuringPreview = emulator.requests.length - before;
        const up = stack.up();

        assert.equal(requestsDuringPreview, 0);
        assert.match(preview.output, /purge cache \(trigger entries: [0-9a-f]{8}… -> [0-9a-f]{8}…\)/);
        assert.equal(up.ok, true, up.output);
        assert.equal(emulator.clears, 2);
    });

    it("keeps the access token out of the exported state", () => {
        assert.ok(!stack.exportState().includes(CANARY));
    });
});
