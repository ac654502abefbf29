import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudFrontEmulator } from "../../src/services/cloudfront/emulator";
import { Invalidation } from "../../src/services/cloudfront/resource";
import { ProviderError, ProviderHost } from "../harness/provider-host";
import type { Props } from "../harness/sdk";
import { serializedProvider } from "../harness/serialize";
import { linkPackageIntoNodeModules, REPO_ROOT } from "../harness/workspace";

const URN = "urn:pulumi:test::p::pulumi-nodejs:dynamic/cloudfront:Invalidation::site";
const KEY_ID = "AKIAHOSTEXAMPLE00000";
const CANARY = "CANARY/host/cloudfront/secret/0123456789";
const DIST = "E1HOSTEXAMPLE";
/** The AWS SDK's chain must find nothing but what each test gives it. */
const NO_AWS = { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_SESSION_TOKEN: "", AWS_PROFILE: "", AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };

function pathMap(count: number, hash = "h1"): Record<string, string> {
    return Object.fromEntries(Array.from({ length: count }, (_, i) => [`/assets/${String(i).padStart(3, "0")}.js`, `${hash}-${i}`]));
}

describe("cloudfront through the provider host (gRPC, as the engine calls it)", function () {
    this.timeout(120_000);
    let host: ProviderHost;
    let emulator: CloudFrontEmulator;
    let provider: string;

    before(async () => {
        linkPackageIntoNodeModules();
        provider = await serializedProvider(() => new Invalidation("site", { distributionId: DIST, paths: ["/index.html"], accessKeyId: KEY_ID, secretAccessKey: CANARY }));
        // Static keys from the host's environment: how a CI runner with AWS_* variables runs `pulumi up`.
        host = await ProviderHost.start({ cwd: REPO_ROOT, env: { ...NO_AWS, AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: CANARY } });
        await host.configure({});
    });

    after(() => host.stop());

    beforeEach(async () => {
        emulator = await new CloudFrontEmulator({ accounts: { [KEY_ID]: CANARY }, distributions: [DIST] }).start();
    });

    afterEach(() => emulator.stop());

    async function checked(inputs: Props, olds: Props = {}): Promise<Props> {
        const result = await host.check(URN, olds, { endpoint: emulator.baseUrl, distributionId: DIST, ...inputs, __provider: provider });
        assert.deepEqual(result.failures, []);
        return result.inputs;
    }

    it("serializes to a small provider that holds no secret key", () => {
        assert.ok(provider.length <= 2_500, `__provider is ${provider.length} bytes`);
        assert.ok(!provider.includes(CANARY));
        assert.match(provider, /"pulumi-cache-purge\/provider\/cloudfront"/);
    });

    it("previews the 2 changed paths of 50 without a request, and the update invalidates exactly those, signed with the host's AWS_* keys", async () => {
        const before = pathMap(50);
        const inputs = await checked({ paths: before });
        const created = await host.create(URN, inputs);
        const after = { ...before, "/assets/007.js": "h2", "/assets/042.js": "h2" };
        const requestsAfterCreate = emulator.requests.length;

        const news = await checked({ paths: after }, inputs);
        const diff = await host.diff(URN, created.id, created.outputs, news);
        const requestsDuringPreview = emulator.requests.length - requestsAfterCreate;
        const outputs = await host.update(URN, created.id, created.outputs, news);

        const url = `${emulator.baseUrl}/2020-05-31/distribution/${DIST}/invalidation`;
        assert.equal(news.purgePlan, `purge 2 of 50 targets: /assets/007.js (trigger: h1-7 -> h2); /assets/042.js (trigger: h1-42 -> h2); 1 request: POST ${url} with 2 paths`);
        assert.equal(requestsDuringPreview, 0);
        assert.equal(diff.changes, "some");
        assert.deepEqual(emulator.invalidations.map((i) => i.paths.length), [50, 2]);
        assert.deepEqual(emulator.invalidations[1].paths, ["/assets/007.js", "/assets/042.js"]);
        assert.equal(emulator.signaturesVerified, 2);
        assert.equal((outputs.receipt as { details: Props }).details.invalidationId, emulator.invalidations[1].id);
        assert.equal(typeof outputs.paths, "string", "the path map travels and is stored as one JSON text");
        assert.ok(!JSON.stringify(outputs).includes(CANARY));
    });

    it("retries the update after a lost answer with the same CallerReference, and CloudFront's replay ends it: one invalidation", async () => {
        const inputs = await checked({ paths: pathMap(3) });
        const created = await host.create(URN, inputs);
        const news = await checked({ paths: pathMap(3, "h2"), timeoutMs: 400 }, inputs);
        emulator.inject({ kind: "delay", ms: 1_000 }, (r) => r.method === "POST");

        const lost = await host.update(URN, created.id, created.outputs, news).then(() => undefined, (e: ProviderError) => e);
        while (emulator.invalidations.length < 2) {
            await new Promise((r) => setTimeout(r, 50));
        }
        const outputs = await host.update(URN, created.id, created.outputs, news);

        assert.match(lost?.message ?? "", /no answer within 400 ms/);
        assert.equal(emulator.invalidations.length, 2);
        assert.equal(emulator.replays, 1);
        assert.equal((outputs.receipt as { details: Props }).details.invalidationId, emulator.invalidations[1].id);
    });

    it("refuses in check, through the engine's view, a plan over maxPathsPerDeployment and a path without its leading /", async () => {
        const result = await host.check(URN, {}, { endpoint: emulator.baseUrl, distributionId: DIST, paths: pathMap(3), maxPathsPerDeployment: 2, __provider: provider });
        const bad = await host.check(URN, {}, { endpoint: emulator.baseUrl, distributionId: DIST, paths: ["index.html"], __provider: provider });

        assert.deepEqual(result.failures, [{ property: "", reason: "paths: this update would invalidate 3 paths, more than maxPathsPerDeployment (2); "
            + "CloudFront bills every path past the account's first 1,000 a month: set collapseAbove to send /* instead, or raise maxPathsPerDeployment" }]);
        assert.deepEqual(bad.failures, [{ property: "", reason: "paths[0]: expected a path that starts with / (such as /index.html or /img/*), got \"index.html\"" }]);
        assert.equal(emulator.requests.length, 0);
    });
});

describe("cloudfront through the provider host of a project without the AWS SDK", function () {
    this.timeout(60_000);

    it("fails the create with the npm install command, and previews without it", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "no-aws-sdk-host-"));
        // The project's node_modules without @aws-sdk/client-cloudfront: resolution of it fails as in a project that never installed it.
        const hook = path.join(dir, "hide-aws-sdk.js");
        fs.writeFileSync(hook, `const Module = require("module");\nconst resolve = Module._resolveFilename;\n`
            + `Module._resolveFilename = function (request, ...rest) {\n  if (request === "@aws-sdk/client-cloudfront") {\n`
            + `    throw Object.assign(new Error("Cannot find module '" + request + "'"), { code: "MODULE_NOT_FOUND" });\n  }\n  return resolve.call(this, request, ...rest);\n};\n`);
        linkPackageIntoNodeModules();
        const provider = await serializedProvider(() => new Invalidation("site", { distributionId: DIST, paths: ["/index.html"] }));
        const host = await ProviderHost.start({ cwd: REPO_ROOT, env: { ...NO_AWS, AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: CANARY, NODE_OPTIONS: `--require ${hook}` } });
        try {
            await host.configure({});
            const checked = await host.check(URN, {}, { distributionId: DIST, paths: ["/index.html"], __provider: provider });

            const error = await host.create(URN, checked.inputs).then(() => undefined, (e: ProviderError) => e);

            assert.deepEqual(checked.failures, []);
            assert.equal(checked.inputs.purgePlan, `purge /index.html (created); 1 request: POST https://cloudfront.amazonaws.com/2020-05-31/distribution/${DIST}/invalidation with 1 path`);
            assert.equal(error?.message, "cloudfront: the AWS SDK for CloudFront (@aws-sdk/client-cloudfront) is not installed; it signs the requests and finds the AWS credentials. "
                + "Run `npm install @aws-sdk/client-cloudfront` in the Pulumi project (it is an optional peer dependency of pulumi-cache-purge, needed only for CloudFront)");
        } finally {
            await host.stop();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
