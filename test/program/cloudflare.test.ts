import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CloudflareEmulator } from "../../src/services/cloudflare/emulator";
import { TestEngine } from "../harness/test-engine";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../harness/workspace";

const PROJECT = "cloudflare-zone-purge";
const CANARY = "CANARY-cloudflare-program-token-2d8f";
const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
const SITE_URL = "https://www.example.com/";

describe("cloudflare example program (preview, up, destroy through the SDK runner)", function () {
    this.timeout(120_000);
    let emulator: CloudflareEmulator;
    let workspace: { dir: string; remove: () => void };
    let siteDir: string;

    before(linkPackageIntoNodeModules);

    beforeEach(async () => {
        emulator = await new CloudflareEmulator({ tokens: { [CANARY]: [ZONE] }, zones: [ZONE], plan: "business" }).start();
        workspace = tempDir("cloudflare-program");
        siteDir = path.join(workspace.dir, "site");
        fs.mkdirSync(path.join(siteDir, "blog"), { recursive: true });
        for (let i = 0; i < 150; i++) {
            fs.writeFileSync(path.join(siteDir, `page-${String(i).padStart(3, "0")}.html`), `<p>page ${i}</p>\n`);
        }
        fs.writeFileSync(path.join(siteDir, "blog", "post.html"), "<h1>Post</h1>\n");
    });

    afterEach(async () => {
        await emulator.stop();
        workspace.remove();
    });

    function engine(): TestEngine {
        return new TestEngine({
            programDir: path.join(REPO_ROOT, "examples", "cloudflare"),
            project: PROJECT,
            stack: "test",
            stateFile: path.join(workspace.dir, "state.json"),
            config: {
                [`${PROJECT}:baseUrl`]: { value: emulator.baseUrl },
                [`${PROJECT}:zoneId`]: { value: ZONE },
                [`${PROJECT}:siteDir`]: { value: siteDir },
                [`${PROJECT}:siteUrl`]: { value: SITE_URL },
                [`${PROJECT}:plan`]: { value: "business" },
                "cache-purge:cloudflareApiToken": { value: CANARY, secret: true },
            },
        });
    }

    it("purges 151 files in two requests and the blog tag on up, previews exactly the changed file without a request, purges it, and nothing on destroy", async () => {
        const stack = engine();
        const created = await stack.up();
        fs.writeFileSync(path.join(siteDir, "page-042.html"), "<p>edited</p>\n");
        const requestsBeforePreview = emulator.requests.length;

        const preview = await stack.preview();
        const requestsDuringPreview = emulator.requests.length - requestsBeforePreview;
        const up = await stack.up();
        const destroyed = await stack.destroy();

        assert.equal(created.ok, true, `errors: ${created.errors.join("\n")} log: ${JSON.stringify(created.log)}`);
        assert.deepEqual(emulator.purges.slice(0, 3).map((p) => [p.kind, p.values.length]), [["files", 100], ["files", 51], ["tags", 1]]);
        assert.equal(requestsDuringPreview, 0);
        assert.deepEqual(preview.steps.map((s) => s.op), ["update"]);
        assert.match(preview.steps[0].purgePlan ?? "", /^purge 1 of 152 targets: file https:\/\/www\.example\.com\/page-042\.html \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\); 1 request: POST /);
        assert.equal(up.ok, true, up.errors.join("\n"));
        assert.deepEqual(emulator.purges.slice(3).map((p) => p.values), [[`${SITE_URL}page-042.html`]]);
        assert.equal(destroyed.ok, true);
        assert.equal(emulator.purges.length, 4);
        assert.ok(!stack.state.text().includes(CANARY) && !JSON.stringify([created.log, up.log, created.output]).includes(CANARY), "the token leaked");
    });
});
