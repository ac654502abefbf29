import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { hashFiles } from "../../src/core/hash";
import { shortValue } from "../../src/core/plan";
import { CodemagicEmulator } from "../../src/services/codemagic/emulator";
import type { Props } from "../harness/sdk";
import { TestEngine } from "../harness/test-engine";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../harness/workspace";

const PROJECT = "codemagic-cache-purge";
const APP = "60ddd0b747960e00124747cb";
const TOKEN = "CANARY-codemagic-program-token-9d1e";
const IPA = "620f9f218ab90da6b1b22e0e";
const APK = "620f9e948ab90da6b1b2217d";
const WEB = "620f9e948ab90da6b1b2217e";

describe("codemagic example program (preview, up, destroy through the SDK runner)", function () {
    this.timeout(120_000);
    let emulator: CodemagicEmulator;
    let workspace: { dir: string; remove: () => void };
    let iosLockfile: string;
    let androidLockfile: string;

    before(linkPackageIntoNodeModules);

    beforeEach(async () => {
        emulator = await new CodemagicEmulator().start();
        emulator.addToken(TOKEN);
        emulator.deletionDelayMs = 300;
        emulator.addApp(APP, [
            { _id: IPA, workflowId: "build-ipa", size: 127793163 },
            { _id: APK, workflowId: "build-apk", size: 59377366 },
            { _id: WEB, workflowId: "build-web", size: 1000 },
        ]);
        workspace = tempDir("codemagic-program");
        iosLockfile = path.join(workspace.dir, "Podfile.lock");
        androidLockfile = path.join(workspace.dir, "gradle.lockfile");
        fs.writeFileSync(iosLockfile, "PODS:\n  - Flutter (1.0.0)\n");
        fs.writeFileSync(androidLockfile, "androidx.core:core:1.13.1=releaseRuntimeClasspath\n");
    });

    afterEach(async () => {
        await emulator.stop();
        workspace.remove();
    });

    function engine(config: Record<string, string> = {}): TestEngine {
        const extra = Object.fromEntries(Object.entries(config).map(([k, value]) => [`${PROJECT}:${k}`, { value }]));
        return new TestEngine({
            programDir: path.join(REPO_ROOT, "examples", "codemagic"),
            project: PROJECT,
            stack: "test",
            stateFile: path.join(workspace.dir, "state.json"),
            config: {
                [`${PROJECT}:baseUrl`]: { value: emulator.baseUrl },
                [`${PROJECT}:appId`]: { value: APP },
                [`${PROJECT}:iosLockfile`]: { value: iosLockfile },
                [`${PROJECT}:androidLockfile`]: { value: androidLockfile },
                "cache-purge:codemagicToken": { value: TOKEN, secret: true },
                ...extra,
            },
            env: { CODEMAGIC_TOKEN: "" },
        });
    }

    function deletes(): string[] {
        return emulator.requestsTo("DELETE", /./).map((r) => r.path).sort();
    }

    it("deletes both workflows' caches on the first up, then only the iOS one when its lockfile changes, and previews that without a request", async () => {
        const stack = engine();
        const list = `GET ${emulator.baseUrl}/apps/${APP}/caches`;

        const preview = await stack.preview();
        const previewRequests = emulator.requests.length;
        const up = await stack.up();
        const afterFirstUp = { deletes: deletes(), listed: emulator.caches(APP).map((c) => c._id) };
        const oldHash = await hashFiles(iosLockfile);
        fs.writeFileSync(iosLockfile, "PODS:\n  - Flutter (1.0.0)\n  - Firebase (10.0.0)\n");
        const newHash = await hashFiles(iosLockfile);
        emulator.addCaches(APP, [{ _id: "630f9f218ab90da6b1b22e0f", workflowId: "build-ipa", size: 5 }]);
        const before = emulator.requests.length;
        const changedPreview = await stack.preview();
        const changedPreviewRequests = emulator.requests.length - before;
        const changedUp = await stack.up();
        const destroyed = await stack.destroy();

        assert.equal(preview.ok, true, preview.output);
        assert.equal(previewRequests, 0);
        assert.deepEqual(preview.steps.map((s) => [s.op, s.purgePlan]), [[
            "create",
            `purge 2 of 2 targets: build-apk, build-ipa (created); 4 requests: ${list}, `
                + `DELETE ${emulator.baseUrl}/apps/${APP}/caches/<caches of build-apk>, DELETE ${emulator.baseUrl}/apps/${APP}/caches/<caches of build-ipa>, …`,
        ]]);
        assert.equal(up.ok, true, up.errors.join("\n") + up.output);
        assert.deepEqual(afterFirstUp, { deletes: [`/apps/${APP}/caches/${APK}`, `/apps/${APP}/caches/${IPA}`], listed: [WEB] });
        const receipt = up.outputs.receipt as Props;
        assert.equal(receipt.completion, "confirmed");
        assert.equal((receipt.details as Props).bytesFreed, 127793163 + 59377366);
        assert.ok(up.log.some((l) => l.message === "codemagic: waiting for 2 cache(s) to be deleted (up to 120 s)"), JSON.stringify(up.log));

        assert.equal(changedPreviewRequests, 0);
        assert.deepEqual(changedPreview.steps.map((s) => [s.op, s.purgePlan]), [[
            "update",
            `purge 1 of 2 targets: build-ipa (trigger: ${shortValue(oldHash)} -> ${shortValue(newHash)}); 3 requests: ${list}, `
                + `DELETE ${emulator.baseUrl}/apps/${APP}/caches/<caches of build-ipa>, ${list} until the deleted caches are gone`,
        ]]);
        assert.equal(changedUp.ok, true, changedUp.errors.join("\n"));
        assert.deepEqual(deletes(), [`/apps/${APP}/caches/${APK}`, `/apps/${APP}/caches/${IPA}`, `/apps/${APP}/caches/630f9f218ab90da6b1b22e0f`]);
        assert.equal(destroyed.ok, true);
        assert.equal(deletes().length, 3, "destroy purges nothing without purgeOnDelete");
        const everything = [stack.state.text(), JSON.stringify(up.outputs), JSON.stringify(up.log), up.output, changedUp.output].join("\n");
        assert.ok(!everything.includes(TOKEN), "the token appears in plaintext somewhere");
    });

    it("fails an up whose wait passes the deadline, naming the ids still listed, and the next up deletes and waits again", async () => {
        emulator.deletionDelayMs = 60_000;
        const stack = engine({ waitTimeoutMs: "1000" });

        const failed = await stack.up();
        emulator.deletionDelayMs = 0;
        const retried = await stack.up();

        assert.equal(failed.ok, false);
        assert.deepEqual(failed.errors, [`codemagic: 2 of 2 deleted cache(s) still listed by GET ${emulator.baseUrl}/apps/${APP}/caches after waiting 1 s: `
            + `${APK}, ${IPA}; Codemagic may still finish deleting them. The next pulumi up deletes and waits again; raise waitTimeoutMs to wait longer`]);
        assert.equal(retried.ok, true, retried.errors.join("\n"));
        assert.deepEqual(retried.steps.map((s) => s.op), ["create"]);
        assert.deepEqual(emulator.deletions.map((d) => d.cacheId), [APK, IPA, APK, IPA]);
        assert.deepEqual(emulator.caches(APP).map((c) => c._id), [WEB]);
    });

    it("retries a 429 once after its X-RateLimit-Reset and records one deletion per cache", async () => {
        emulator.inject({
            status: 429, body: JSON.stringify({ error: "Rate limit exceeded" }),
            headers: { "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(Math.ceil(Date.now() / 1000) + 1) },
        }, (r) => r.method === "DELETE");

        const up = await engine({ wait: "false" }).up();

        assert.equal(up.ok, true, up.errors.join("\n"));
        assert.equal(emulator.requestsTo("DELETE", /./).length, 3);
        assert.deepEqual(emulator.deletions.map((d) => d.cacheId), [APK, IPA]);
        assert.equal((up.outputs.receipt as Props).retries, 1);
        assert.ok(up.log.some((l) => / 429 Too Many Requests; retrying in /.test(l.message)), JSON.stringify(up.log));
    });

    it("refuses an app id that is not 24 hexadecimal characters in check, before any request", async () => {
        const preview = await engine({ appId: "my-app" }).preview();

        assert.equal(preview.ok, false);
        assert.deepEqual(preview.errors, ["pulumi-nodejs:dynamic/codemagic:CachePurge resource 'mobile-build-caches' has a problem: "
            + "appId: expected a Codemagic app id: 24 lower-case hexadecimal characters such as 60ddd0b747960e00124747cb, got \"my-app\""]);
        assert.equal(emulator.requests.length, 0);
    });
});
