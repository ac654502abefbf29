import assert from "node:assert/strict";
import { CodemagicEmulator } from "../../src/services/codemagic/emulator";
import { CachePurge } from "../../src/services/codemagic/resource";
import { ProviderError, ProviderHost } from "../harness/provider-host";
import type { Props } from "../harness/sdk";
import { serializedProvider } from "../harness/serialize";
import { linkPackageIntoNodeModules, REPO_ROOT } from "../harness/workspace";

const URN = "urn:pulumi:test::p::pulumi-nodejs:dynamic/codemagic:CachePurge::ios";
const APP = "60ddd0b747960e00124747cb";
const TOKEN = "CANARY-codemagic-host-token-4242";
const IPA = "620f9f218ab90da6b1b22e0e";
const APK = "620f9e948ab90da6b1b2217d";
const WEB = "620f9e948ab90da6b1b2217e";

describe("codemagic through the provider host (gRPC, as the engine calls it)", function () {
    this.timeout(60_000);
    let host: ProviderHost;
    let emulator: CodemagicEmulator;
    let provider: string;

    before(async () => {
        linkPackageIntoNodeModules();
        provider = await serializedProvider(() => new CachePurge("ios", { appId: APP, token: TOKEN }));
        host = await ProviderHost.start({ cwd: REPO_ROOT });
        await host.configure({ "cache-purge:codemagicToken": TOKEN });
    });

    after(() => host.stop());

    beforeEach(async () => {
        emulator = await new CodemagicEmulator().start();
        emulator.addToken(TOKEN);
        emulator.deletionDelayMs = 0;
        emulator.addApp(APP, [
            { _id: IPA, workflowId: "build-ipa", size: 127793163 },
            { _id: APK, workflowId: "build-apk", size: 59377366 },
            { _id: WEB, workflowId: "build-web", size: 1000 },
        ]);
    });

    afterEach(() => emulator.stop());

    async function checked(inputs: Props, olds: Props = {}): Promise<Props> {
        const result = await host.check(URN, olds, { baseUrl: emulator.baseUrl, appId: APP, ...inputs, __provider: provider });
        assert.deepEqual(result.failures, []);
        return result.inputs;
    }

    function deletes(): string[] {
        return emulator.requestsTo("DELETE", /./).map((r) => r.path);
    }

    it("serializes to a provider that holds no credential", () => {
        assert.ok(!provider.includes(TOKEN));
        assert.match(provider, /"pulumi-cache-purge\/provider\/codemagic"/);
    });

    it("deletes exactly the two workflows' caches on create, with the token from stack config", async () => {
        const inputs = await checked({ workflows: { "build-ipa": "1111111111aaaa", "build-apk": "2222222222bbbb" } });

        const created = await host.create(URN, inputs);

        // Workflows cross gRPC as a Struct, whose keys come out sorted: the order of deletion is not the program's.
        assert.deepEqual(deletes().sort(), [`/apps/${APP}/caches/${APK}`, `/apps/${APP}/caches/${IPA}`]);
        assert.ok(emulator.requests.every((r) => r.headers["x-auth-token"] === TOKEN));
        const receipt = created.outputs.receipt as Props;
        assert.deepEqual(receipt.ids, { "build-ipa": [IPA], "build-apk": [APK] });
        assert.equal((receipt.details as Props).bytesFreed, 127793163 + 59377366);
    });

    it("previews one changed workflow with its old -> new hash and no request, then deletes only its caches", async () => {
        const inputs = await checked({ workflows: { "build-ipa": "1111111111aaaa", "build-apk": "2222222222bbbb" } });
        const created = await host.create(URN, inputs);
        emulator.addCaches(APP, [{ _id: "630f9f218ab90da6b1b22e0f", workflowId: "build-ipa", size: 7 }]);
        const before = emulator.requests.length;

        const news = await checked({ workflows: { "build-ipa": "3333333333cccc", "build-apk": "2222222222bbbb" } }, inputs);
        const diff = await host.diff(URN, created.id, created.outputs, news);
        const requestsDuringPreview = emulator.requests.length - before;
        const outputs = await host.update(URN, created.id, created.outputs, news);

        assert.equal(news.purgePlan, "purge 1 of 2 targets: build-ipa (trigger: 11111111… -> 33333333…); "
            + `2 requests: GET ${emulator.baseUrl}/apps/${APP}/caches, DELETE ${emulator.baseUrl}/apps/${APP}/caches/<caches of build-ipa>`);
        assert.equal(diff.changes, "some");
        assert.equal(requestsDuringPreview, 0);
        assert.deepEqual(deletes().slice(2), [`/apps/${APP}/caches/630f9f218ab90da6b1b22e0f`]);
        assert.deepEqual((outputs.receipt as Props).reasons, [{ why: "trigger: 11111111… -> 33333333…", targets: ["build-ipa"] }]);
    });

    it("with wait, returns only once the deleted ids are gone from the list", async () => {
        emulator.deletionDelayMs = 700;
        const inputs = await checked({ workflows: { "build-ipa": "h1" }, wait: true });

        const created = await host.create(URN, inputs);

        assert.deepEqual(emulator.caches(APP).map((c) => c._id), [APK, WEB]);
        assert.equal((created.outputs.receipt as Props).completion, "confirmed");
    });

    it("fails past the wait deadline naming the ids still listed, records nothing, and the next create tries again", async () => {
        emulator.deletionDelayMs = 60_000;
        const inputs = await checked({ workflows: { "build-ipa": "h1" }, wait: true, waitTimeoutMs: 1_000 });

        const failure = await host.create(URN, inputs).then(() => undefined, (e: unknown) => e as ProviderError);
        emulator.deletionDelayMs = 0;
        const created = await host.create(URN, inputs);

        assert.equal(failure?.message, `codemagic: 1 of 1 deleted cache(s) still listed by GET ${emulator.baseUrl}/apps/${APP}/caches after waiting 1 s: `
            + `${IPA}; Codemagic may still finish deleting them. The next pulumi up deletes and waits again; raise waitTimeoutMs to wait longer`);
        assert.equal(failure?.partialOutputs, undefined);
        assert.deepEqual(emulator.deletions.map((d) => d.cacheId), [IPA, IPA]);
        assert.equal((created.outputs.receipt as Props).completion, "confirmed");
    });

    it("retries a 429 once after its X-RateLimit-Reset and records one deletion", async () => {
        emulator.inject({
            status: 429, body: JSON.stringify({ error: "Rate limit exceeded" }),
            headers: { "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(Math.ceil(Date.now() / 1000) + 1) },
        }, (r) => r.method === "DELETE");
        const inputs = await checked({ workflows: { "build-apk": "h1" } });

        const created = await host.create(URN, inputs);

        assert.deepEqual(deletes(), [`/apps/${APP}/caches/${APK}`, `/apps/${APP}/caches/${APK}`]);
        assert.deepEqual(emulator.deletions, [{ appId: APP, cacheId: APK }]);
        assert.equal((created.outputs.receipt as Props).retries, 1);
    });

    it("does not retry a 404 for an unknown app and quotes Codemagic's answer", async () => {
        const inputs = await checked({ appId: "60ddd0b747960e00124747ff" });

        await assert.rejects(host.create(URN, inputs), {
            message: `codemagic: GET ${emulator.baseUrl}/apps/60ddd0b747960e00124747ff/caches returned 404 Not Found: `
                + `"Application not found"; no app with this id, or the token's user cannot see it: the id is in the app's URL on codemagic.io, `
                + "and baseUrl must be Codemagic's API (https://api.codemagic.io)",
        });
        assert.equal(emulator.requests.length, 1);
    });

    it("purges once more on delete only with purgeOnDelete", async () => {
        const plain = await host.create(URN, await checked({ workflows: { "build-web": "h" } }));
        await host.delete(URN, plain.id, plain.outputs);
        emulator.addCaches(APP, [{ _id: "640f9f218ab90da6b1b22e0a", workflowId: "build-web" }]);
        const purging = await host.create(URN, await checked({ workflows: { "build-web": "h" }, purgeOnDelete: true }));
        emulator.addCaches(APP, [{ _id: "650f9f218ab90da6b1b22e0b", workflowId: "build-web" }]);
        await host.delete(URN, purging.id, purging.outputs);

        assert.deepEqual(deletes(), [`/apps/${APP}/caches/${WEB}`, `/apps/${APP}/caches/640f9f218ab90da6b1b22e0a`, `/apps/${APP}/caches/650f9f218ab90da6b1b22e0b`]);
    });

    it("refuses bad inputs in check, naming the field, before any request", async () => {
        const bad = await host.check(URN, {}, { __provider: provider, appId: "not-an-app", workflows: { "": "h" }, waitTimeoutMs: 10 });
        const both = await host.check(URN, {}, { __provider: provider, appId: APP, workflows: { "build-ipa": "h" }, cacheIds: [IPA] });

        assert.deepEqual(bad.failures, [
            { property: "", reason: "appId: expected a Codemagic app id: 24 lower-case hexadecimal characters such as 60ddd0b747960e00124747cb, got \"not-an-app\"" },
            { property: "", reason: "workflows[\"\"]: a workflow id must not be empty; use the workflow's key from codemagic.yaml, such as build-ipa" },
            { property: "", reason: "waitTimeoutMs: expected at least 1000, got 10" },
        ]);
        assert.deepEqual(both.failures.map((f) => f.reason.split(/[:[. ]/)[0]), ["workflows"]);
        assert.match(both.failures[0].reason, /^workflows and cacheIds: pass one of them, not both/);
        assert.equal(emulator.requests.length, 0);
    });
});
