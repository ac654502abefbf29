import assert from "node:assert/strict";
import { setProgressSink } from "../../src/core/progress-log";
import { FlextypeEmulator } from "../../src/services/flextype/emulator";
import flextypeProvider = require("../../src/services/flextype/provider");

const TOKEN = "0123456789abcdef0123456789abcdef";

describe("the plan line check logs under a resource", () => {
    let emulator: FlextypeEmulator;
    const lines: string[] = [];

    beforeEach(async () => {
        emulator = await new FlextypeEmulator({ [TOKEN]: { accessToken: "access-token-1" } }).start();
        lines.length = 0;
        setProgressSink((_severity, message) => { lines.push(message); });
    });

    afterEach(async () => {
        setProgressSink(undefined);
        await emulator.stop();
    });

    it("keeps the request's URL whole when a secret trigger map holds a one-character value", async () => {
        // GIVEN a triggers map that was a secret as a whole, one of its values "1"
        const news = { baseUrl: emulator.baseUrl, token: TOKEN, accessToken: "access-token-1", triggers: { release: "1" }, __secretTriggers: ["release"] };

        // WHEN check plans the create
        await flextypeProvider.check({}, news);

        // THEN the line shows the endpoint as it is, and the trigger by name only
        assert.deepEqual(lines, [`flextype: purge cache (created); 1 request: POST ${emulator.baseUrl}/api/v1/cache/clear`]);
    });

    it("still hides a secret trigger value of four characters or more wherever a line would quote it", async () => {
        const news = { baseUrl: `${emulator.baseUrl}/s3cr`, token: TOKEN, accessToken: "access-token-1", triggers: { release: "s3cr" }, __secretTriggers: ["release"] };

        await flextypeProvider.check({}, news);

        assert.deepEqual(lines, [`flextype: purge cache (created); 1 request: POST ${emulator.baseUrl}/[secret]/api/v1/cache/clear`]);
    });
});
