import assert from "node:assert/strict";
import { HttpStatusError, PurgeError } from "../../src/core/errors";
import { HttpClient } from "../../src/core/http/client";
import { Redactor } from "../../src/core/redact";
import { CloudFrontApi, cloudfrontErrorMessage } from "../../src/services/cloudfront/client";
import { CloudFrontEmulator } from "../../src/services/cloudfront/emulator";
import { frontDoor } from "../../src/testing/emulator";
import { createWhenRoom } from "../../src/services/cloudfront/room";
import type { CloudFrontInputs } from "../../src/services/cloudfront/schema";
import { isRetryableAnswer } from "../../src/services/cloudfront/service";
import { describeAnswer } from "../../src/cli/describe-answer";

const KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const DIST = "E2QWRUHEXAMPLE";

/** What CloudFront documents, as the emulator models it and the client relies on. */
describe("cloudfront: the vendor's behaviour (emulator) and the client's reading of it", function () {
    this.timeout(20_000);
    let emulator: CloudFrontEmulator;
    let lines: string[];

    beforeEach(async () => {
        emulator = await new CloudFrontEmulator({ accounts: { [KEY_ID]: SECRET }, distributions: [DIST] }).start();
        lines = [];
    });

    afterEach(() => emulator.stop());

    function api(distributionId = DIST): CloudFrontApi {
        const http = new HttpClient({
            service: "cloudfront", timeoutMs: 5000, maxRetries: 0, maxRetryDelayMs: 1000, baseRetryDelayMs: 10,
            redactor: new Redactor([SECRET]), log: { info: (l) => lines.push(l), warn: (l) => lines.push(l) },
            errorMessage: cloudfrontErrorMessage, retryStatus: isRetryableAnswer,
        });
        const inputs = { distributionId, endpoint: emulator.baseUrl, region: "us-east-1" } as CloudFrontInputs;
        return new CloudFrontApi(http, inputs, { accessKeyId: KEY_ID, secretAccessKey: SECRET });
    }

    it("answers the same CallerReference with the same paths by the invalidation it already made", async () => {
        const first = await api().createInvalidation(["/a.html", "/b/*"], "ref-1");

        const again = await api().createInvalidation(["/a.html", "/b/*"], "ref-1");

        assert.equal(again.id, first.id);
        assert.equal(emulator.invalidations.length, 1);
        assert.equal(emulator.replays, 1);
    });

    it("refuses the same CallerReference with other paths: InvalidationBatchAlreadyExists", async () => {
        await api().createInvalidation(["/a.html"], "ref-1");

        await assert.rejects(api().createInvalidation(["/other.html"], "ref-1"), {
            message: `cloudfront: POST ${emulator.baseUrl}/2020-05-31/distribution/${DIST}/invalidation returned 400 Bad Request: `
                + "\"InvalidationBatchAlreadyExists: The CallerReference you provided is already in use with a different invalidation batch.\"",
        });
    });

    it("counts file paths and wildcard paths in progress apart: the 16th wildcard is refused while 3,000 files would still fit", async () => {
        emulator.inProgressMs = 60_000;
        await api().createInvalidation(Array.from({ length: 15 }, (_, i) => `/w${i}/*`), "wildcards");

        const files = await api().createInvalidation(Array.from({ length: 3000 }, (_, i) => `/f${i}.html`), "files").then(() => "accepted");
        const refused = await api().createInvalidation(["/one-more/*"], "one-more").then(() => undefined, (e: HttpStatusError) => e);

        assert.equal(files, "accepted");
        assert.equal(refused?.status, 400);
        assert.equal(refused?.serviceMessage, "TooManyInvalidationsInProgress: Processing your request will cause you to exceed the maximum number of in-progress invalidations.");
    });

    it("waits for room while too many invalidations are in progress, then creates it, saying why it waits", async () => {
        emulator.inProgressMs = 60_000;
        await api().createInvalidation(Array.from({ length: 15 }, (_, i) => `/w${i}/*`), "wildcards");
        const sleeps: number[] = [];

        const { invalidation } = await createWhenRoom({
            create: () => api().createInvalidation(["/late/*"], "late"), distributionId: DIST, timeoutMs: 300_000, boundName: "waitTimeoutMs (300 s)",
            log: { info: (l) => lines.push(l), warn: (l) => lines.push(l) }, now: () => 0,
            // The earlier invalidations complete while we wait.
            sleep: async (ms) => {
                sleeps.push(ms);
                emulator.inProgressMs = 0;
            },
        });

        assert.equal(invalidation.status, "InProgress");
        assert.deepEqual(sleeps, [5000]);
        assert.deepEqual(lines, [`cloudfront: distribution ${DIST} has too many invalidations in progress (CloudFront allows 3,000 file paths and 15 wildcard paths at one time); `
            + "trying again in 5 s (waited 0 s of 300 s)"]);
    });

    it("gives up waiting for room at the bound, naming CloudFront's limit and what to do", async () => {
        emulator.inProgressMs = 3_600_000;
        await api().createInvalidation(Array.from({ length: 15 }, (_, i) => `/w${i}/*`), "wildcards");
        let clock = 0;

        const error = await createWhenRoom({
            create: () => api().createInvalidation(["/late/*"], "late"), distributionId: DIST, timeoutMs: 60_000, boundName: "waitTimeoutMs (60 s)",
            log: { info: () => undefined, warn: () => undefined }, now: () => clock,
            sleep: async (ms) => {
                clock += ms;
            },
        }).then(() => undefined, (e: PurgeError) => e);

        assert.equal(error?.message, `cloudfront: POST ${emulator.baseUrl}/2020-05-31/distribution/${DIST}/invalidation returned 400 Bad Request: `
            + "\"TooManyInvalidationsInProgress: Processing your request will cause you to exceed the maximum number of in-progress invalidations.\"; "
            + `distribution ${DIST} already has CloudFront's maximum of invalidations in progress (3,000 file paths or 15 wildcard paths at one time), `
            + "and waited 35 s for room, the limit set by waitTimeoutMs (60 s); nothing was invalidated: the next pulumi up tries again. "
            + "Wait for the invalidations in progress to complete, or set collapseAbove so one /* replaces many paths");
        assert.equal(emulator.invalidations.length, 1);
    });

    it("refuses a request without a SigV4 Authorization header", async () => {
        const response = await fetch(`${emulator.baseUrl}/2020-05-31/distribution/${DIST}/invalidation`, { method: "POST", body: "<InvalidationBatch/>" });

        assert.equal(response.status, 403);
        assert.match(await response.text(), /<Code>MissingAuthenticationToken<\/Code>/);
        assert.equal(emulator.invalidations.length, 0);
    });

    it("refuses a well-formed Authorization header whose signature was not made with the key's secret: SignatureDoesNotMatch", async () => {
        const body = `<InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Paths><Quantity>2</Quantity><Items><Path>/a</Path></Items></Paths>`
            + "<CallerReference>r</CallerReference></InvalidationBatch>";
        const now = new Date().toISOString().replace(/[-:]|\.\d{3}/g, "");
        const response = await fetch(`${emulator.baseUrl}/2020-05-31/distribution/${DIST}/invalidation`, {
            method: "POST", body, headers: { "x-amz-date": now, authorization: `AWS4-HMAC-SHA256 Credential=${KEY_ID}/${now.slice(0, 8)}/us-east-1/cloudfront/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}` },
        });

        assert.equal(response.status, 403);
        assert.match(await response.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
    });

    it("reads a status of GetInvalidation: InProgress, then Completed", async () => {
        emulator.inProgressMs = 300;
        const { id } = await api().createInvalidation(["/a.html"], "r");

        const early = await api().getInvalidation(id);
        await new Promise((r) => setTimeout(r, 350));
        const late = await api().getInvalidation(id);

        assert.deepEqual([early.status, late.status], ["InProgress", "Completed"]);
    });

    it("retries AWS throttling codes that come with 400, and no other 400", () => {
        const answer = (code: string) => ({ status: 400, statusText: "Bad Request", headers: new Headers() as never, text: `<ErrorResponse><Error><Code>${code}</Code></Error></ErrorResponse>`, json: undefined });

        assert.equal(isRetryableAnswer(400, answer("Throttling")), true);
        assert.equal(isRetryableAnswer(400, answer("TooManyInvalidationsInProgress")), false);
        assert.equal(isRetryableAnswer(400, answer("InvalidArgument")), false);
    });

    it("logs each answer of the emulators command as one line: the invalidation and its status, or CloudFront's code and a hint", async () => {
        const created = await api().createInvalidation(["/a.html", "/b/*"], "log-1");
        const [request] = emulator.requests;
        const answer = (status: number, body: string) => describeAnswer("cloudfront", { request, status, body });

        const ok = answer(201, `<Invalidation><Id>${created.id}</Id><Status>InProgress</Status><InvalidationBatch><Paths><Items><Path>/a.html</Path><Path>/b/*</Path></Items></Paths></InvalidationBatch></Invalidation>`);
        const denied = answer(403, "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error></ErrorResponse>");

        assert.equal(ok, `cloudfront    POST /2020-05-31/distribution/${DIST}/invalidation -> 201: invalidation ${created.id} of /a.html, /b/*: InProgress`);
        assert.equal(denied, `cloudfront    POST /2020-05-31/distribution/${DIST}/invalidation -> 403: SignatureDoesNotMatch The request signature we calculated does not match `
            + "(the AWS keys are not the emulator's; set aws:accessKey and aws:secretKey as printed above)");
    });

    it("does not take a login page answered with 200, or a proxy's 502 page, for CloudFront's answer", async () => {
        emulator.inject([frontDoor.ssoLoginPage(), frontDoor.proxyError(502)]);
        const url = `${emulator.baseUrl}/2020-05-31/distribution/${DIST}/invalidation`;

        const login = await api().createInvalidation(["/a.html"], "r1").then(() => undefined, (e: Error) => e.message);
        const proxy = await api().createInvalidation(["/a.html"], "r2").then(() => undefined, (e: Error) => e.message);

        assert.equal(login, `cloudfront: POST ${url} returned 200 OK (text/html) instead of 201 with an XML <Invalidation> holding <Id> and <Status>: `
            + "\"Sign in - Corporate SSO\"; check that endpoint is CloudFront's API (https://cloudfront.amazonaws.com), not a proxy in front of it");
        assert.equal(proxy, `cloudfront: POST ${url} returned 502 Bad Gateway: "502 Bad Gateway"`);
        assert.equal(emulator.invalidations.length, 0);
    });
});
