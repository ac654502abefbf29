import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { TestEngine } from "../harness/test-engine";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../harness/workspace";
import { AppWebhookEmulator, BunnyPurgeEmulator, CloudflarePurgeEmulator, NetlifyPurgeEmulator, VercelInvalidateEmulator } from "../services/http-vendors";

type Config = Record<string, { value: string; secret?: boolean }>;

/**
 * The generic HTTP purge's recipes (examples/http*), each run through the SDK's runner against a local
 * server shaped as its vendor documents: preview without a request, the exact purge calls on up, none
 * on an unchanged up or a rotated credential, only the changed targets after a change.
 */
describe("http purge recipes (example programs through the SDK runner)", function () {
    this.timeout(120_000);
    let workspace: { dir: string; remove: () => void };

    before(linkPackageIntoNodeModules);

    beforeEach(() => {
        workspace = tempDir("http-recipes");
    });

    afterEach(() => workspace.remove());

    function engine(example: string, project: string, config: Config): TestEngine {
        return new TestEngine({
            programDir: path.join(REPO_ROOT, "examples", example), project, stack: "test",
            stateFile: path.join(workspace.dir, "state.json"), config,
        });
    }

    function siteCopy(example: string, folder = "site"): string {
        const dir = path.join(workspace.dir, folder);
        fs.cpSync(path.join(REPO_ROOT, "examples", example, folder), dir, { recursive: true });
        return dir;
    }

    it("Cloudflare by URL (examples/http): batches of files, success:true required, a failed batch resumed", async () => {
        const token = "CANARY-cloudflare-token-1a2b";
        const cdn = await new CloudflarePurgeEmulator("023e105f4ecef8ad9ca31a8372d0c353", token).start();
        try {
            const site = siteCopy("http");
            const config = (apiToken: string): Config => ({
                "http-cache-purge:purgeUrl": { value: cdn.purgeUrl }, "http-cache-purge:siteDir": { value: site },
                "http-cache-purge:batchSize": { value: "2" }, "http-cache-purge:maxRetries": { value: "0" }, "http-cache-purge:apiToken": { value: apiToken, secret: true },
            });
            cdn.refusedFiles.add("https://www.example.com/logo.svg");

            const preview = await engine("http", "http-cache-purge", config(token)).preview();
            const failed = await engine("http", "http-cache-purge", config(token)).up();
            cdn.refusedFiles.clear();
            const resumed = await engine("http", "http-cache-purge", config(token)).up();
            cdn.token = "CANARY-cloudflare-rotated-3c4d";
            const rotated = await engine("http", "http-cache-purge", config(cdn.token)).up();

            assert.equal(preview.steps[0].purgePlan, "purge 3 of 3 targets: https://www.example.com/app.css, https://www.example.com/index.html, https://www.example.com/logo.svg (created); "
                + `2 requests: POST ${cdn.purgeUrl} (Authorization: [secret], 2 targets in files), POST ${cdn.purgeUrl} (Authorization: [secret], 1 target in files)`);
            assert.equal(failed.errors[0], `http: POST ${cdn.purgeUrl} returned 400 Bad Request: "Purge request contains a URL not on this zone: https://www.example.com/logo.svg"; `
                + "2 of 3 targets purged, 1 left for the next pulumi up (https://www.example.com/logo.svg)");
            assert.equal(resumed.ok, true, resumed.errors.join("\n"));
            assert.deepEqual(cdn.purged, [["https://www.example.com/app.css", "https://www.example.com/index.html"], ["https://www.example.com/logo.svg"]]);
            assert.equal(rotated.ok, true, rotated.errors.join("\n"));
            assert.equal(cdn.requests.length, 3);
            const state = fs.readFileSync(path.join(workspace.dir, "state.json"), "utf8");
            assert.ok(!state.includes("CANARY-cloudflare"), "a token is in the state file");
        } finally {
            await cdn.stop();
        }
    });

    it("Bunny.net pull zone (examples/http-bunny): one POST /purge?url=… per changed file with the AccessKey header", async () => {
        const key = "CANARY-bunny-access-key-5e6f";
        const bunny = await new BunnyPurgeEmulator(key).start();
        try {
            const site = siteCopy("http-bunny");
            const config: Config = { "http-bunny-purge:apiUrl": { value: bunny.baseUrl }, "http-bunny-purge:siteDir": { value: site }, "http-bunny-purge:bunnyAccessKey": { value: key, secret: true } };
            const stack = engine("http-bunny", "http-bunny-purge", config);

            const preview = await stack.preview();
            await stack.up();
            const again = await stack.up();
            fs.writeFileSync(path.join(site, "logo.svg"), "<svg><title>new logo</title></svg>\n");
            const changed = await stack.preview();
            await stack.up();

            assert.equal(preview.steps[0].purgePlan, "purge 2 of 2 targets: https://example.b-cdn.net/app.css, https://example.b-cdn.net/logo.svg (created); 2 requests: "
                + `POST ${bunny.baseUrl}/purge?url=https%3A%2F%2Fexample.b-cdn.net%2Fapp.css&async=false (AccessKey: [secret]), `
                + `POST ${bunny.baseUrl}/purge?url=https%3A%2F%2Fexample.b-cdn.net%2Flogo.svg&async=false (AccessKey: [secret])`);
            assert.deepEqual(again.steps.map((s) => s.op), ["same"]);
            assert.match(changed.steps[0].purgePlan ?? "", /^purge 1 of 2 targets: https:\/\/example\.b-cdn\.net\/logo\.svg \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\); 1 request: POST /);
            assert.deepEqual(bunny.purged, ["https://example.b-cdn.net/app.css", "https://example.b-cdn.net/logo.svg", "https://example.b-cdn.net/logo.svg"]);
            assert.ok(bunny.requests.every((r) => r.headers.accesskey === key && r.query.async === "false"));
        } finally {
            await bunny.stop();
        }
    });

    it("Vercel tags (examples/http-vercel): only the changed tags, in one JSON array, and a 429 waited out by its X-RateLimit-Reset", async () => {
        const token = "CANARY-vercel-token-7a8b";
        const vercel = await new VercelInvalidateEmulator("my-shop", token).start();
        try {
            const config = (pricing: string): Config => ({
                "http-vercel-purge:apiUrl": { value: vercel.baseUrl }, "http-vercel-purge:vercelToken": { value: token, secret: true },
                "http-vercel-purge:productsHash": { value: "p1" }, "http-vercel-purge:pricingHash": { value: pricing }, "http-vercel-purge:postsHash": { value: "b1" },
            });

            await engine("http-vercel", "http-vercel-purge", config("r1")).up();
            const preview = await engine("http-vercel", "http-vercel-purge", config("r2")).preview();
            vercel.remaining = 0;
            const up = await engine("http-vercel", "http-vercel-purge", config("r2")).up();

            assert.equal(preview.steps[0].purgePlan, "purge 1 of 3 targets: pricing (trigger: r1 -> r2); "
                + `1 request: POST ${vercel.baseUrl}/v1/edge-cache/invalidate-by-tags?projectIdOrName=my-shop (Authorization: [secret], 1 target in tags)`);
            assert.equal(up.ok, true, up.errors.join("\n"));
            assert.deepEqual(vercel.invalidated, [["products", "pricing", "blog-posts"], ["pricing"]]);
            assert.deepEqual(vercel.requests.map((r) => JSON.parse(r.body).target), ["production", "production", "production"]);
        } finally {
            await vercel.stop();
        }
    });

    it("Netlify cache tags (examples/http-netlify): the changed tags in cache_tags, the token [secret] in preview, and a 429 retried until Netlify accepts the purge", async () => {
        // GIVEN a Netlify-shaped purge API for one site, and the example's content in a folder of its own
        const token = "CANARY-netlify-token-5b6c";
        const siteId = "3970e0fe-8564-4903-9a55-c5f8de49fb8b";
        const netlify = await new NetlifyPurgeEmulator(siteId, "my-shop", token).start();
        try {
            const content = siteCopy("http-netlify", "content");
            const stack = engine("http-netlify", "http-netlify-purge", {
                "http-netlify-purge:apiUrl": { value: netlify.baseUrl }, "http-netlify-purge:contentDir": { value: content },
                "http-netlify-purge:netlifyToken": { value: token, secret: true },
            });
            const purgeUrl = `${netlify.baseUrl}/api/v1/purge`;

            // WHEN it is previewed, brought up twice, the prices change, and it is previewed and brought up again
            // while Netlify's API-wide window is spent
            const preview = await stack.preview();
            const first = await stack.up();
            const again = await stack.up();
            fs.writeFileSync(path.join(content, "pricing", "prices.json"), '{"tee-01":"21.00 EUR","mug-02":"9.50 EUR"}\n');
            const changed = await stack.preview();
            netlify.remaining = 0;
            const up = await stack.up();

            // THEN preview shows the one request with the token as [secret] and sends nothing; the first up
            // purges the three tags in one request, the unchanged up none, the change only its tag, after one 429
            assert.equal(preview.steps[0].purgePlan, `purge 3 of 3 targets: products, pricing, blog-posts (created); 1 request: POST ${purgeUrl} (Authorization: [secret], 3 targets in cache_tags)`);
            assert.equal(first.ok, true, first.errors.join("\n"));
            assert.deepEqual(again.steps.map((s) => s.op), ["same"]);
            assert.equal(changed.steps[0].purgePlan?.replace(/\b[0-9a-f]{8}…/g, "HASH…"),
                `purge 1 of 3 targets: pricing (trigger: HASH… -> HASH…); 1 request: POST ${purgeUrl} (Authorization: [secret], 1 target in cache_tags)`);
            assert.equal(up.ok, true, up.errors.join("\n"));
            assert.deepEqual(netlify.purged, [{ tags: ["products", "pricing", "blog-posts"], deployAlias: undefined }, { tags: ["pricing"], deployAlias: undefined }]);
            assert.deepEqual(netlify.requests.map((r) => [r.method, r.path, r.headers.authorization, r.fields]), [
                ["POST", "/api/v1/purge", `Bearer ${token}`, { site_id: siteId, cache_tags: ["products", "pricing", "blog-posts"] }],
                ["POST", "/api/v1/purge", `Bearer ${token}`, { site_id: siteId, cache_tags: ["pricing"] }],
                ["POST", "/api/v1/purge", `Bearer ${token}`, { site_id: siteId, cache_tags: ["pricing"] }],
            ]);
            const state = fs.readFileSync(path.join(workspace.dir, "state.json"), "utf8");
            assert.ok(!state.includes("CANARY-netlify"), "the token is in the state file");
        } finally {
            await netlify.stop();
        }
    });

    it("Netlify cache tags (examples/http-netlify): an unknown site's 404 and a 200 that is not Netlify's 202 both fail the up, and nothing counts as purged", async () => {
        // GIVEN a Netlify-shaped purge API that knows another site, then answers one request with a plain 200
        const token = "CANARY-netlify-token-7d8e";
        const netlify = await new NetlifyPurgeEmulator("5b1c2d3e-0000-4000-8000-000000000000", "other-shop", token).start();
        try {
            const config = (siteId: string): Config => ({
                "http-netlify-purge:apiUrl": { value: netlify.baseUrl }, "http-netlify-purge:contentDir": { value: siteCopy("http-netlify", "content") },
                "http-netlify-purge:siteId": { value: siteId }, "http-netlify-purge:netlifyToken": { value: token, secret: true },
            });
            const purgeUrl = `${netlify.baseUrl}/api/v1/purge`;

            // WHEN the example names a site Netlify does not know, then the right site behind an answer of 200
            const unknown = await engine("http-netlify", "http-netlify-purge", config("3970e0fe-8564-4903-9a55-c5f8de49fb8b")).up();
            netlify.inject({ status: 200, body: "OK", headers: { "content-type": "text/plain" } });
            const notAccepted = await engine("http-netlify", "http-netlify-purge", config("5b1c2d3e-0000-4000-8000-000000000000")).up();

            // THEN each up fails quoting the answer, and Netlify recorded no purge
            assert.equal(unknown.errors[0], `http: POST ${purgeUrl} returned 404 Not Found: "Site not found"`);
            assert.equal(notAccepted.errors[0], `http: POST ${purgeUrl} returned 200 OK (text/plain) instead of a status in success.statuses (202): "OK"; `
                + "check request.url, or list this status in success.statuses if the API documents it as success");
            assert.deepEqual(netlify.purged, []);
            assert.equal(netlify.requests.length, 2);
        } finally {
            await netlify.stop();
        }
    });

    it("an app's own webhook (examples/http-webhook): POST /admin/cache/clear with a bearer token when a trigger changes, 204 or fail", async () => {
        const token = "CANARY-app-admin-token-9c0d";
        const app = await new AppWebhookEmulator(token).start();
        try {
            const config = (release: string, adminToken = token): Config => ({
                "http-webhook-purge:appUrl": { value: app.baseUrl }, "http-webhook-purge:release": { value: release },
                "http-webhook-purge:schemaHash": { value: "s1" }, "http-webhook-purge:adminToken": { value: adminToken, secret: true },
            });

            const preview = await engine("http-webhook", "http-webhook-purge", config("v1")).preview();
            await engine("http-webhook", "http-webhook-purge", config("v1")).up();
            const refused = await engine("http-webhook", "http-webhook-purge", config("v2", "CANARY-wrong-token-1e2f")).up();
            const up = await engine("http-webhook", "http-webhook-purge", config("v2")).up();

            assert.equal(preview.steps[0].purgePlan, `purge cache (created); 1 request: POST ${app.baseUrl}/admin/cache/clear (Authorization: [secret])`);
            assert.equal(refused.errors[0], `http: POST ${app.baseUrl}/admin/cache/clear returned 401 Unauthorized: "invalid token"`);
            assert.equal(up.ok, true, up.errors.join("\n"));
            assert.equal(app.clears, 2);
            // Debug lines are the SDK's own trace of the RPCs (the secret there travels wrapped), never shown without -v.
            const shown = JSON.stringify([refused.errors, ...[refused.log, up.log].map((log) => log.filter((l) => l.severity !== "debug"))]);
            assert.ok(!shown.includes("CANARY-"), `a token is shown: ${shown}`);
        } finally {
            await app.stop();
        }
    });
});
