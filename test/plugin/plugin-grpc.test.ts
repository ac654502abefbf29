import assert from "node:assert/strict";
import * as path from "path";
import { engineFacing, createProviderImplementation } from "../../src/core/provider-implementation";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { imagekitService } from "../../src/services/imagekit/service";
import { ProviderHost } from "../harness/provider-host";
import { type Props, wrapSecret } from "../harness/sdk";
import { REPO_ROOT } from "../harness/workspace";

const PLUGIN = path.join(REPO_ROOT, "dist", "plugin", "main.js");
const URN = "urn:pulumi:dev::site::cache-purge:imagekit:UrlPurge::images";
const IK = "https://ik.imagekit.io/acme";
const KEY = "private_CANARY-plugin-7e1d";
const SECRET_TRIGGER = "sk_live_CANARY-trigger-4b2a";

/**
 * `pulumi-resource-cache-purge` in a child process (built: `npm run build`), called over gRPC as the
 * engine calls it: inputs arrive with the engine's secret wrappers, as a plugin that accepts secrets
 * gets them, and the outputs must carry them back.
 */
describe("the cache-purge provider plugin over gRPC", function () {
    this.timeout(60_000);
    let host: ProviderHost;
    let emulator: ImageKitEmulator;

    before(async () => {
        host = await ProviderHost.start({ cwd: REPO_ROOT, hostScript: PLUGIN, env: { IMAGEKIT_PRIVATE_KEY: "" } });
        await host.configure({ imagekitPrivateKey: KEY });
    });

    after(() => host.stop());

    beforeEach(async () => {
        emulator = await new ImageKitEmulator({ privateKey: KEY }).start();
    });

    afterEach(() => emulator.stop());

    it("purges the URLs of a map with the key from Configure, and keeps secret what came in secret", async () => {
        // GIVEN a YAML program's inputs: a URL map, a secret trigger, the key only in stack config
        const news = { baseUrl: emulator.baseUrl, urls: { [`${IK}/a.svg`]: "h1", [`${IK}/b.svg`]: "h1" }, triggers: { release: wrapSecret(SECRET_TRIGGER) } };

        // WHEN the engine checks and creates it
        const checked = await host.check(URN, {}, news);
        const created = await host.create(URN, checked.inputs);

        // THEN exactly the two URLs were purged, and the trigger is secret in the inputs and outputs
        assert.deepEqual(checked.failures, []);
        assert.deepEqual(emulator.purgedUrls.sort(), [`${IK}/a.svg`, `${IK}/b.svg`]);
        assert.deepEqual(checked.inputs.triggers, wrapSecret({ release: SECRET_TRIGGER }));
        assert.deepEqual(created.outputs.triggers, wrapSecret({ release: SECRET_TRIGGER }));
        assert.deepEqual(checked.inputs.__secretTriggers, ["release"]);
        assert.equal(checked.inputs.__urn, URN);
        assert.match(String(checked.inputs.purgePlan), /^purge 2 of 2 targets: .* \(created\); 2 requests: POST /);
        assert.ok(!JSON.stringify(created.outputs.purged).includes(SECRET_TRIGGER), JSON.stringify(created.outputs.purged));
    });

    it("takes no secret marker from the program's own inputs: only the engine's secret wrappers set them", async () => {
        // GIVEN a program that passes the settings marker itself, with a plain baseUrl
        const checked = await host.check(URN, {}, { baseUrl: emulator.baseUrl, urls: [`${IK}/a.svg`], __secretSettings: ["baseUrl"] });

        // THEN the marker is not stored, and the plan line shows the URL the program passed in plain
        assert.deepEqual(checked.failures, []);
        assert.equal(checked.inputs.__secretSettings, undefined);
        assert.ok(String(checked.inputs.purgePlan).includes(`POST ${emulator.baseUrl}/v1/files/purge`), String(checked.inputs.purgePlan));
    });

    it("marks a credential input secret in the stored inputs and outputs even when it came in plain", async () => {
        const checked = await host.check(URN, {}, { baseUrl: emulator.baseUrl, urls: [`${IK}/a.svg`], privateKey: KEY });
        const created = await host.create(URN, checked.inputs);

        assert.deepEqual(checked.inputs.privateKey, wrapSecret(KEY));
        assert.deepEqual(created.outputs.privateKey, wrapSecret(KEY));
        assert.equal(emulator.purges.length, 1);
    });

    it("keeps the names of a URL map that came in secret out of the plan line", async () => {
        const checked = await host.check(URN, {}, { baseUrl: emulator.baseUrl, urls: wrapSecret({ [`${IK}/private-launch.svg`]: "h1" }) });

        assert.deepEqual(checked.failures, []);
        assert.deepEqual(checked.inputs.__secretTargetNames, ["urls"]);
        assert.ok(!String(checked.inputs.purgePlan).includes("private-launch"), String(checked.inputs.purgePlan));
        assert.equal(typeof (checked.inputs.urls as Props).value, "string", "the URL map is stored as JSON text, inside the secret");
    });

    it("keeps a secret element of a URL list and a secret base URL out of the plan line, as the TypeScript class does", async () => {
        // GIVEN a public URL beside a secret one, and the endpoint itself a secret
        const news = { baseUrl: wrapSecret(emulator.baseUrl), urls: [`${IK}/public.svg`, wrapSecret(`${IK}/private-launch.svg`)] };

        // WHEN the engine checks it
        const checked = await host.check(URN, {}, news);

        // THEN the list's names and the endpoint are marked secret, and the plan line shows neither
        assert.deepEqual(checked.failures, []);
        assert.deepEqual(checked.inputs.__secretTargetNames, ["urls"]);
        assert.deepEqual(checked.inputs.__secretSettings, ["baseUrl"]);
        const plan = String(checked.inputs.purgePlan);
        assert.ok(!plan.includes("private-launch") && !plan.includes(new URL(emulator.baseUrl).host), plan);
        assert.match(plan, /^purge 2 of 2 targets: 2 targets with secret names \(created\)/);
    });

    for (const [what, inputs] of [
        ["a number where the triggers map is expected", { triggers: 5, urls: [`${IK}/a.svg`] }],
        ["a number where the URL list or map is expected", { urls: 5 }],
        ["a misspelt input", { urls: [`${IK}/a.svg`], wiat: true }],
        ["a relative URL", { urls: ["relative/a.jpg"] }],
    ] as const) {
        it(`refuses ${what} with the dynamic provider's message, before any request`, async () => {
            const news = { baseUrl: emulator.baseUrl, ...inputs };
            const dynamic = await engineFacing(createProviderImplementation(imagekitService)).check({}, news);

            const plugin = await host.check(URN, {}, news);

            assert.ok((dynamic.failures ?? []).length > 0);
            assert.deepEqual(plugin.failures, dynamic.failures);
            if (what.startsWith("a number where the triggers")) {
                assert.deepEqual(plugin.failures.map((f) => f.reason), ["triggers: expected an object, got 5"]);
            }
            assert.equal(emulator.requests.length, 0);
        });
    }

    it("fails a purge the service refuses with the service's message, which never holds the key", async () => {
        emulator.failUrls.set(`${IK}/a.svg`, 99);
        const checked = await host.check(URN, {}, { baseUrl: emulator.baseUrl, urls: [`${IK}/a.svg`], maxRetries: 0 });

        await assert.rejects(host.create(URN, checked.inputs), (error: Error) => {
            assert.match(error.message, /^imagekit: POST http:\/\/127\.0\.0\.1:\d+\/v1\/files\/purge returned 500/);
            assert.ok(!error.message.includes(KEY));
            return true;
        });
    });
});
