import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { FastlyEmulator } from "../../src/services/fastly/emulator";
import { TestEngine } from "../harness/test-engine";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../harness/workspace";

const PROJECT = "fastly-purge";
const CANARY = "CANARY-fastly-program-token-6e2c";
const SERVICE = "SU1Z0isxPaozGVKXdv0eY";

describe("fastly example program (preview, up, destroy through the SDK runner)", function () {
    this.timeout(120_000);
    let emulator: FastlyEmulator;
    let workspace: { dir: string; remove: () => void };
    let siteDir: string;

    before(linkPackageIntoNodeModules);

    beforeEach(async () => {
        emulator = await new FastlyEmulator({ tokens: { [CANARY]: { scopes: ["purge_select"] } }, services: [SERVICE] }).start();
        workspace = tempDir("fastly-program");
        siteDir = path.join(workspace.dir, "site");
        fs.mkdirSync(path.join(siteDir, "blog"), { recursive: true });
        fs.writeFileSync(path.join(siteDir, "index.html"), "<h1>Home</h1>\n");
        fs.writeFileSync(path.join(siteDir, "blog", "post.html"), "<h1>Post</h1>\n");
    });

    afterEach(async () => {
        await emulator.stop();
        workspace.remove();
    });

    function engine(): TestEngine {
        return new TestEngine({
            programDir: path.join(REPO_ROOT, "examples", "fastly"),
            project: PROJECT,
            stack: "test",
            stateFile: path.join(workspace.dir, "state.json"),
            config: {
                [`${PROJECT}:baseUrl`]: { value: emulator.baseUrl },
                [`${PROJECT}:serviceId`]: { value: SERVICE },
                [`${PROJECT}:siteDir`]: { value: siteDir },
                "cache-purge:fastlyApiToken": { value: CANARY, secret: true },
            },
        });
    }

    it("soft-purges the blog key and the home page on up, previews only the home page after it changed without a request, purges it, and nothing on destroy", async () => {
        const stack = engine();
        const created = await stack.up();
        fs.writeFileSync(path.join(siteDir, "index.html"), "<h1>Home, redone</h1>\n");
        const requestsBeforePreview = emulator.requests.length;

        const preview = await stack.preview();
        const requestsDuringPreview = emulator.requests.length - requestsBeforePreview;
        const up = await stack.up();
        const destroyed = await stack.destroy();

        assert.equal(created.ok, true, `errors: ${created.errors.join("\n")} log: ${JSON.stringify(created.log)}`);
        assert.deepEqual(emulator.purges.slice(0, 2).map((p) => [p.kind, p.names, p.soft]), [["keys", ["blog"], true], ["url", ["www.example.com/"], true]]);
        assert.equal(requestsDuringPreview, 0);
        assert.match(preview.steps[0].purgePlan ?? "", /^purge 1 of 2 targets: url https:\/\/www\.example\.com\/ \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\); 1 request: POST /);
        assert.equal(up.ok, true, up.errors.join("\n"));
        assert.equal(emulator.purges.length, 3);
        assert.equal(destroyed.ok, true);
        assert.equal(emulator.purges.length, 3);
        assert.ok(!stack.state.text().includes(CANARY) && !JSON.stringify([created.log, up.log, created.output]).includes(CANARY), "the token leaked");
    });
});
