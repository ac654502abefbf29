import assert from "node:assert/strict";
import { setProgressSink } from "../../src/core/progress-log";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import type { PurgeService } from "../../src/core/service";
import { CodemagicEmulator } from "../../src/services/codemagic/emulator";
import { codemagicService } from "../../src/services/codemagic/service";
import { flextypeService } from "../../src/services/flextype/service";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { imagekitService } from "../../src/services/imagekit/service";
import { up } from "./provider-driver";

/**
 * Nothing lost, nothing purged twice (issue 13, items 8 to 10 and 12): a shared budget is never
 * overspent by concurrent resources, accepted purges are recorded even when a wait fails, names that
 * are Object.prototype members are names like any other, and one URL spelt four ways is refused.
 */

const codemagic = codemagicService as unknown as PurgeService;
const imagekit = imagekitService as unknown as PurgeService;
const IK = "https://ik.imagekit.io/acme";

describe("a shared rate budget under concurrency", function () {
    this.timeout(120_000);
    let emulator: CodemagicEmulator;

    afterEach(() => emulator.stop());

    it("keeps 12 concurrent Codemagic resources on one token within a budget of 20 per 4 s: no 429, every purge done", async () => {
        const token = `cm-concurrent-${Date.now()}`;
        emulator = await new CodemagicEmulator().addToken(token).start();
        emulator.deletionDelayMs = 0;
        const apps = Array.from({ length: 12 }, (_, i) => `60ddd0b747960e0012474${String(700 + i)}`);
        for (const app of apps) {
            emulator.addApp(app, [{ workflowId: "build-ipa" }]);
        }
        emulator.rateLimit = { limit: 20, windowMs: 4_000 };
        setProgressSink(() => undefined);

        const results = await Promise.all(apps.map(async (appId) => {
            const provider = createProviderImplementation(codemagic);
            const checked = await provider.check({}, { baseUrl: emulator.baseUrl, appId, token });
            return provider.create(checked.inputs).then(() => "ok", (e: Error) => e.message);
        }));
        setProgressSink(undefined);

        console.log(`      12 concurrent Codemagic resources: ${emulator.requests.length} requests sent, ${emulator.rateLimited} answered 429`);
        assert.deepEqual(results, apps.map(() => "ok"));
        assert.equal(emulator.rateLimited, 0);
        assert.equal(emulator.requests.length, 24);
    });
});

describe("an ImageKit wait that times out", function () {
    this.timeout(30_000);
    let emulator: ImageKitEmulator;

    afterEach(() => emulator.stop());

    it("records the accepted purges, so the next up sends no purge request for them", async () => {
        const privateKey = `private_ik_wait_${Date.now()}`;
        emulator = await new ImageKitEmulator({ privateKey, pendingMs: 600_000 }).start();
        const urls = Array.from({ length: 20 }, (_, i) => `${IK}/img/${i}.jpg`);
        const inputs = { baseUrl: emulator.baseUrl, urls, privateKey, wait: true, waitTimeoutMs: 1_000 };

        const first = await up(imagekit, inputs);
        const purgesAfterFirst = emulator.purges.length;
        const next = await up(imagekit, inputs, first.partialOuts);

        console.log(`      purge requests: ${purgesAfterFirst} on the up whose wait timed out, ${emulator.purges.length - purgesAfterFirst} on the next up`);
        assert.match(first.error ?? "", /^imagekit: 20 of 20 purge requests still Pending after waiting 1 s .*; all 20 targets were accepted by the service and are recorded as purged, so the next pulumi up does not send them again$/);
        assert.equal(purgesAfterFirst, 20);
        assert.equal((first.partialOuts?.receipt as { completion: string }).completion, "accepted");
        assert.equal(next.error, undefined);
        assert.equal(emulator.purges.length, 20);
    });
});

describe("names that are Object.prototype members", () => {
    const flextypeInputs = { baseUrl: "https://cms.example.com", token: "tok-proto-1", accessToken: "acc-proto-1" };
    const flextype = flextypeService as unknown as PurgeService;

    async function planLine(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<string> {
        const provider = createProviderImplementation(flextype);
        const old = await provider.check({}, { ...flextypeInputs, ...olds });
        const checked = await provider.check(old.inputs, { ...flextypeInputs, ...news });
        return String(checked.inputs.purgePlan);
    }

    it("plans a purge when the trigger constructor is removed, as it does for site", async () => {
        const removedConstructor = await planLine({ triggers: { constructor: "aaaa", site: "s" } }, { triggers: { site: "s" } });
        const removedSite = await planLine({ triggers: { constructor: "aaaa", site: "s" } }, { triggers: { constructor: "aaaa" } });

        assert.equal(removedConstructor, "purge cache (trigger constructor removed); 1 request: POST https://cms.example.com/api/v1/cache/clear");
        assert.equal(removedSite, "purge cache (trigger site removed); 1 request: POST https://cms.example.com/api/v1/cache/clear");
    });

    it("says trigger valueOf added with its value, not a function's source", async () => {
        const line = await planLine({ triggers: {} }, { triggers: { valueOf: "bbbb" } });

        assert.equal(line, "purge cache (trigger valueOf added: bbbb); 1 request: POST https://cms.example.com/api/v1/cache/clear");
    });

    it("purges Codemagic workflows named constructor and valueOf, and then only the one whose hash changed", async () => {
        const token = `cm-proto-${Date.now()}`;
        const emulator = await new CodemagicEmulator().addToken(token).start();
        emulator.deletionDelayMs = 0;
        const appId = "60ddd0b747960e00124747cb";
        emulator.addApp(appId, [{ workflowId: "constructor" }, { workflowId: "valueOf" }, { workflowId: "toString" }]);
        const inputs = { baseUrl: emulator.baseUrl, appId, token };

        try {
            const created = await up(codemagic, { ...inputs, workflows: { constructor: "c1", valueOf: "v1" } });
            const deletedOnCreate = emulator.deletions.length;
            // New builds made new caches: a workflow with no cache to delete would not count as purged.
            emulator.addApp(appId, [{ workflowId: "constructor" }, { workflowId: "valueOf" }, { workflowId: "toString" }]);
            const updated = await up(codemagic, { ...inputs, workflows: { constructor: "c2", valueOf: "v1" } }, created.outs);

            assert.equal(created.error, undefined);
            assert.equal(updated.error, undefined);
            assert.equal(deletedOnCreate, 2);
            assert.deepEqual((updated.outs?.receipt as { reasons: unknown }).reasons, [{ why: "trigger: c1 -> c2", targets: ["constructor"] }]);
        } finally {
            await emulator.stop();
        }
    });

    it("refuses a workflow or trigger named __proto__ instead of dropping it", async () => {
        const workflows: Record<string, string> = JSON.parse('{"__proto__": "h1", "build": "h2"}') as Record<string, string>;
        const provider = createProviderImplementation(codemagic);

        const result = await provider.check({}, { baseUrl: "https://api.codemagic.io", appId: "60ddd0b747960e00124747cb", token: "tok-proto-2", workflows });

        assert.deepEqual(result.failures, [{ property: "workflows", reason: 'workflows.__proto__: the name "__proto__" is not allowed; choose another name' }]);
    });
});

describe("one ImageKit URL written several ways", () => {
    it("refuses the duplicates after canonicalization, naming both spellings", async () => {
        const provider = createProviderImplementation(imagekit);

        const result = await provider.check({}, {
            urls: [`${IK}/summer/a.jpg`, "https://IK.ImageKit.io/acme/summer/a.jpg", "https://ik.imagekit.io:443/acme/summer/a.jpg", "https://ik.imagekit.io/acme/summer/%61.jpg"],
            privateKey: "private_ik_dup",
        });

        assert.deepEqual(result.failures?.map((f) => f.reason), [
            `urls[1]: "https://IK.ImageKit.io/acme/summer/a.jpg" is the same URL as urls[0] ("${IK}/summer/a.jpg"), written differently; list each URL once`,
            `urls[2]: "https://ik.imagekit.io:443/acme/summer/a.jpg" is the same URL as urls[0] ("${IK}/summer/a.jpg"), written differently; list each URL once`,
            `urls[3]: "https://ik.imagekit.io/acme/summer/%61.jpg" is the same URL as urls[0] ("${IK}/summer/a.jpg"), written differently; list each URL once`,
        ]);
    });

    it("never throws on malformed percent-encoding in a wildcard URL", async () => {
        const provider = createProviderImplementation(imagekit);

        const accepted = await provider.check({}, { urls: [`${IK}/summer/100%*`, `${IK}/summer/%E2%82*`], privateKey: "private_ik_pct" });
        const refused = await provider.check({}, { urls: [`${IK}/%ZZ*`], privateKey: "private_ik_pct" });

        assert.deepEqual(accepted.failures ?? [], []);
        assert.equal(accepted.inputs.urls, JSON.stringify([`${IK}/summer/100%*`, `${IK}/summer/%E2%82*`]));
        assert.deepEqual(refused.failures?.map((f) => f.reason), [
            "urls[0]: a wildcard * needs a path of two levels or more (/images/upload*), of at least 15 characters, or a file name with an extension "
            + `(/sample.jpg*) before it, got "${IK}/%ZZ*"`,
        ]);
    });
});

describe("a trigger that stops being secret", () => {
    it("does not show the value it had while it was secret", async () => {
        const provider = createProviderImplementation(flextypeService as unknown as PurgeService);
        const base = { baseUrl: "https://cms.example.com", token: "tok-unsecret-1", accessToken: "acc-unsecret-1" };
        const old = await provider.check({}, { ...base, triggers: { apiKey: "sk_old_secret_1" }, __secretTriggers: ["apiKey"] });

        const now = await provider.check(old.inputs, { ...base, triggers: { apiKey: "plain-now" } });

        assert.equal(now.inputs.purgePlan, "purge cache (trigger apiKey changed (secret)); 1 request: POST https://cms.example.com/api/v1/cache/clear");
    });
});
