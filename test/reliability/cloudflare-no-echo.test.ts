import assert from "node:assert/strict";
import type { PurgeService } from "../../src/core/service";
import { CloudflareEmulator } from "../../src/services/cloudflare/emulator";
import { cloudflareService } from "../../src/services/cloudflare/service";
import { up } from "./provider-driver";

const cloudflare = cloudflareService as unknown as PurgeService;
const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
const PASSWORD = "S3cretPassw0rd";

describe("cloudflare echoes no secret", function () {
    this.timeout(30_000);
    let emulator: CloudflareEmulator;
    const token = "CANARY-cf-echo-token-5a7c";

    beforeEach(async () => {
        emulator = await new CloudflareEmulator({ tokens: { [token]: [ZONE] }, zones: [ZONE], plan: "enterprise" }).start();
    });

    afterEach(() => emulator.stop());

    it("refuses a file URL with a password, or a map key with a token in its query, without quoting either", async () => {
        const result = await up(cloudflare, {
            zoneId: ZONE, apiToken: token, files: { [`https://user:${PASSWORD}@www.example.com/a.css`]: "h", [`ftp://www.example.com/a?token=${PASSWORD}`]: "h" },
        });

        assert.deepEqual(result.failures.map((f) => f.reason), [
            "files[\"https://www.example.com/a.css\"]: credentials do not belong in the URL; pass them as inputs, got a URL with a user name",
            "files[\"ftp://www.example.com/a?…\"]: expected an http:// or https:// URL, got \"ftp://www.example.com/a?…\"",
        ]);
        assert.ok(!JSON.stringify(result).includes(PASSWORD));
    });

    for (const [label, echo] of [
        ["as it is", (t: string) => `token ${t} is not valid`],
        ["URL-encoded", (t: string) => `Authorization=Bearer%20${encodeURIComponent(t)}`],
        ["JSON-escaped in a message", (t: string) => JSON.stringify({ header: `Bearer ${t}` })],
    ] as const) {
        it(`hides the API token when Cloudflare's error message quotes it ${label}`, async () => {
            emulator.inject({ status: 403, body: JSON.stringify({ success: false, errors: [{ code: 10000, message: echo(token) }], messages: [], result: null }) });

            const result = await up(cloudflare, { zoneId: ZONE, apiToken: token, tags: ["blog"], baseUrl: emulator.baseUrl, maxRetries: 0 });

            assert.match(result.error ?? "", /^cloudflare: POST \S+ returned 403 Forbidden: "code 10000: /);
            assert.ok(result.error?.includes("[secret]"), result.error);
            assert.ok(!result.error?.includes("CANARY"), result.error);
        });
    }

    it("redacts a purge id that quotes the token from the receipt", async () => {
        emulator.inject({ status: 200, body: JSON.stringify({ success: true, errors: [], messages: [], result: { id: `id-${token}` } }) });

        const result = await up(cloudflare, { zoneId: ZONE, apiToken: token, tags: ["blog"], baseUrl: emulator.baseUrl });

        assert.equal(result.error, undefined);
        assert.deepEqual((result.outs?.receipt as { details: { purgeIds: unknown } }).details.purgeIds, { tags: ["id-[secret]"] });
    });
});
