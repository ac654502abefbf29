import assert from "node:assert/strict";
import { PENDING } from "../../src/core/plan";
import { setProgressSink } from "../../src/core/progress-log";
import { thinProvider } from "../../src/core/thin-provider";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import imagekitProvider = require("../../src/services/imagekit/provider");

type Props = Record<string, unknown>;

const IK = "https://ik.imagekit.io/acme";
const url = (i: number) => `${IK}/img/${String(i).padStart(3, "0")}.jpg`;

function urlMap(count: number, hash = "h1"): Record<string, string> {
    return Object.fromEntries(Array.from({ length: count }, (_, i) => [url(i), `${hash}-${i}`]));
}

describe("thinProvider", () => {
    it("hands every resource of a service the same provider object, so the SDK serializes it once", () => {
        const first = thinProvider("pulumi-cache-purge/provider/imagekit");

        const second = thinProvider("pulumi-cache-purge/provider/imagekit");
        const other = thinProvider("pulumi-cache-purge/provider/flextype");

        assert.equal(first, second);
        assert.notEqual(first, other);
    });
});

describe("outputs of a purge resource", () => {
    let emulator: ImageKitEmulator;
    let key: string;

    beforeEach(async () => {
        key = `private_outputs_${Math.random().toString(16).slice(2)}`;
        emulator = await new ImageKitEmulator({ privateKey: key }).start();
        setProgressSink(() => undefined);
    });

    afterEach(async () => {
        setProgressSink(undefined);
        await emulator.stop();
    });

    async function checked(inputs: Props, olds: Props = {}): Promise<Props> {
        const result = await imagekitProvider.check(olds, { baseUrl: emulator.baseUrl, privateKey: key, ...inputs });
        assert.deepEqual(result.failures ?? [], []);
        return result.inputs ?? {};
    }

    it("name the URLs once, in the inputs' JSON text, and keep the request ids in one text in their order", async () => {
        const inputs = await checked({ urls: urlMap(3) });

        const created = await imagekitProvider.create(inputs);

        const outs = created.outs as Props;
        assert.equal(outs.urls, JSON.stringify(urlMap(3)));
        assert.deepEqual(outs.purged, { scope: `${emulator.baseUrl}/v1/files/purge`, triggers: {} });
        const receipt = outs.receipt as { count: number; targets: unknown; ids: unknown; reasons: unknown; details: { requestIds: string } };
        assert.equal(receipt.count, 3);
        assert.equal(receipt.targets, "all");
        assert.deepEqual(receipt.reasons, [{ why: "created", targets: "all" }]);
        assert.deepEqual(receipt.ids, {});
        const idOf = new Map(emulator.purges.map((p) => [p.url, p.requestId]));
        assert.deepEqual(JSON.parse(receipt.details.requestIds), [url(0), url(1), url(2)].map((u) => idOf.get(u)));
    });

    it("after a partial failure, record only what is owed and receipt only what was purged", async () => {
        emulator.failUrls.set(url(6), 400);
        const inputs = await checked({ urls: urlMap(10) });

        const error = await imagekitProvider.create(inputs).then(() => undefined, (e: Error & { properties?: Props }) => e);

        const outs = error?.properties as Props;
        assert.deepEqual((outs.purged as Props).pending, [url(6)]);
        const receipt = outs.receipt as { targets: string[]; details: { requestIds: string } };
        assert.deepEqual(receipt.targets, Object.keys(urlMap(10)).filter((u) => u !== url(6)));
        const idOf = new Map(emulator.purges.map((p) => [p.url, p.requestId]));
        assert.deepEqual(JSON.parse(receipt.details.requestIds), receipt.targets.map((u) => idOf.get(u)));
    });

    it("diff sees no change for the same URLs in another order, and a change for a new setting", async () => {
        const inputs = await checked({ urls: urlMap(3) });
        const outs = (await imagekitProvider.create(inputs)).outs as Props;
        const reordered = await checked({ urls: Object.fromEntries(Object.entries(urlMap(3)).reverse()) }, inputs);
        const slower = await checked({ urls: urlMap(3), timeoutMs: 60_000 }, inputs);

        const same = await imagekitProvider.diff("id", outs, reordered);
        const changed = await imagekitProvider.diff("id", outs, slower);

        assert.equal(same.changes, false);
        assert.equal(changed.changes, true);
    });

    describe("written by 0.1.0 (every target in purged.targets)", () => {
        function oldOutputs(inputs: Props, targets: Record<string, string>): Props {
            return {
                ...inputs,
                purged: { scope: `${emulator.baseUrl}/v1/files/purge`, triggers: {}, targets },
                receipt: { purgedAt: "2026-11-01T00:00:00.000Z", targets: Object.keys(targets), reasons: [], ids: {}, requests: 3, retries: 0, completion: "accepted", details: {} },
            };
        }

        it("diff reads them: no change when nothing changed, a change when a trigger did", async () => {
            const inputs = await checked({ urls: urlMap(3) });
            const olds = oldOutputs(inputs, urlMap(3));
            const changed = await checked({ urls: { ...urlMap(3), [url(1)]: "h2" } }, inputs);

            const same = await imagekitProvider.diff("id", olds, inputs);
            const diff = await imagekitProvider.diff("id", olds, changed);

            assert.equal(same.changes, false);
            assert.equal(diff.changes, true);
        });

        it("update purges exactly the changed URL and what 0.1.0 left pending, then writes the new shape", async () => {
            const inputs = await checked({ urls: urlMap(3) });
            const olds = oldOutputs(inputs, { ...urlMap(3), [url(2)]: PENDING });
            const changed = await checked({ urls: { ...urlMap(3), [url(0)]: "h2" } }, inputs);

            const updated = await imagekitProvider.update("id", olds, changed);

            assert.deepEqual(emulator.purgedUrls.slice().sort(), [url(0), url(2)]);
            const outs = updated.outs as Props;
            assert.equal((outs.purged as Props).targets, undefined);
            assert.deepEqual((outs.receipt as { targets: string[] }).targets, [url(0), url(2)]);
            assert.deepEqual((outs.receipt as { reasons: unknown }).reasons, [
                { why: "trigger: h1-0 -> h2", targets: [url(0)] },
                { why: "left over from a failed purge", targets: [url(2)] },
            ]);
            assert.equal((await imagekitProvider.diff("id", outs, changed)).changes, false);
        });

        it("delete with purgeOnDelete purges every URL the old outputs name", async () => {
            const inputs = await checked({ urls: urlMap(3), purgeOnDelete: true });

            await imagekitProvider.delete("id", oldOutputs(inputs, urlMap(3)));

            assert.deepEqual(emulator.purgedUrls.slice().sort(), Object.keys(urlMap(3)));
        });
    });
});
