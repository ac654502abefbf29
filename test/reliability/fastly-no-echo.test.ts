import assert from "node:assert/strict";
import type { PurgeService } from "../../src/core/service";
import { FastlyEmulator } from "../../src/services/fastly/emulator";
import { fastlyService } from "../../src/services/fastly/service";
import { up } from "./provider-driver";

const fastly = fastlyService as unknown as PurgeService;
const SERVICE = "SU1Z0isxPaozGVKXdv0eY";
const PASSWORD = "S3cretPassw0rd";

describe("fastly echoes no secret", function () {
    this.timeout(30_000);
    let emulator: FastlyEmulator;
    const token = "CANARY-fastly-echo-token-1d6b";

    beforeEach(async () => {
        emulator = await new FastlyEmulator({ tokens: { [token]: { scopes: ["global"] } }, services: [SERVICE] }).start();
    });

    afterEach(() => emulator.stop());

    it("refuses a URL with a password, or one whose query holds a token, without quoting either", async () => {
        const result = await up(fastly, { serviceId: SERVICE, apiToken: token, urls: [`https://user:${PASSWORD}@www.example.com/a`, `www.example.com/a?token=${PASSWORD}`] });

        assert.deepEqual(result.failures.map((f) => f.reason), [
            "urls[0]: credentials do not belong in the URL; pass them as inputs, got a URL with a user name",
            "urls[1]: expected an absolute URL such as https://www.example.com/css/styles.css, got \"www.example.com/a?…\"",
        ]);
        assert.ok(!JSON.stringify(result).includes(PASSWORD));
    });

    for (const [label, echo] of [
        ["as it is", (t: string) => `key ${t} is not valid`],
        ["URL-encoded", (t: string) => `Fastly-Key=${encodeURIComponent(t)}`],
        ["in the detail", (t: string) => `header was Fastly-Key: ${t}`],
    ] as const) {
        it(`hides the token when Fastly's error quotes it ${label}`, async () => {
            emulator.inject({ status: 403, body: JSON.stringify({ msg: "Forbidden", detail: echo(token) }) });

            const result = await up(fastly, { serviceId: SERVICE, apiToken: token, surrogateKeys: ["blog"], baseUrl: emulator.baseUrl, maxRetries: 0 });

            assert.match(result.error ?? "", /^fastly: POST \S+ returned 403 Forbidden: "Forbidden: /);
            assert.ok(result.error?.includes("[secret]"), result.error);
            assert.ok(!result.error?.includes("CANARY"), result.error);
        });
    }

    it("redacts a purge id that quotes the token from the receipt", async () => {
        emulator.inject({ status: 200, body: JSON.stringify({ blog: `id-${token}` }) });

        const result = await up(fastly, { serviceId: SERVICE, apiToken: token, surrogateKeys: ["blog"], baseUrl: emulator.baseUrl });

        assert.equal(result.error, undefined);
        assert.equal((result.outs?.receipt as { details: { purgeIds: unknown } }).details.purgeIds, JSON.stringify(["id-[secret]"]));
    });
});
