import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { FlextypeEmulator } from "../../src/services/flextype/emulator";
import { TestEngine } from "../harness/test-engine";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../harness/workspace";

const PROJECT = "flextype-cache-purge";
const TOKEN = "5f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c";
const CANARY = "CANARY-flextype-access-7c1e9a";

describe("flextype example program (preview, up, destroy through the SDK runner)", function () {
    this.timeout(120_000);
    let emulator: FlextypeEmulator;
    let workspace: { dir: string; remove: () => void };
    let contentDir: string;

    before(linkPackageIntoNodeModules);

    beforeEach(async () => {
        emulator = await new FlextypeEmulator({ [TOKEN]: { accessToken: CANARY } }).start();
        workspace = tempDir("flextype-program");
        contentDir = path.join(workspace.dir, "content");
        fs.mkdirSync(contentDir);
        fs.writeFileSync(path.join(contentDir, "home.md"), "title: Home\n");
    });

    afterEach(async () => {
        await emulator.stop();
        workspace.remove();
    });

    function engine(options: { accessToken?: string; purgeOnDelete?: boolean; maxRetries?: number } = {}): TestEngine {
        return new TestEngine({
            programDir: path.join(REPO_ROOT, "examples", "flextype"),
            project: PROJECT,
            stack: "test",
            stateFile: path.join(workspace.dir, "state.json"),
            config: {
                [`${PROJECT}:baseUrl`]: { value: emulator.baseUrl },
                [`${PROJECT}:contentDir`]: { value: contentDir },
                [`${PROJECT}:purgeOnDelete`]: { value: String(options.purgeOnDelete ?? false) },
                "cache-purge:flextypeToken": { value: TOKEN, secret: true },
                "cache-purge:flextypeAccessToken": { value: options.accessToken ?? CANARY, secret: true },
            },
        });
    }

    it("previews without a request, clears once on up, and not again when nothing changed", async () => {
        const stack = engine();

        const preview = await stack.preview();
        const up = await stack.up();
        const again = await stack.up();
        const third = await stack.up();

        assert.equal(preview.ok, true, preview.output);
        assert.deepEqual(preview.steps.map((s) => [s.op, s.purgePlan]), [
            ["create", `purge cache (created); 1 request: POST ${emulator.baseUrl}/api/v1/cache/clear`],
        ]);
        assert.equal(up.ok, true, up.errors.join("\n"));
        // The second up purges nothing, but updates the purgePlan output to say so; then nothing changes.
        assert.deepEqual(again.steps.map((s) => s.op), ["update"]);
        assert.equal(again.outputs.purgePlan, "no purge, unless an earlier purge failed part-way: then what it left");
        assert.deepEqual(third.steps.map((s) => s.op), ["same"]);
        assert.equal(emulator.clears, 1);
        assert.equal(emulator.requests.length, 1);
        assert.deepEqual(emulator.requests[0].fields, { token: TOKEN, access_token: CANARY });
    });

    it("shows old -> new trigger in preview and clears once when the content changes", async () => {
        const stack = engine();
        await stack.up();
        const before = emulator.requests.length;
        fs.writeFileSync(path.join(contentDir, "home.md"), "title: Home, edited\n");

        const preview = await stack.preview();
        const requestsDuringPreview = emulator.requests.length - before;
        const up = await stack.up();

        assert.equal(requestsDuringPreview, 0);
        assert.equal(preview.steps[0].op, "update");
        assert.match(preview.steps[0].purgePlan ?? "", /^purge cache \(trigger entries: [0-9a-f]{8}… -> [0-9a-f]{8}…\); 1 request: POST /);
        assert.equal(up.ok, true, up.errors.join("\n"));
        assert.equal(emulator.clears, 2);
    });

    it("does not clear when only the access token changes", async () => {
        await engine().up();
        const rotated = "CANARY-rotated-access-55aa";
        emulator.tokens.set(TOKEN, { accessToken: rotated, state: "enabled", limitCalls: 0, calls: 1 });

        const up = await engine({ accessToken: rotated }).up();

        assert.equal(up.ok, true, up.errors.join("\n"));
        assert.equal(emulator.clears, 1);
        assert.ok(!up.log.some((l) => l.message.startsWith("flextype: purge")), "no purge logged");
    });

    it("clears nothing on destroy, and once with purgeOnDelete", async () => {
        await engine().up();
        const destroyed = await engine().destroy();
        const clearsAfterPlainDestroy = emulator.clears;

        await engine({ purgeOnDelete: true }).up();
        const purgingDestroy = await engine({ purgeOnDelete: true }).destroy();

        assert.equal(destroyed.ok, true);
        assert.equal(clearsAfterPlainDestroy, 1);
        assert.equal(purgingDestroy.ok, true, purgingDestroy.errors.join("\n"));
        assert.equal(emulator.clears, 3, "create + create + delete");
        assert.equal(engine().state.read().length, 0);
    });

    it("keeps the debt when a clear fails: the state keeps the old trigger and the next up clears", async () => {
        const stack = engine();
        await stack.up();
        const stateBefore = stack.state.read()[0].outputs.purged;
        fs.writeFileSync(path.join(contentDir, "home.md"), "changed\n");
        emulator.inject([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }]);

        const failed = await stack.up();
        const stateAfterFailure = stack.state.read()[0].outputs.purged;
        const retried = await stack.up();

        assert.equal(failed.ok, false);
        assert.match(failed.errors[0], new RegExp(`^flextype: POST ${emulator.baseUrl.replace(/[.]/g, "\\.")}/api/v1/cache/clear returned 500 Internal Server Error after 5 attempts`));
        assert.deepEqual(stateAfterFailure, stateBefore);
        assert.equal(retried.ok, true, retried.errors.join("\n"));
        assert.deepEqual(retried.steps.map((s) => s.op), ["update"]);
        assert.equal(emulator.clears, 2);
    });

    it("never writes the access token in plaintext: state, outputs, log and errors", async () => {
        const stack = engine();
        emulator.tokens.set(TOKEN, { accessToken: "something-else", state: "enabled" });

        const failed = await stack.up();
        emulator.tokens.set(TOKEN, { accessToken: CANARY, state: "enabled" });
        const up = await stack.up();

        assert.equal(failed.ok, false);
        assert.equal(up.ok, true);
        const everything = [stack.state.text(), JSON.stringify(up.outputs), JSON.stringify(up.log), JSON.stringify(failed.log),
            failed.errors.join("\n"), failed.output, up.output].join("\n");
        assert.ok(!everything.includes(CANARY), "the canary appears somewhere");
        assert.ok(!everything.includes(TOKEN), "the token appears somewhere");
    });
});
