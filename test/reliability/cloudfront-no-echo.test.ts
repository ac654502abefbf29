import assert from "node:assert/strict";
import type { PurgeService } from "../../src/core/service";
import { CloudFrontEmulator } from "../../src/services/cloudfront/emulator";
import { cloudfrontService } from "../../src/services/cloudfront/service";
import { up } from "./provider-driver";

const cloudfront = cloudfrontService as unknown as PurgeService;
const DIST = "E2QWRUHEXAMPLE";
const KEY_ID = "AKIANOECHOEXAMPLE000";
/** Shaped as AWS's secret keys are: base64 letters with / and +, which every encoding spells differently. */
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzEXAMPLEKEY";
const TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+session+token";

/** Nothing secret echoed (issue 13, items 2 to 4), for CloudFront's secret key and session token. */
describe("cloudfront: no secret echoed", function () {
    this.timeout(30_000);
    let emulator: CloudFrontEmulator;

    beforeEach(async () => {
        emulator = await new CloudFrontEmulator({ accounts: { [KEY_ID]: SECRET }, distributions: [DIST] }).start();
    });

    afterEach(() => emulator.stop());

    const inputs = (extra: Record<string, unknown> = {}) => ({ endpoint: emulator.baseUrl, distributionId: DIST, paths: ["/index.html"],
        accessKeyId: KEY_ID, secretAccessKey: SECRET, maxRetries: 0, ...extra });

    for (const [label, echo] of [
        ["as it is", SECRET],
        ["URL-encoded", encodeURIComponent(SECRET)],
        ["URL-encoded in lower case", encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())],
        ["form-encoded, + as %2B and / as %2F", new URLSearchParams({ k: SECRET }).toString().slice(2)],
        ["at the cut of a long message", `${"x".repeat(190)}${SECRET}`],
    ] as const) {
        it(`hides the secret key when CloudFront's error quotes it ${label}`, async () => {
            emulator.inject({ status: 403, body: `<ErrorResponse><Error><Code>AccessDenied</Code><Message>key ${echo} refused</Message></Error></ErrorResponse>` });

            const result = await up(cloudfront, inputs());

            assert.match(result.error ?? "", /^cloudfront: POST \S+ returned 403 Forbidden: "AccessDenied: key /);
            for (const piece of [SECRET, SECRET.slice(0, 12), encodeURIComponent(SECRET).slice(0, 16)]) {
                assert.ok(!result.error?.includes(piece), result.error);
            }
        });
    }

    it("hides a session token, and keeps both secrets out of the receipt when the invalidation's answer quotes them", async () => {
        emulator.accounts.set(KEY_ID, SECRET);
        emulator.inject({ status: 201, body: `<Invalidation><Id>I${SECRET}</Id><Status>InProgress ${TOKEN}</Status></Invalidation>` }, (r) => r.method === "POST");

        const result = await up(cloudfront, inputs({ sessionToken: TOKEN }));

        assert.equal(result.error, undefined);
        const receipt = JSON.stringify(result.outs?.receipt);
        assert.ok(!receipt.includes(SECRET) && !receipt.includes(TOKEN), receipt);
        assert.match(receipt, /"invalidationId":"I\[secret\]"/);
        assert.equal(emulator.requests[0].headers["x-amz-security-token"], TOKEN, "the token went where AWS reads it, and nowhere else");
    });

    it("refuses a secret key with a line break by name, without quoting it", async () => {
        const result = await up(cloudfront, inputs({ secretAccessKey: `${SECRET}\n` }));

        assert.deepEqual(result.failures.map((f) => f.reason), [
            "secretAccessKey: must not contain spaces or line breaks",
            "secretAccessKey: must not contain a line break (CR or LF); copy the value again without the end of line (from the secretAccessKey input)",
        ]);
        assert.ok(!JSON.stringify(result).includes(SECRET));
    });

    it("refuses an endpoint with a user and password in it, without quoting them", async () => {
        // A password with no "/": one with a "/" is not told apart from a path by the core's URL rules (see the report).
        const password = SECRET.replace(/\//g, "");
        const result = await up(cloudfront, inputs({ endpoint: `https://deploy:${password}@cloudfront.amazonaws.com` }));

        assert.deepEqual(result.failures.map((f) => f.reason), ["endpoint: credentials do not belong in the URL; pass them as inputs, got a URL with a user name"]);
        assert.ok(!JSON.stringify(result).includes(password));
    });
});
