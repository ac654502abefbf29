import assert from "node:assert/strict";
import * as path from "path";
import { CloudflareEmulator } from "../../src/services/cloudflare/emulator";
import { CloudFrontEmulator } from "../../src/services/cloudfront/emulator";
import { FastlyEmulator } from "../../src/services/fastly/emulator";
import { HttpEmulator } from "../../src/services/http/emulator";
import { ProviderHost } from "../harness/provider-host";
import { isSecretValue, type Props, wrapSecret } from "../harness/sdk";
import { REPO_ROOT } from "../harness/workspace";

const PLUGIN = path.join(REPO_ROOT, "dist", "plugin", "main.js");
const CLOUDFLARE_TOKEN = "CANARY-plugin-cloudflare-9d2e";
const FASTLY_TOKEN = "CANARY-plugin-fastly-3c7a";
const HTTP_BEARER = "Bearer CANARY-plugin-http-5f1b";
const AWS_KEY_ID = "AKIAPLUGINEXAMPLE000";
const AWS_SECRET = "CANARY-plugin-aws-secret-8e4c";
const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
const FASTLY_SERVICE = "SU1Z0isxPaozGVKXdv0eY";
const DISTRIBUTION = "E2QWRUHEXAMPLE";

/** The properties as a user could read them: every secret the engine would encrypt shown as `[secret]`. */
function plaintext(props: Props): string {
    return JSON.stringify(props, (_key, value: unknown) => (isSecretValue(value) ? "[secret]" : value));
}

/**
 * The services added after the plugin's first five, through `pulumi-resource-cache-purge` over gRPC
 * (built: `npm run build`), each against its emulator: inputs arrive as the engine sends them, secrets
 * wrapped, and the stored inputs, outputs and plan line must keep every credential out of plaintext.
 */
describe("the cache-purge provider plugin over gRPC, for CloudFront, Cloudflare, Fastly and HTTP", function () {
    this.timeout(60_000);
    let host: ProviderHost;

    before(async () => {
        host = await ProviderHost.start({
            cwd: REPO_ROOT,
            hostScript: PLUGIN,
            env: { CLOUDFLARE_API_TOKEN: "", FASTLY_API_TOKEN: "", AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "" },
        });
        await host.configure({ cloudflareApiToken: CLOUDFLARE_TOKEN });
    });

    after(() => host.stop());

    it("purges a Cloudflare zone's files and tags with the token from Configure, then only the file whose hash changed", async () => {
        // GIVEN a zone the configured token may purge, and a file map and a tag list
        const api = await new CloudflareEmulator({ tokens: { [CLOUDFLARE_TOKEN]: [ZONE] }, zones: [ZONE], plan: "pro" }).start();
        try {
            const urn = "urn:pulumi:dev::site::cache-purge:cloudflare:ZonePurge::zone";
            const inputs = (css: string) => ({ baseUrl: api.baseUrl, zoneId: ZONE, plan: "pro", files: { "https://www.example.com/a.css": css, "https://www.example.com/b.js": "h1" }, tags: ["blog"] });

            // WHEN the engine checks and creates it, then changes one file's hash
            const checked = await host.check(urn, {}, inputs("h1"));
            const created = await host.create(urn, checked.inputs);
            const rechecked = await host.check(urn, checked.inputs, inputs("h2"));
            const diff = await host.diff(urn, created.id, created.outputs, rechecked.inputs);
            await host.update(urn, created.id, created.outputs, rechecked.inputs);

            // THEN both files and the tag were purged on create, and only the changed file on update
            assert.deepEqual(checked.failures, []);
            assert.match(String(checked.inputs.purgePlan), /^purge 3 of 3 targets: file https:\/\/www\.example\.com\/a\.css, file https:\/\/www\.example\.com\/b\.js, tag blog \(created\)/);
            assert.deepEqual(api.purges.map((p) => [p.kind, p.values]), [["files", ["https://www.example.com/a.css", "https://www.example.com/b.js"]], ["tags", ["blog"]], ["files", ["https://www.example.com/a.css"]]]);
            assert.equal(diff.changes, "some");
            assert.match(String(rechecked.inputs.purgePlan), /^purge 1 of 3 targets: file https:\/\/www\.example\.com\/a\.css \(trigger: /);
            assert.ok(!plaintext(created.outputs).includes(CLOUDFLARE_TOKEN) && !plaintext(rechecked.inputs).includes(CLOUDFLARE_TOKEN));
        } finally {
            await api.stop();
        }
    });

    it("soft-purges Fastly surrogate keys with a token that came in plain, and stores that token only as a secret", async () => {
        // GIVEN a token passed as a plain input, as a YAML program that forgot `fn::secret` sends it
        const api = await new FastlyEmulator({ tokens: { [FASTLY_TOKEN]: { scopes: ["purge_select"] } }, services: [FASTLY_SERVICE] }).start();
        try {
            const urn = "urn:pulumi:dev::site::cache-purge:fastly:Purge::cdn";
            const news = { baseUrl: api.baseUrl, serviceId: FASTLY_SERVICE, apiToken: FASTLY_TOKEN, surrogateKeys: { blog: "h1", "product-42": "h1" }, softPurge: true };

            // WHEN the engine checks and creates it
            const checked = await host.check(urn, {}, news);
            const created = await host.create(urn, checked.inputs);

            // THEN Fastly got one soft purge of both keys, and the token is a secret in the inputs and outputs
            assert.deepEqual(checked.failures, []);
            assert.deepEqual(api.purges.map((p) => [p.kind, p.serviceId, [...p.names].sort(), p.soft]), [["keys", FASTLY_SERVICE, ["blog", "product-42"], true]]);
            assert.equal(api.requests[0].headers["fastly-key"], FASTLY_TOKEN);
            assert.deepEqual(checked.inputs.apiToken, wrapSecret(FASTLY_TOKEN));
            assert.deepEqual(created.outputs.apiToken, wrapSecret(FASTLY_TOKEN));
            assert.match(String(checked.inputs.purgePlan), /^purge 2 of 2 targets: key blog, key product-42 \(created\)/);
            assert.ok(!plaintext(created.outputs).includes(FASTLY_TOKEN) && !String(checked.inputs.purgePlan).includes(FASTLY_TOKEN));
        } finally {
            await api.stop();
        }
    });

    it("sends the HTTP purge's batches with its secret headers, and keeps secretHeaders secret even when it came in plain", async () => {
        // GIVEN a JSON batch endpoint, a bearer header passed plain, and three targets in batches of two
        const api = await new HttpEmulator().start();
        try {
            const urn = "urn:pulumi:dev::site::cache-purge:http:Purge::hook";
            const news = {
                request: { url: `${api.baseUrl}/purge`, json: { reason: "deploy" } },
                secretHeaders: { Authorization: HTTP_BEARER },
                targets: ["https://cdn.example.com/a", "https://cdn.example.com/b", "https://cdn.example.com/c"],
                batch: { size: 2, jsonPath: "files" },
            };

            // WHEN the engine checks and creates it
            const checked = await host.check(urn, {}, news);
            const created = await host.create(urn, checked.inputs);

            // THEN two requests carried the targets and the header, and the header is nowhere in plaintext
            assert.deepEqual(checked.failures, []);
            assert.deepEqual(api.requests.map((r) => [r.method, r.path, r.headers.authorization, r.fields]), [
                ["POST", "/purge", HTTP_BEARER, { reason: "deploy", files: ["https://cdn.example.com/a", "https://cdn.example.com/b"] }],
                ["POST", "/purge", HTTP_BEARER, { reason: "deploy", files: ["https://cdn.example.com/c"] }],
            ]);
            assert.deepEqual(checked.inputs.secretHeaders, wrapSecret({ Authorization: HTTP_BEARER }));
            assert.deepEqual(created.outputs.secretHeaders, wrapSecret({ Authorization: HTTP_BEARER }));
            assert.match(String(checked.inputs.purgePlan), /2 requests: POST http:\/\/127\.0\.0\.1:\d+\/purge \(Authorization: \[secret\], 2 targets in files\)/);
            assert.ok(!plaintext(created.outputs).includes("CANARY") && !plaintext(checked.inputs).includes("CANARY"), plaintext(created.outputs));
        } finally {
            await api.stop();
        }
    });

    it("invalidates CloudFront paths, signed with a secret key that came in secret, through the AWS SDK the plugin loads", async () => {
        // GIVEN a distribution, static keys (the secret one wrapped) and a path map
        const api = await new CloudFrontEmulator({ accounts: { [AWS_KEY_ID]: AWS_SECRET }, distributions: [DISTRIBUTION] }).start();
        try {
            const urn = "urn:pulumi:dev::site::cache-purge:cloudfront:Invalidation::site";
            const news = { endpoint: api.baseUrl, distributionId: DISTRIBUTION, accessKeyId: AWS_KEY_ID, secretAccessKey: wrapSecret(AWS_SECRET), paths: { "/index.html": "h1", "/assets/app.js": "h1" } };

            // WHEN the engine checks and creates it
            const checked = await host.check(urn, {}, news);
            const created = await host.create(urn, checked.inputs);

            // THEN one invalidation of both paths, signed with the key, and the key never in plaintext
            assert.deepEqual(checked.failures, []);
            assert.deepEqual(api.invalidations.map((i) => [i.distributionId, [...i.paths].sort()]), [[DISTRIBUTION, ["/assets/app.js", "/index.html"]]]);
            assert.ok(api.signaturesVerified >= 1);
            assert.match(String(checked.inputs.purgePlan), /^purge 2 of 2 targets: \/assets\/app\.js, \/index\.html \(created\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/2020-05-31\/distribution\/E2QWRUHEXAMPLE\/invalidation with 2 paths$/);
            assert.deepEqual(created.outputs.secretAccessKey, wrapSecret(AWS_SECRET));
            assert.ok(!plaintext(created.outputs).includes(AWS_SECRET) && !plaintext(checked.inputs).includes(AWS_SECRET));
        } finally {
            await api.stop();
        }
    });
});
