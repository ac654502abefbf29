import assert from "node:assert/strict";
import * as fs from "fs";
import { createRequire } from "module";
import * as os from "os";
import * as path from "path";
import { setProgressSink } from "../../src/core/progress-log";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import { CloudFrontEmulator } from "../../src/services/cloudfront/emulator";
import { cloudfrontService } from "../../src/services/cloudfront/service";
import { cloudFrontSdk } from "../../src/services/cloudfront/sdk";

type Props = Record<string, unknown>;
type Failure = Error & { id?: string; properties?: Props };

const KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const DIST = "E2QWRUHEXAMPLE";
const URN = "urn:pulumi:dev::site::pulumi-nodejs:dynamic/cloudfront:Invalidation::site";

/** The credentials a CI machine may carry: these tests choose their own. */
function clearAwsEnvironment(): void {
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"]) {
        delete process.env[name];
    }
}

describe("cloudfront invalidations against the emulator", function () {
    this.timeout(30_000);
    let emulator: CloudFrontEmulator;
    let log: string[];
    const provider = createProviderImplementation(cloudfrontService);

    beforeEach(async () => {
        emulator = await new CloudFrontEmulator({ accounts: { [KEY_ID]: SECRET }, distributions: [DIST] }).start();
        log = [];
        setProgressSink((_severity, message) => log.push(message));
    });

    afterEach(async () => {
        setProgressSink(undefined);
        await emulator.stop();
    });

    function inputs(extra: Props): Props {
        return { distributionId: DIST, endpoint: emulator.baseUrl, accessKeyId: KEY_ID, secretAccessKey: SECRET, maxRetries: 1, maxRetryDelayMs: 1000, __urn: URN, ...extra };
    }

    async function checked(extra: Props, olds: Props = {}): Promise<Props> {
        const result = await provider.check(olds, inputs(extra));
        assert.deepEqual(result.failures ?? [], []);
        return result.inputs;
    }

    async function failure(promise: Promise<unknown>): Promise<Failure> {
        return promise.then(() => assert.fail("expected the purge to fail"), (e: Failure) => e);
    }

    const endpointOf = () => `${emulator.baseUrl}/2020-05-31/distribution/${DIST}/invalidation`;

    it("invalidates every path in one signed CreateInvalidation and shows the paths and their count in the plan line", async () => {
        const news = await checked({ paths: { "/index.html": "h1", "/img/*": "h2" } });

        const created = await provider.create(news);

        assert.equal(news.purgePlan, `purge 2 of 2 targets: /index.html, /img/* (created); 1 request: POST ${endpointOf()} with 2 paths`);
        assert.deepEqual(emulator.invalidations.map((i) => i.paths), [["/index.html", "/img/*"]]);
        assert.equal(emulator.signaturesVerified, 1);
        assert.match(emulator.requests[0].headers.authorization ?? "", new RegExp(`^AWS4-HMAC-SHA256 Credential=${KEY_ID}/\\d{8}/us-east-1/cloudfront/aws4_request, `));
        const receipt = created.outs.receipt as { completion: string; count: number; requests: number; details: Props };
        assert.equal(receipt.completion, "accepted");
        assert.equal(receipt.count, 2);
        assert.equal(receipt.requests, 1);
        assert.deepEqual(receipt.details, { distributionId: DIST, invalidationId: emulator.invalidations[0].id,
            callerReference: emulator.invalidations[0].callerReference, paths: 2, status: "InProgress" });
    });

    it("with wait, polls GetInvalidation until Completed, says so in the log, and confirms the receipt", async () => {
        emulator.inProgressMs = 1_500;

        const created = await provider.create(await checked({ paths: ["/index.html"], wait: true }));

        const id = emulator.invalidations[0].id;
        const receipt = created.outs.receipt as { completion: string; details: Props };
        assert.equal(receipt.completion, "confirmed");
        assert.equal(receipt.details.status, "Completed");
        assert.ok(emulator.requestsTo("GET", new RegExp(`/invalidation/${id}$`)).length >= 2, "polled while InProgress");
        assert.ok(log.includes(`cloudfront: waiting for invalidation ${id} on distribution ${DIST} to complete (up to 900 s)`), log.join("\n"));
        assert.ok(log.some((line) => line.startsWith(`cloudfront: invalidation ${id} completed after `)), log.join("\n"));
    });

    it("fails a wait that outlasts waitTimeoutMs, naming the invalidation, and records the paths as purged so the next up does not pay again", async () => {
        emulator.inProgressMs = 60_000;

        const error = await failure(provider.create(await checked({ paths: ["/index.html"], wait: true, waitTimeoutMs: 1_000 })));

        const id = emulator.invalidations[0].id;
        assert.match(error.message, new RegExp(`^cloudfront: invalidation ${id} on distribution ${DIST} still InProgress after waiting 1(\\.\\d)? s, `
            + "the limit set by waitTimeoutMs \\(1 s\\); CloudFront accepted it and will finish on its own: raise waitTimeoutMs or set wait: false; "
            + "all 1 targets were accepted by the service and are recorded as purged"));
        assert.equal((error.properties?.receipt as { count: number }).count, 1);
    });

    it("on an update invalidates only the paths whose hash changed", async () => {
        const before = { "/index.html": "h1", "/app.js": "a1", "/img/logo.svg": "l1" };
        const first = await checked({ paths: before });
        const created = await provider.create(first);

        const preview = await checked({ paths: { ...before, "/app.js": "a2" } }, first);
        const diff = await provider.diff(created.id, created.outs, preview);
        const updated = await provider.update(created.id, created.outs, preview);

        assert.equal(diff.changes, true);
        assert.equal(preview.purgePlan, `purge 1 of 3 targets: /app.js (trigger: a1 -> a2); 1 request: POST ${endpointOf()} with 1 path`);
        assert.deepEqual(emulator.invalidations.map((i) => i.paths), [["/index.html", "/app.js", "/img/logo.svg"], ["/app.js"]]);
        assert.deepEqual((updated.outs.receipt as { targets: string[] }).targets, ["/app.js"]);
    });

    it("re-finds the same invalidation when the answer to the first try was lost, instead of creating and paying for a second", async () => {
        emulator.inject({ kind: "delay", ms: 1_500 }, (r) => r.method === "POST");
        const news = await checked({ paths: ["/index.html", "/about.html"], timeoutMs: 500 });

        const lost = await failure(provider.create(news));
        while (emulator.invalidations.length === 0) {
            await new Promise((r) => setTimeout(r, 50));
        }
        const retried = await provider.create(news);

        assert.match(lost.message, /no answer within 500 ms/);
        assert.equal(emulator.invalidations.length, 1);
        assert.equal(emulator.replays, 1);
        assert.equal((retried.outs.receipt as { details: Props }).details.invalidationId, emulator.invalidations[0].id);
    });

    it("gives each later deployment a new CallerReference, even one that takes a path back to content it had before", async () => {
        let olds = await checked({ paths: { "/index.html": "A" } });
        let outs = (await provider.create(olds)).outs;
        for (const hash of ["B", "A", "B"]) {
            const news = await checked({ paths: { "/index.html": hash } }, olds);
            await new Promise((r) => setTimeout(r, 5));
            outs = (await provider.update("cloudfront-1", outs, news)).outs;
            olds = news;
        }

        assert.equal(emulator.invalidations.length, 4);
        assert.equal(new Set(emulator.invalidations.map((i) => i.callerReference)).size, 4);
        assert.equal(emulator.replays, 0);
    });

    it("with purgeOnDelete, invalidates again on delete, even on the day it was created with the same content", async () => {
        const news = await checked({ paths: { "/index.html": "h1" }, purgeOnDelete: true });
        const created = await provider.create(news);

        await provider.delete(created.id, created.outs);

        assert.equal(emulator.invalidations.length, 2);
        assert.equal(emulator.replays, 0);
        assert.deepEqual(emulator.invalidations.map((i) => i.paths), [["/index.html"], ["/index.html"]]);
    });

    it("sends /* in place of more paths than collapseAbove, and says so in the plan and the receipt", async () => {
        const news = await checked({ paths: ["/a.html", "/b.html", "/c.html"], collapseAbove: 2 });

        const created = await provider.create(news);

        assert.equal(news.purgePlan, `purge 3 of 3 targets: /a.html, /b.html, /c.html (created); 1 request: POST ${endpointOf()} with 1 path (/* in place of 3 paths)`);
        assert.deepEqual(emulator.invalidations.map((i) => i.paths), [["/*"]]);
        assert.equal((created.outs.receipt as { details: Props }).details.collapsedTo, "/*");
        assert.equal(emulator.pathsBilled, 1);
    });

    it("refuses in preview an update over maxPathsPerDeployment or over CloudFront's in-progress limits, before any request", async () => {
        const many = Array.from({ length: 3001 }, (_, i) => `/f/${i}.html`);
        const wildcards = Array.from({ length: 16 }, (_, i) => `/d${i}/*`);

        const capped = await provider.check({}, inputs({ paths: ["/a", "/b", "/c"], maxPathsPerDeployment: 2 }));
        const tooManyFiles = await provider.check({}, inputs({ paths: many }));
        const tooManyWildcards = await provider.check({}, inputs({ paths: wildcards }));

        assert.deepEqual(capped.failures, [{ property: "paths", reason: "paths: this update would invalidate 3 paths, more than maxPathsPerDeployment (2); "
            + "CloudFront bills every path past the account's first 1,000 a month: set collapseAbove to send /* instead, or raise maxPathsPerDeployment" }]);
        assert.deepEqual(tooManyFiles.failures, [{ property: "paths", reason: "paths: this update would invalidate 3,001 file paths in one invalidation, more than "
            + "CloudFront's 3,000 file paths in progress per distribution; set collapseAbove (say 1000) to send /* instead, or purge a folder with a trailing *" }]);
        assert.deepEqual(tooManyWildcards.failures, [{ property: "paths", reason: "paths: this update would invalidate 16 wildcard paths in one invalidation, more than "
            + "CloudFront's 15 wildcard paths in progress per distribution; use fewer, wider wildcards, or set collapseAbove to send /* instead" }]);
        assert.equal(emulator.requests.length, 0);
    });

    it("refuses paths CloudFront would refuse, naming each one and the rule", async () => {
        const result = await provider.check({}, inputs({ paths: { "index.html": "h", "/a/*/b.png": "h", "/ok.html": 3 }, distributionId: "e2qw-bad" }));

        assert.deepEqual(result.failures?.map((f) => f.reason), [
            "distributionId: expected a distribution id: upper-case letters and digits, such as E2QWRUHEXAMPLE (the ID column of the CloudFront console)",
            "paths[\"index.html\"]: expected a path that starts with / (such as /index.html or /img/*), got \"index.html\"",
            "paths[\"/a/*/b.png\"]: a wildcard * is allowed only as the last character, got \"/a/*/b.png\"",
            "paths[\"/ok.html\"]: expected a content hash (a string), got 3",
        ]);
    });

    it("quotes CloudFront's error code and message for a distribution that does not exist, without retrying", async () => {
        const error = await failure(provider.create(await checked({ paths: ["/index.html"], distributionId: "E000000MISSING" })));

        assert.equal(error.message, `cloudfront: POST ${emulator.baseUrl}/2020-05-31/distribution/E000000MISSING/invalidation returned 404 Not Found: `
            + "\"NoSuchDistribution: The specified distribution does not exist.\"");
        assert.equal(emulator.requests.length, 1);
    });

    it("says the signature does not match for a wrong secret key, and never shows the key", async () => {
        const wrong = "WRONGsecretKEY/abcdefghijklmnopqrstuvwxyz1";

        const error = await failure(provider.create(await checked({ paths: ["/index.html"], secretAccessKey: wrong })));

        assert.equal(error.message, `cloudfront: POST ${endpointOf()} returned 403 Forbidden: "SignatureDoesNotMatch: The request signature we calculated `
            + "does not match the signature you provided. Check your AWS Secret Access Key and signing method.\"");
        assert.ok(!error.message.includes(wrong));
    });

    it("retries a 503 with the same signed request and CallerReference, and invalidates once", async () => {
        emulator.inject({ status: 503, body: "<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>Please try again</Message></Error></ErrorResponse>" });

        const created = await provider.create(await checked({ paths: ["/index.html"] }));

        assert.equal((created.outs.receipt as { retries: number }).retries, 1);
        assert.equal(emulator.invalidations.length, 1);
    });

    it("signs with a named profile's keys from the shared credentials file (the SDK's chain) and hides that secret in every message", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-profile-"));
        const profileSecret = "PROFILEsecret/0123456789abcdefghijklmnopqrst";
        emulator.accounts.set("AKIAPROFILEEXAMPLE00", profileSecret);
        fs.writeFileSync(path.join(dir, "credentials"), `[deploy]\naws_access_key_id = AKIAPROFILEEXAMPLE00\naws_secret_access_key = ${profileSecret}\n`);
        fs.writeFileSync(path.join(dir, "config"), "[profile deploy]\nregion = eu-west-1\n");
        const saved = { ...process.env };
        clearAwsEnvironment();
        Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "credentials"), AWS_CONFIG_FILE: path.join(dir, "config") });
        try {
            const news = await checked({ paths: ["/index.html"], accessKeyId: undefined, secretAccessKey: undefined, profile: "deploy" });
            await provider.create(news);
            emulator.inject({ status: 403, body: `<ErrorResponse><Error><Code>AccessDenied</Code><Message>denied for ${profileSecret}</Message></Error></ErrorResponse>` });
            const error = await failure(provider.create(await checked({ paths: ["/other.html"], accessKeyId: undefined, secretAccessKey: undefined, profile: "deploy" })));

            assert.equal(emulator.invalidations.length, 1);
            assert.match(emulator.requests[0].headers.authorization ?? "", /Credential=AKIAPROFILEEXAMPLE00\//);
            assert.equal(error.message, `cloudfront: POST ${endpointOf()} returned 403 Forbidden: "AccessDenied: denied for [secret]"`);
        } finally {
            process.env = saved;
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("says where credentials can come from when the SDK's chain finds none", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-none-"));
        const saved = { ...process.env };
        clearAwsEnvironment();
        Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "none"), AWS_CONFIG_FILE: path.join(dir, "none"), AWS_EC2_METADATA_DISABLED: "true" });
        try {
            const error = await failure(provider.create(await checked({ paths: ["/index.html"], accessKeyId: undefined, secretAccessKey: undefined })));

            assert.match(error.message, /^cloudfront: no AWS credentials found \(the AWS SDK said: ".+"\); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE/);
            assert.equal(emulator.requests.length, 0);
        } finally {
            process.env = saved;
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("cloudfront without the AWS SDK installed", () => {
    it("names the npm install command that adds it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "no-aws-sdk-"));
        // A require rooted in a project with no node_modules: what a user who never installed the SDK has.
        const requireInProject = createRequire(path.join(dir, "index.js"));

        try {
            assert.throws(() => cloudFrontSdk(requireInProject), {
                message: "cloudfront: the AWS SDK for CloudFront (@aws-sdk/client-cloudfront) is not installed; it signs the requests and finds the AWS credentials. "
                    + "Run `npm install @aws-sdk/client-cloudfront` in the Pulumi project (it is an optional peer dependency of pulumi-cache-purge, needed only for CloudFront)",
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
