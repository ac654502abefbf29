import assert from "node:assert/strict";
import { createHash } from "crypto";
import { setProgressSink } from "../../src/core/progress-log";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import { buddyService } from "../../src/services/buddy/service";
import { BuddyEmulator, type BuddyEmulatorPipeline } from "../../src/services/buddy/emulator";
import { imagekitService } from "../../src/services/imagekit/service";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";

type Props = Record<string, unknown>;
type Failed = Error & { id?: string; properties?: Props };

const TOKEN = "buddy_secret_names_token_5c7d";
const IMAGEKIT_KEY = "private_secret_names_key_9e2b";
/** Ids of a small space: neither the ids nor a digest of one may be shown or kept. */
const IDS = ["48213", "73915", "90417"] as const;
const PUBLIC_URL = "https://ik.imagekit.io/acme/img/public.jpg";
const PRIVATE_URL = "https://ik.imagekit.io/acme/private-element-4b1f/photo.jpg";

/** Every form of the ids a reader could take one from: in a URL, as a key, quoted, or as a SHA-256. */
function idForms(): string[] {
    return IDS.flatMap((id) => [`/${id}`, `pipeline ${id}`, `"${id}"`, createHash("sha256").update(id).digest("hex").slice(0, 16)]);
}

describe("secret names: target names and settings that are secrets stay out of every plan, error, receipt and record", function () {
    this.timeout(60_000);
    const log: string[] = [];

    beforeEach(() => {
        log.length = 0;
        setProgressSink((_severity, message) => log.push(message));
    });

    afterEach(() => setProgressSink(undefined));

    it("keeps whole-secret Buddy pipeline ids out of the plan, the error's URL, the receipt and the pending record, and purges the one left", async () => {
        const pipelines: BuddyEmulatorPipeline[] = [{ id: Number(IDS[0]), name: "build" }, { id: Number(IDS[1]), name: "test" }];
        const buddy = await new BuddyEmulator({
            workspaces: { acme: { projects: { site: pipelines } } },
            tokens: { [TOKEN]: { scopes: ["EXECUTION_MANAGE"] } },
        }).start();
        try {
            const provider = createProviderImplementation(buddyService);
            const inputs = {
                baseUrl: buddy.baseUrl, workspace: "acme", project: "site", token: TOKEN, maxRetries: 0,
                pipelines: Object.fromEntries(IDS.map((id) => [id, "h1"])), __secretTargetNames: ["pipelines"], __secretTargets: true,
            };

            const checked = await provider.check({}, inputs);
            const failed = await provider.create(checked.inputs).then(() => undefined, (error: Failed) => error);
            pipelines.push({ id: Number(IDS[2]), name: "deploy" });
            const retried = await provider.update(failed!.id!, failed!.properties!, checked.inputs);

            const patch = `PATCH ${buddy.baseUrl}/workspaces/acme/projects/site/pipelines/[secret]`;
            assert.equal(checked.inputs.purgePlan, `purge 3 of 3 targets: 3 targets with secret names (created); 3 requests: ${patch}, ${patch}, ${patch}`);
            assert.match(failed?.message ?? "", /^buddy: PATCH http:\/\/127\.0\.0\.1:\d+\/workspaces\/acme\/projects\/site\/pipelines\/\[secret\] returned 404/);
            assert.deepEqual((failed?.properties?.purged as { pending: string[] }).pending, ["(secret target 2)"]);
            assert.deepEqual(buddy.clears.map((c) => c.pipelineId), IDS.map(Number));
            const receipt = retried.outs?.receipt as { targets: string[]; ids: Props };
            assert.deepEqual([receipt.targets, Object.keys(receipt.ids)], [["[secret]"], ["[secret]"]]);
            const shown = JSON.stringify([checked.inputs.purgePlan, failed?.message, failed?.properties?.receipt, failed?.properties?.purged, receipt, retried.outs?.purged, log]);
            assert.deepEqual(idForms().filter((form) => shown.includes(form)), []);
        } finally {
            await buddy.stop();
        }
    });

    it("keeps a secret element of a URL list and a secret base URL out of the plan, the scope, the receipt and the log, and names an endpoint change without either URL", async () => {
        const cdn = await new ImageKitEmulator({ privateKey: IMAGEKIT_KEY }).start();
        const moved = await new ImageKitEmulator({ privateKey: IMAGEKIT_KEY }).start();
        try {
            const provider = createProviderImplementation(imagekitService);
            const secret = { __secretTargetNames: ["urls"], __secretTargets: true, __secretSettings: ["baseUrl"] };
            const inputs = { baseUrl: cdn.baseUrl, privateKey: IMAGEKIT_KEY, urls: [PUBLIC_URL, PRIVATE_URL], ...secret };

            const checked = await provider.check({}, inputs);
            const created = await provider.create(checked.inputs);
            const next = await provider.check(checked.inputs, { ...inputs, baseUrl: moved.baseUrl });
            const updated = await provider.update(created.id, created.outs!, next.inputs);

            assert.equal(checked.inputs.purgePlan, "purge 2 of 2 targets: 2 targets with secret names (created); 2 requests: POST [secret], POST [secret]");
            assert.equal(next.inputs.purgePlan, "purge 2 of 2 targets: 2 targets with secret names (endpoint changed (secret)); 2 requests: POST [secret], POST [secret]");
            assert.equal((created.outs?.purged as { scope: string }).scope, "(secret)");
            assert.deepEqual([cdn.purgedUrls.sort(), moved.purgedUrls.sort()], [[PUBLIC_URL, PRIVATE_URL], [PUBLIC_URL, PRIVATE_URL]]);
            const shown = JSON.stringify([checked.inputs.purgePlan, next.inputs.purgePlan, created.outs?.purged, created.outs?.receipt, updated.outs?.purged, updated.outs?.receipt, log]);
            const hosts = [cdn.baseUrl, moved.baseUrl].map((url) => url.replace("http://", ""));
            assert.deepEqual([PRIVATE_URL, "private-element-4b1f", ...hosts].filter((form) => shown.includes(form)), []);
        } finally {
            await cdn.stop();
            await moved.stop();
        }
    });
});
