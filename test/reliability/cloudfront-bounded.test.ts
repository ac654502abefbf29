import assert from "node:assert/strict";
import type { PurgeService } from "../../src/core/service";
import { CloudFrontEmulator } from "../../src/services/cloudfront/emulator";
import { cloudfrontService } from "../../src/services/cloudfront/service";
import { up } from "./provider-driver";

const cloudfront = cloudfrontService as unknown as PurgeService;
const DIST = "E2QWRUHEXAMPLE";
const KEY_ID = "AKIABOUNDEDEXAMPLE00";
const SECRET = "bounded/secret/key/0123456789abcdefghijk";

/** Bounded waits (issue 13, items 5 to 7) for CloudFront: no answer, status or limit holds a purge past its bounds. */
describe("cloudfront: bounded waits", function () {
    this.timeout(30_000);
    let emulator: CloudFrontEmulator;

    beforeEach(async () => {
        emulator = await new CloudFrontEmulator({ accounts: { [KEY_ID]: SECRET }, distributions: [DIST] }).start();
    });

    afterEach(() => emulator.stop());

    const inputs = (extra: Record<string, unknown>) => ({ endpoint: emulator.baseUrl, distributionId: DIST, paths: ["/index.html"], accessKeyId: KEY_ID, secretAccessKey: SECRET, ...extra });
    const url = () => `${emulator.baseUrl}/2020-05-31/distribution/${DIST}/invalidation`;

    it("fails at once, sending nothing more, when CloudFront's throttling answer asks for an hour", async () => {
        emulator.inject({ status: 429, headers: { "Retry-After": "3600" }, body: "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>" });

        const result = await up(cloudfront, inputs({ maxRetryDelayMs: 5_000 }));

        assert.equal(result.error, `cloudfront: POST ${url()} returned 429 Too Many Requests (server asked to wait 3600 s, more than maxRetryDelayMs allows): "Throttling: Rate exceeded"`);
        assert.equal(emulator.requests.length, 1);
        assert.ok(result.elapsedMs < 2_000, `${result.elapsedMs} ms`);
    });

    it("stops waiting for Completed at purgeTimeoutMs, below a longer waitTimeoutMs, and says which bound ended it", async () => {
        emulator.inProgressMs = 600_000;

        const result = await up(cloudfront, inputs({ wait: true, waitTimeoutMs: 600_000, purgeTimeoutMs: 2_500 }));

        assert.match(result.error ?? "", /^cloudfront: invalidation I[A-Z0-9]{13} on distribution E2QWRUHEXAMPLE still InProgress after waiting \d(\.\d)? s, the limit set by purgeTimeoutMs; /);
        assert.ok(result.elapsedMs < 4_000, `${result.elapsedMs} ms`);
        assert.equal(emulator.invalidations.length, 1);
    });

    it("does not wait for room past purgeTimeoutMs while the distribution is full, and invalidates nothing", async () => {
        emulator.inProgressMs = 600_000;
        await up(cloudfront, inputs({ paths: Array.from({ length: 15 }, (_, i) => `/w${i}/*`) }));

        const result = await up(cloudfront, inputs({ paths: ["/late/*"], purgeTimeoutMs: 3_000 }));

        assert.match(result.error ?? "", /TooManyInvalidationsInProgress.*already has CloudFront's maximum of invalidations in progress \(3,000 file paths or 15 wildcard paths at one time\), and waited \d+(\.\d)? s for room, the limit set by purgeTimeoutMs; nothing was invalidated/);
        assert.ok(result.elapsedMs < 2_000, `${result.elapsedMs} ms`);
        assert.equal(emulator.invalidations.length, 1);
    });

    it("stops reading an answer larger than 16 MiB and does not retry it", async () => {
        emulator.inject({ status: 201, body: `<Invalidation>${"x".repeat(17 * 1024 * 1024)}</Invalidation>` });

        const result = await up(cloudfront, inputs({}));

        assert.match(result.error ?? "", /^cloudfront: POST \S+ returned 201 with a body larger than 16 MiB/);
        assert.equal(emulator.requests.length, 1);
    });
});
