import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CloudFrontEmulator } from "../../src/services/cloudfront/emulator";
import { TestEngine } from "../harness/test-engine";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../harness/workspace";

const PROJECT = "cloudfront-invalidation";
const DIST = "E3PROGRAMEXAMPLE";
const KEY_ID = "AKIAPROGRAMEXAMPLE00";
/** The AWS SDK's chain must find nothing but the stack config. */
const NO_AWS = { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_SESSION_TOKEN: "", AWS_PROFILE: "", AWS_EC2_METADATA_DISABLED: "true" };

describe("cloudfront example program (preview, up, destroy through the SDK runner)", function () {
    this.timeout(180_000);
    let emulator: CloudFrontEmulator;
    let workspace: { dir: string; remove: () => void };
    let siteDir: string;
    let canary: string;

    before(linkPackageIntoNodeModules);

    beforeEach(async () => {
        canary = `CANARY/program/${Math.random().toString(16).slice(2)}`;
        emulator = await new CloudFrontEmulator({ accounts: { [KEY_ID]: canary }, distributions: [DIST] }).start();
        workspace = tempDir("cloudfront-program");
        siteDir = path.join(workspace.dir, "site");
        fs.mkdirSync(path.join(siteDir, "assets"), { recursive: true });
    });

    afterEach(async () => {
        await emulator.stop();
        workspace.remove();
    });

    function writeSite(files: number): void {
        fs.writeFileSync(path.join(siteDir, "index.html"), "<h1>v1</h1>\n");
        for (let i = 0; i < files; i++) {
            fs.writeFileSync(path.join(siteDir, "assets", `chunk-${String(i).padStart(3, "0")}.js`), `chunk ${i}\n`);
        }
    }

    function engine(config: Record<string, string> = {}): TestEngine {
        return new TestEngine({
            programDir: path.join(REPO_ROOT, "examples", "cloudfront"),
            project: PROJECT,
            stack: "test",
            stateFile: path.join(workspace.dir, "state.json"),
            env: NO_AWS,
            config: {
                [`${PROJECT}:endpoint`]: { value: emulator.baseUrl },
                [`${PROJECT}:distributionId`]: { value: DIST },
                [`${PROJECT}:siteDir`]: { value: siteDir },
                ...Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, { value: v }])),
                // Where @pulumi/aws reads its keys: a stack that deploys AWS already has them.
                "aws:accessKey": { value: KEY_ID },
                "aws:secretKey": { value: canary, secret: true },
            },
        });
    }

    it("invalidates the whole site on up, previews exactly the 2 changed files without a request, invalidates those, and nothing on destroy", async () => {
        writeSite(20);
        const stack = engine();
        const created = await stack.up();
        fs.writeFileSync(path.join(siteDir, "index.html"), "<h1>v2</h1>\n");
        fs.writeFileSync(path.join(siteDir, "assets", "chunk-007.js"), "chunk 7, edited\n");
        const requestsBeforePreview = emulator.requests.length;

        const preview = await stack.preview();
        const requestsDuringPreview = emulator.requests.length - requestsBeforePreview;
        const up = await stack.up();
        const destroyed = await stack.destroy();

        assert.equal(created.ok, true, `errors: ${created.errors.join("\n")} output: ${created.output} log: ${JSON.stringify(created.log)}`);
        assert.deepEqual(emulator.invalidations[0].paths.length, 21);
        assert.equal(requestsDuringPreview, 0);
        assert.deepEqual(preview.steps.map((s) => s.op), ["update"]);
        const url = `${emulator.baseUrl}/2020-05-31/distribution/${DIST}/invalidation`;
        assert.match(preview.steps[0].purgePlan ?? "", new RegExp(`^purge 2 of 21 targets: /assets/chunk-007\\.js \\(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\\); `
            + `/index\\.html \\(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\\); 1 request: POST ${url.replace(/[.]/g, "\\.")} with 2 paths$`));
        console.log(`      preview: ${preview.steps[0].purgePlan}`);
        assert.equal(up.ok, true, up.errors.join("\n"));
        assert.deepEqual(emulator.invalidations.map((i) => i.paths), [emulator.invalidations[0].paths, ["/assets/chunk-007.js", "/index.html"]]);
        assert.equal(destroyed.ok, true);
        assert.equal(emulator.invalidations.length, 2);
        assert.ok(!stack.state.text().includes(canary) && !JSON.stringify([created.log, up.log, created.output, up.output]).includes(canary), "the secret key leaked");
    });

    it("invalidates /* when more files changed than collapseAbove, and the plan says so", async () => {
        writeSite(5);

        const up = await engine({ collapseAbove: "3" }).up();

        assert.equal(up.ok, true, up.errors.join("\n"));
        assert.deepEqual(emulator.invalidations.map((i) => i.paths), [["/*"]]);
        assert.match(String(up.outputs.purgePlan), /1 request: POST \S+ with 1 path \(\/\* in place of 6 paths\)$/);
    });

    it("with wait, up returns after the invalidation reads Completed and says so in the log", async () => {
        writeSite(2);
        emulator.inProgressMs = 1_200;

        const up = await engine({ wait: "true" }).up();

        assert.equal(up.ok, true, up.errors.join("\n"));
        assert.equal((up.outputs.receipt as { completion: string }).completion, "confirmed");
        const id = emulator.invalidations[0].id;
        assert.ok(up.log.some((l) => l.message.startsWith(`cloudfront: invalidation ${id} completed after `)), JSON.stringify(up.log));
    });

    it("refuses in preview an update with more paths than maxPathsPerDeployment, before any request", async () => {
        writeSite(5);

        const preview = await engine({ maxPathsPerDeployment: "4", collapseAbove: "1000" }).preview();

        assert.equal(preview.ok, false);
        assert.match(preview.errors[0], /paths: this update would invalidate 6 paths, more than maxPathsPerDeployment \(4\)/);
        assert.equal(emulator.requests.length, 0);
    });
});
