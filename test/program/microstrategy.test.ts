import assert from "node:assert/strict";
import * as path from "path";
import { MicroStrategyEmulator } from "../../src/services/microstrategy/emulator";
import { TestEngine } from "../harness/test-engine";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../harness/workspace";

const PROJECT = "microstrategy-cache-purge";
const PASSWORD = "CANARY-mstr-program-password-9d2b";
const TUTORIAL = { id: "B7CA92F04B9FAE8D941C3E9B7E0CD754", name: "MicroStrategy Tutorial" };
const EDUCATION = { id: "CE52831411E696C8BD2F0080EFD5AF44", name: "Consolidated Education Project" };

describe("microstrategy example program (preview, up, destroy through the SDK runner)", function () {
    this.timeout(120_000);
    let emulator: MicroStrategyEmulator;
    let workspace: { dir: string; remove: () => void };

    before(linkPackageIntoNodeModules);

    beforeEach(async () => {
        emulator = await new MicroStrategyEmulator({ users: { admin: PASSWORD }, projects: [TUTORIAL, EDUCATION] }).start();
        emulator.requireCookie = true;
        workspace = tempDir("microstrategy-program");
    });

    afterEach(async () => {
        await emulator.stop();
        workspace.remove();
    });

    function engine(options: { schemaHash?: string; dataHash?: string; projectName?: string; projectId?: string; baseUrl?: string } = {}): TestEngine {
        return new TestEngine({
            programDir: path.join(REPO_ROOT, "examples", "microstrategy"),
            project: PROJECT,
            stack: "test",
            stateFile: path.join(workspace.dir, "state.json"),
            config: {
                [`${PROJECT}:baseUrl`]: { value: options.baseUrl ?? emulator.baseUrl },
                [`${PROJECT}:projectName`]: { value: options.projectName ?? TUTORIAL.name },
                ...(options.projectId ? { [`${PROJECT}:projectId`]: { value: options.projectId } } : {}),
                [`${PROJECT}:schemaHash`]: { value: options.schemaHash ?? "5c4e1a0f9b2d7e63aa01" },
                [`${PROJECT}:dataHash`]: { value: options.dataHash ?? "d1a7f00c3b9e4e21bb02" },
                "cache-purge:microstrategyUsername": { value: "admin" },
                "cache-purge:microstrategyPassword": { value: PASSWORD, secret: true },
            },
        });
    }

    it("previews without a request, purges both caches on up, then only the object cache when only the schema hash changed", async () => {
        const preview = await engine().preview();
        const requestsDuringPreview = emulator.requests.length;
        const up = await engine().up();
        const before = emulator.requests.length;

        const changedPreview = await engine({ schemaHash: "77e0b3c5aa19d2f0cc03" }).preview();
        const requestsDuringChangedPreview = emulator.requests.length - before;
        const changedUp = await engine({ schemaHash: "77e0b3c5aa19d2f0cc03" }).up();
        const destroy = await engine({ schemaHash: "77e0b3c5aa19d2f0cc03" }).destroy();

        assert.equal(preview.ok, true, preview.output);
        assert.deepEqual(preview.steps.map((s) => [s.op, s.purgePlan]), [[
            "create",
            `purge 2 of 2 targets: element, object (created); 3 requests: GET ${emulator.baseUrl}/api/projects, `
                + `DELETE ${emulator.baseUrl}/api/monitors/projects/{id of "MicroStrategy Tutorial"}/caches/element, `
                + `DELETE ${emulator.baseUrl}/api/monitors/projects/{id of "MicroStrategy Tutorial"}/caches/object`,
        ]]);
        assert.equal(requestsDuringPreview, 0);
        assert.equal(up.ok, true, up.errors.join("\n"));
        assert.deepEqual(changedPreview.steps.map((s) => [s.op, s.purgePlan]), [[
            "update",
            `purge 1 of 2 targets: object (trigger: 5c4e1a0f… -> 77e0b3c5…); 2 requests: GET ${emulator.baseUrl}/api/projects, `
                + `DELETE ${emulator.baseUrl}/api/monitors/projects/{id of "MicroStrategy Tutorial"}/caches/object`,
        ]]);
        assert.equal(requestsDuringChangedPreview, 0);
        assert.equal(changedUp.ok, true, changedUp.errors.join("\n"));
        assert.deepEqual(emulator.purges.map((p) => [p.projectId, p.cacheType]), [
            [TUTORIAL.id, "element"], [TUTORIAL.id, "object"], [TUTORIAL.id, "object"],
        ]);
        assert.equal(emulator.logins, 2);
        assert.equal(emulator.logouts, 2);
        assert.ok(changedUp.log.some((l) => l.message === "microstrategy: the server accepted the purge of the object cache of project MicroStrategy Tutorial (1 of 1)"),
            JSON.stringify(changedUp.log));
        assert.equal(destroy.ok, true, destroy.errors.join("\n"));
        assert.equal(emulator.purges.length, 3);
        assert.ok(!engine().state.text().includes(PASSWORD));
    });

    it("purges through the older /cache/ path on a server that only knows it", async () => {
        emulator.onlyOldPath = true;

        const up = await engine().up();

        assert.equal(up.ok, true, up.errors.join("\n"));
        assert.deepEqual(emulator.purges.map((p) => `${p.pathVariant}/${p.cacheType}`), ["cache/element", "cache/object"]);
        assert.match(engine().state.text(), /"pathVariant": ?"cache"/);
    });

    it("fails an unknown project name with the names the server has, logs out once, and purges on the next up once fixed", async () => {
        const failed = await engine({ projectName: "Tutorial" }).up();
        const fixed = await engine().up();

        assert.equal(failed.ok, false);
        assert.ok(failed.errors.some((e) => e.includes(`microstrategy: no project named "Tutorial" on ${emulator.baseUrl}; `
            + `projects found: "MicroStrategy Tutorial", "Consolidated Education Project"`)), failed.errors.join("\n"));
        assert.equal(fixed.ok, true, fixed.errors.join("\n"));
        assert.equal(emulator.logouts, 2);
        assert.equal(emulator.purges.length, 2);
    });

    it("refuses a non-GUID project id and an http:// server in check, naming each field, without a request", async () => {
        const badId = await engine({ projectId: "Tutorial" }).preview();
        const badUrl = await engine({ baseUrl: "http://bi.example.com/MicroStrategyLibrary" }).preview();

        assert.equal(badId.ok, false);
        assert.ok(badId.errors.some((e) => e.includes(`project.id: expected a project GUID of 32 hex digits such as B7CA92F04B9FAE8D941C3E9B7E0CD754, got "Tutorial"`)),
            badId.errors.join("\n"));
        assert.ok(badUrl.errors.some((e) => e.includes(`baseUrl: expected an https:// URL (http:// is allowed only for localhost), got "http://bi.example.com/MicroStrategyLibrary"`)),
            badUrl.errors.join("\n"));
        assert.equal(emulator.requests.length, 0);
    });
});
