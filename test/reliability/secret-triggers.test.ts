import assert from "node:assert/strict";
import * as path from "path";
import { FlextypeEmulator } from "../../src/services/flextype/emulator";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { type DeploymentResult, TestEngine } from "../harness/test-engine";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../harness/workspace";

const TOKEN = "5f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c";
const ACCESS = "access-secret-trigger-test-91";
/** A secret trigger shorter than 12 characters: the old plan line showed such values whole. */
const SHORT_KEY = "sk_9fa1";
const LONG_KEY = "sk_live_4f1e9c2a7b3d8e6f";
const NONCE_1 = "nonce-a1";
const NONCE_2 = "nonce-b2";
const IMAGEKIT_KEY = "private_secret_trigger_key_77";

describe("secret triggers: a trigger or forcePurge that is a secret is named in the plan, never shown", function () {
    this.timeout(120_000);
    let emulator: FlextypeEmulator;
    let cdn: ImageKitEmulator;
    let workspace: { dir: string; remove: () => void };

    before(linkPackageIntoNodeModules);

    beforeEach(async () => {
        emulator = await new FlextypeEmulator({ [TOKEN]: { accessToken: ACCESS } }).start();
        cdn = await new ImageKitEmulator({ privateKey: IMAGEKIT_KEY }).start();
        workspace = tempDir("secret-triggers");
    });

    afterEach(async () => {
        await emulator.stop();
        await cdn.stop();
        workspace.remove();
    });

    function engine(apiKey: string, nonce: string, site = "v1"): TestEngine {
        const project = "secret-triggers";
        return new TestEngine({
            programDir: path.join(REPO_ROOT, "test", "reliability", "programs", "secret-triggers"),
            project,
            stack: "test",
            stateFile: path.join(workspace.dir, "state.json"),
            config: {
                [`${project}:baseUrl`]: { value: emulator.baseUrl },
                [`${project}:site`]: { value: site },
                [`${project}:imagekitUrl`]: { value: cdn.baseUrl },
                "cache-purge:imagekitPrivateKey": { value: IMAGEKIT_KEY, secret: true },
                [`${project}:apiKey`]: { value: apiKey, secret: true },
                [`${project}:nonce`]: { value: nonce, secret: true },
                "cache-purge:flextypeToken": { value: TOKEN, secret: true },
                "cache-purge:flextypeAccessToken": { value: ACCESS, secret: true },
            },
        });
    }

    function everythingShown(results: readonly DeploymentResult[], stack: TestEngine): string {
        return [
            stack.state.text(),
            ...results.flatMap((r) => [
                JSON.stringify(r.steps), r.errors.join("\n"), r.output,
                r.log.filter((l) => !/^RegisterResource RPC finished: /.test(l.message)).map((l) => l.message).join("\n"),
                JSON.stringify(r.outputs, (_k, v: unknown) => (v !== null && typeof v === "object" && "4dabf18193072939515e22adb298388d" in v ? "[secret value]" : v)),
            ]),
        ].join("\n");
    }

    it("purges when the secret changes, says which trigger changed, and keeps its values out of state, preview, outputs and logs", async () => {
        const created = await engine(SHORT_KEY, NONCE_1).up();

        const preview = await engine(LONG_KEY, NONCE_2).preview();
        const updated = await engine(LONG_KEY, NONCE_2).up();
        const unchanged = await engine(LONG_KEY, NONCE_2).up();

        assert.equal(created.ok, true, created.errors.join("\n") + created.output);
        assert.equal(updated.ok, true, updated.errors.join("\n"));
        assert.equal(emulator.clears, 4);
        assert.equal(unchanged.ok, true);
        assert.deepEqual(preview.steps.map((s) => [s.name, s.purgePlan]).sort(), [
            ["cms", `purge cache (trigger apiKey changed (secret), forcePurge changed (secret)); 1 request: POST ${emulator.baseUrl}/api/v1/cache/clear`],
            ["images", `purge 1 of 2 targets: https://ik.imagekit.io/acme/img/logo.png (trigger changed (secret)); 1 request: POST ${cdn.baseUrl}/v1/files/purge`],
            ["whole", `purge cache (trigger apiKey changed (secret)); 1 request: POST ${emulator.baseUrl}/api/v1/cache/clear`],
        ]);
        // Created: both URLs; then the one whose secret hash changed.
        assert.deepEqual(cdn.purgedUrls.slice(2), ["https://ik.imagekit.io/acme/img/logo.png"]);
        const shown = everythingShown([created, preview, updated, unchanged], engine(LONG_KEY, NONCE_2));
        const leaks = [SHORT_KEY, LONG_KEY, LONG_KEY.slice(0, 8), NONCE_1, NONCE_2].filter((secret) => shown.includes(secret));
        assert.deepEqual(leaks, []);
    });
});
