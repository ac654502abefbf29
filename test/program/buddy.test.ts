import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { BuddyEmulator } from "../../src/services/buddy/emulator";
import { TestEngine } from "../harness/test-engine";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../harness/workspace";

const PROJECT = "buddy-cache-purge";
const CANARY = "CANARY-buddy-token-9d4b21";

describe("buddy example program (preview, up, destroy through the SDK runner)", function () {
    this.timeout(120_000);
    let emulator: BuddyEmulator;
    let workspace: { dir: string; remove: () => void };

    before(linkPackageIntoNodeModules);

    async function startEmulator(pathPrefix = ""): Promise<void> {
        emulator = await new BuddyEmulator({
            pathPrefix,
            tokens: { [CANARY]: { scopes: ["EXECUTION_MANAGE"] } },
            workspaces: {
                acme: {
                    projects: {
                        shop: [
                            { id: 101, name: "Build web", last_execution_status: "SUCCESSFUL" },
                            { id: 102, name: "Build api", last_execution_status: "FAILED" },
                            { id: 103, name: "Deploy", last_execution_status: "INITIAL" },
                        ],
                    },
                },
            },
        }).start();
    }

    beforeEach(() => {
        workspace = tempDir("buddy-program");
        writeLock("web", "lockfileVersion: 3\nreact 19.0.0\n");
        writeLock("api", "lockfileVersion: 3\nexpress 5.0.0\n");
    });

    afterEach(async () => {
        await emulator?.stop();
        workspace.remove();
    });

    function writeLock(app: string, text: string): void {
        fs.writeFileSync(path.join(workspace.dir, `${app}.lock`), text);
    }

    function engine(options: { baseUrl?: string; region?: string; webPipelineId?: string; deployPipelineId?: string } = {}): TestEngine {
        const config: Record<string, { value: string; secret?: boolean }> = {
            [`${PROJECT}:workspace`]: { value: "acme" },
            [`${PROJECT}:project`]: { value: "shop" },
            [`${PROJECT}:webLockfile`]: { value: path.join(workspace.dir, "web.lock") },
            [`${PROJECT}:apiLockfile`]: { value: path.join(workspace.dir, "api.lock") },
            [`${PROJECT}:webPipelineId`]: { value: options.webPipelineId ?? "101" },
            [`${PROJECT}:apiPipelineId`]: { value: "102" },
            "cache-purge:buddyToken": { value: CANARY, secret: true },
        };
        if (options.baseUrl !== undefined) {
            config[`${PROJECT}:baseUrl`] = { value: options.baseUrl };
        }
        if (options.region !== undefined) {
            config[`${PROJECT}:region`] = { value: options.region };
        }
        if (options.deployPipelineId !== undefined) {
            config[`${PROJECT}:deployPipelineId`] = { value: options.deployPipelineId };
        }
        return new TestEngine({
            programDir: path.join(REPO_ROOT, "examples", "buddy"),
            project: PROJECT,
            stack: "test",
            stateFile: path.join(workspace.dir, "state.json"),
            config,
        });
    }

    it("clears both pipelines on the first up, then only the one whose lockfile changed, which preview names without a request", async () => {
        await startEmulator();
        const stack = engine({ baseUrl: emulator.baseUrl });
        const pipelineUrl = (id: number) => `PATCH ${emulator.baseUrl}/workspaces/acme/projects/shop/pipelines/${id}`;

        const firstPreview = await stack.preview();
        const first = await stack.up();
        writeLock("api", "lockfileVersion: 3\nexpress 5.1.0\n");
        const preview = await stack.preview();
        const requestsBeforeSecondUp = emulator.requests.length;
        const second = await stack.up();
        const destroyed = await stack.destroy();

        assert.equal(firstPreview.ok, true, firstPreview.output);
        assert.deepEqual(firstPreview.steps.map((s) => [s.op, s.purgePlan]), [
            ["create", `purge 2 of 2 targets: pipeline 101, pipeline 102 (created); 2 requests: ${pipelineUrl(101)}, ${pipelineUrl(102)}`],
        ]);
        assert.equal(first.ok, true, first.errors.join("\n"));
        assert.equal(preview.ok, true, preview.output);
        assert.equal(preview.steps[0].op, "update");
        assert.match(preview.steps[0].purgePlan ?? "",
            new RegExp(`^purge 1 of 2 targets: pipeline 102 \\(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\\); 1 request: ${escape(pipelineUrl(102))}$`));
        assert.equal(requestsBeforeSecondUp, 2, "preview made no request");
        assert.equal(second.ok, true, second.errors.join("\n"));
        assert.equal(destroyed.ok, true, destroyed.errors.join("\n"));
        assert.deepEqual(emulator.clears.map((c) => c.pipelineId), [101, 102, 102]);
        const receipt = unwrap(second.outputs.receipt) as { details: unknown };
        assert.deepEqual(receipt.details, { pipelines: { "pipeline 102": { id: 102, name: "Build api", last_execution_status: "FAILED" } } });
        const everything = [stack.state.text(), JSON.stringify(first.log), JSON.stringify(second.log), first.output, second.output].join("\n");
        assert.ok(!everything.includes(CANARY), "the token appears in plaintext");
    });

    it("clears three pipelines on a budget of 1 with a reset 2 s ahead, without a 429 reaching the user, and logs the wait", async () => {
        await startEmulator();
        emulator.budgetAtNextRequest(1, 2_000);

        const up = await engine({ baseUrl: emulator.baseUrl, deployPipelineId: "103" }).up();

        assert.equal(up.ok, true, up.errors.join("\n"));
        assert.deepEqual(emulator.clears.map((c) => c.pipelineId), [101, 102, 103]);
        assert.equal(emulator.rateLimited, 0);
        const waits = up.log.filter((l) => l.message.includes("rate limit budget spent"));
        assert.equal(waits.length, 1, JSON.stringify(up.log));
        assert.match(waits[0].message, /^buddy: rate limit budget spent; waiting for its reset \(\d(\.\d)? s\)$/);
    });

    it("keeps a self-hosted baseUrl's /api prefix", async () => {
        await startEmulator("/api");

        const up = await engine({ baseUrl: `${emulator.origin}/api` }).up();

        assert.equal(up.ok, true, up.errors.join("\n"));
        assert.deepEqual(emulator.requests.map((r) => `${r.method} ${r.path}`),
            ["PATCH /api/workspaces/acme/projects/shop/pipelines/101", "PATCH /api/workspaces/acme/projects/shop/pipelines/102"]);
    });

    it("previews the eu region's API", async () => {
        const preview = await engine({ region: "eu" }).preview();

        assert.equal(preview.ok, true, preview.output);
        assert.equal(preview.steps[0].purgePlan, "purge 2 of 2 targets: pipeline 101, pipeline 102 (created); 2 requests: "
            + "PATCH https://api.eu.buddy.works/workspaces/acme/projects/shop/pipelines/101, PATCH https://api.eu.buddy.works/workspaces/acme/projects/shop/pipelines/102");
    });

    it("fails preview on a bad pipeline id or region, naming the field", async () => {
        const badId = await engine({ webPipelineId: "two" }).preview();
        const badRegion = await engine({ region: "ap" }).preview();

        assert.equal(badId.ok, false);
        assert.deepEqual(badId.errors, ["pulumi-nodejs:dynamic/buddy:PipelineCachePurge resource 'ci' has a problem: "
            + "pipelines.two: expected a pipeline id (a positive whole number such as \"2\"), got \"two\""]);
        assert.equal(badRegion.ok, false);
        assert.deepEqual(badRegion.errors, ["pulumi-nodejs:dynamic/buddy:PipelineCachePurge resource 'ci' has a problem: "
            + "region: expected \"us\" or \"eu\", got \"ap\""]);
    });
});

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Stack outputs keep secret wrappers; the receipt is not secret, but unwrap defensively. */
function unwrap(value: unknown): unknown {
    return value !== null && typeof value === "object" && "value" in value && "4dabf18193072939515e22adb298388d" in value
        ? (value as { value: unknown }).value
        : value;
}
