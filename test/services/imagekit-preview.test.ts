import assert from "node:assert/strict";
import { setProgressSink } from "../../src/core/progress-log";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import imagekitProvider = require("../../src/services/imagekit/provider");

const KEY = "private_preview_5e4d3c2b1a";
const IK = "https://ik.imagekit.io/acme";

describe("imagekit preview with wait: true", () => {
    let emulator: ImageKitEmulator;

    beforeEach(async () => {
        emulator = await new ImageKitEmulator({ privateKey: KEY }).start();
        setProgressSink(() => undefined);
    });

    afterEach(async () => {
        setProgressSink(undefined);
        await emulator.stop();
    });

    it("counts a status read per URL, as many requests as an up with prompt completions makes", async () => {
        const checked = await imagekitProvider.check({}, { baseUrl: emulator.baseUrl, privateKey: KEY, urls: [`${IK}/a.jpg`, `${IK}/b.jpg`], wait: true });

        await imagekitProvider.create(checked.inputs);

        const purge = `${emulator.baseUrl}/v1/files/purge`;
        assert.equal(checked.inputs.purgePlan, `purge 2 of 2 targets: ${IK}/a.jpg, ${IK}/b.jpg (created); 4 requests: POST ${purge}, POST ${purge}, GET ${purge}/{requestId} until Completed, …`);
        assert.equal(emulator.requests.length, 4);
    });
});
