import * as fs from "fs";
import * as path from "path";
import { BuddyEmulator, CloudflareEmulator, CloudFrontEmulator, CodemagicEmulator, type Emulator, FastlyEmulator, FlextypeEmulator, ImageKitEmulator, MicroStrategyEmulator } from "../../src/testing";
import type { StackConfig } from "../harness/pulumi-cli";
import { HTTP_TOKEN, httpExample } from "./http-fixture";
import { AppWebhookEmulator } from "../services/http-vendors";
import { httpNetlifyExample, NETLIFY_TOKEN } from "./http-netlify-fixture";

const APP = "60ddd0b747960e00124747cb";
const FLEXTYPE_TOKEN = "5f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c";

/** One example's world: its emulators, the stack config that points the example at them, and what to expect. */
export interface RunningExample {
    readonly config: StackConfig;
    /** Purge calls the emulators received so far (not logins, lists or status polls). */
    purges(): number;
    /** Every request the emulators received so far. */
    requests(): number;
    /** Makes the emulators ready for the purges that follow a content change (Codemagic's caches are gone). */
    reseed(): void;
    /** Each credential with a new value, as `pulumi config set --secret` rotates it. */
    readonly rotated: StackConfig;
    stop(): Promise<void>;
}

export interface ExampleFixture {
    /** The folder under examples/. */
    readonly example: string;
    start(): Promise<RunningExample>;
    /** Edits what one purge of the example depends on, in the copy, or returns the config that changes. */
    change(dir: string): StackConfig | void;
    /** Lines `pulumi preview` must show, one per purge resource, before the first up. */
    readonly createPlans: readonly RegExp[];
    readonly purgesOnCreate: number;
    /** Lines `pulumi preview` must show after `change`. */
    readonly changePlans: readonly RegExp[];
    readonly purgesOnChange: number;
}

/** Credentials whose value must never appear in plaintext, whatever the example. */
export const CANARIES = {
    flextypeAccess: "CANARY-flextype-access-5a1e",
    imagekitKey: "private_CANARY-imagekit-9d2c",
    codemagicToken: "CANARY-codemagic-token-3b7f",
    microstrategyPassword: "CANARY-mstr-password-8e4a",
    buddyToken: "CANARY-buddy-token-6c0d",
    awsSecretKey: "CANARY/aws/secret/key/4d8b",
    cloudflareToken: "CANARY-cloudflare-token-4e1a",
    fastlyToken: "CANARY-fastly-token-7b3e",
    rotated: "CANARY-rotated-credential-2f9b",
    httpToken: HTTP_TOKEN,
    netlifyToken: NETLIFY_TOKEN,
} as const;

function running(emulators: readonly Emulator[], config: StackConfig, rotated: StackConfig, purges: () => number, reseed = () => {}): RunningExample {
    return {
        config, rotated, purges, reseed,
        requests: () => emulators.reduce((n, e) => n + e.requests.length, 0),
        stop: async () => { await Promise.all(emulators.map((e) => e.stop())); },
    };
}

const secret = (value: string) => ({ value, secret: true });

async function flextype(): Promise<FlextypeEmulator> {
    return new FlextypeEmulator({ [FLEXTYPE_TOKEN]: { accessToken: CANARIES.flextypeAccess } }).start();
}

async function imagekit(): Promise<ImageKitEmulator> {
    return new ImageKitEmulator({ privateKey: CANARIES.imagekitKey }).start();
}

async function codemagic(): Promise<{ emulator: CodemagicEmulator; reseed: () => void }> {
    const emulator = await new CodemagicEmulator().start();
    emulator.addToken(CANARIES.codemagicToken);
    emulator.deletionDelayMs = 50;
    const reseed = () => { emulator.addApp(APP, [{ workflowId: "build-ipa", size: 127_793_163 }, { workflowId: "build-apk", size: 59_377_366 }]); };
    reseed();
    return { emulator, reseed };
}

async function microstrategy(): Promise<MicroStrategyEmulator> {
    return new MicroStrategyEmulator({
        users: { administrator: CANARIES.microstrategyPassword },
        projects: [{ id: "B7CA92F04B9FAE8D941C3E9B7E0CD754", name: "MicroStrategy Tutorial" }],
    }).start();
}

async function buddy(pipelines: Array<{ id: number; name: string }>, project: string): Promise<BuddyEmulator> {
    return new BuddyEmulator({
        tokens: { [CANARIES.buddyToken]: { scopes: ["EXECUTION_MANAGE"] } },
        workspaces: { acme: { projects: { [project]: pipelines.map((p) => ({ ...p, last_execution_status: "SUCCESSFUL" })) } } },
    }).start();
}

const AWS_KEY_ID = "AKIACLIEXAMPLE000000";
const DISTRIBUTION = "E2QWRUHEXAMPLE";
const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
const FASTLY_SERVICE = "SU1Z0isxPaozGVKXdv0eY";

async function cloudfront(): Promise<CloudFrontEmulator> {
    return new CloudFrontEmulator({ accounts: { [AWS_KEY_ID]: CANARIES.awsSecretKey }, distributions: [DISTRIBUTION] }).start();
}

async function cloudflare(plan?: "pro"): Promise<CloudflareEmulator> {
    return new CloudflareEmulator({ tokens: { [CANARIES.cloudflareToken]: [ZONE], [CANARIES.rotated]: [ZONE] }, zones: [ZONE], plan }).start();
}

async function fastly(): Promise<FastlyEmulator> {
    return new FastlyEmulator({ tokens: { [CANARIES.fastlyToken]: { scopes: ["purge_select"] } }, services: [FASTLY_SERVICE] }).start();
}

const flextypeCredentials = (): StackConfig => ({
    "cache-purge:flextypeToken": secret(FLEXTYPE_TOKEN),
    "cache-purge:flextypeAccessToken": secret(CANARIES.flextypeAccess),
});

// Where @pulumi/aws reads its keys: a stack that deploys AWS sets nothing new.
const awsCredentials = (): StackConfig => ({
    "aws:accessKey": { value: AWS_KEY_ID },
    "aws:secretKey": secret(CANARIES.awsSecretKey),
});

export const EXAMPLES: readonly ExampleFixture[] = [
    cloudflareExample(),
    fastlyExample(),
    {
        example: "flextype",
        async start() {
            const cms = await flextype();
            return running([cms], {
                "flextype-cache-purge:baseUrl": { value: cms.baseUrl },
                ...flextypeCredentials(),
            }, { "cache-purge:flextypeAccessToken": secret(CANARIES.rotated) }, () => cms.clears);
        },
        change: (dir) => fs.appendFileSync(path.join(dir, "content", "home.md"), "subtitle: Now with news\n"),
        createPlans: [/flextype: purge cache \(created\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/cache\/clear/],
        purgesOnCreate: 1,
        changePlans: [/flextype: purge cache \(trigger entries: [0-9a-f]{8}… -> [0-9a-f]{8}…\); 1 request: POST /],
        purgesOnChange: 1,
    },
    {
        example: "imagekit",
        async start() {
            const cdn = await imagekit();
            return running([cdn], {
                "imagekit-url-purge:baseUrl": { value: cdn.baseUrl },
                "imagekit-url-purge:urlBase": { value: "https://ik.imagekit.io/acme/images" },
                "imagekit-url-purge:wait": { value: "true" },
                "cache-purge:imagekitPrivateKey": secret(CANARIES.imagekitKey),
            }, { "cache-purge:imagekitPrivateKey": secret(CANARIES.rotated) }, () => cdn.purges.length);
        },
        change: (dir) => fs.writeFileSync(path.join(dir, "images", "logo.svg"), "<svg><title>new logo</title></svg>\n"),
        createPlans: [/imagekit: purge 3 of 3 targets: .*\(created\)/],
        purgesOnCreate: 3,
        changePlans: [/imagekit: purge 1 of 3 targets: https:\/\/ik\.imagekit\.io\/acme\/images\/logo\.svg \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\)/],
        purgesOnChange: 1,
    },
    {
        example: "codemagic",
        async start() {
            const { emulator, reseed } = await codemagic();
            return running([emulator], {
                "codemagic-cache-purge:baseUrl": { value: emulator.baseUrl },
                "codemagic-cache-purge:appId": { value: APP },
                "cache-purge:codemagicToken": secret(CANARIES.codemagicToken),
            }, { "cache-purge:codemagicToken": secret(CANARIES.rotated) }, () => emulator.deletions.length, reseed);
        },
        change: (dir) => fs.appendFileSync(path.join(dir, "ios", "Podfile.lock"), "  - Firebase (11.0.0)\n"),
        createPlans: [/codemagic: purge 2 of 2 targets: build-apk, build-ipa \(created\)/],
        purgesOnCreate: 2,
        changePlans: [/codemagic: purge 1 of 2 targets: build-ipa \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\)/],
        purgesOnChange: 1,
    },
    {
        example: "microstrategy",
        async start() {
            const bi = await microstrategy();
            return running([bi], {
                "microstrategy-cache-purge:baseUrl": { value: bi.baseUrl },
                "microstrategy-cache-purge:projectName": { value: "MicroStrategy Tutorial" },
                "microstrategy-cache-purge:schemaHash": { value: "schema-v1" },
                "microstrategy-cache-purge:dataHash": { value: "load-2026-12-01" },
                "cache-purge:microstrategyUsername": { value: "administrator" },
                "cache-purge:microstrategyPassword": secret(CANARIES.microstrategyPassword),
            }, { "cache-purge:microstrategyPassword": secret(CANARIES.rotated) }, () => bi.purges.length);
        },
        // The example's triggers are stack config: a nightly load changes the data hash.
        change: () => ({ "microstrategy-cache-purge:dataHash": { value: "load-2026-12-02" } }),
        createPlans: [/microstrategy: purge 2 of 2 targets: element, object \(created\)/],
        purgesOnCreate: 2,
        changePlans: [/microstrategy: purge 1 of 2 targets: element \(trigger: load-202… -> load-202…\)/],
        purgesOnChange: 1,
    },
    {
        example: "buddy",
        async start() {
            const ci = await buddy([{ id: 2, name: "Build web" }, { id: 5, name: "Build api" }], "company-website");
            return running([ci], {
                "buddy-cache-purge:baseUrl": { value: ci.baseUrl },
                "cache-purge:buddyToken": secret(CANARIES.buddyToken),
            }, { "cache-purge:buddyToken": secret(CANARIES.rotated) }, () => ci.clears.length);
        },
        change: (dir) => fs.writeFileSync(path.join(dir, "web", "package-lock.json"), "{ \"lockfileVersion\": 3, \"react\": \"19.1.0\" }\n"),
        createPlans: [/buddy: purge 2 of 2 targets: pipeline 2, pipeline 5 \(created\)/],
        purgesOnCreate: 2,
        changePlans: [/buddy: purge 1 of 2 targets: pipeline 2 \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\)/],
        purgesOnChange: 1,
    },
    {
        example: "cloudfront",
        async start() {
            const cdn = await cloudfront();
            return running([cdn], {
                "cloudfront-invalidation:endpoint": { value: cdn.baseUrl },
                "cloudfront-invalidation:distributionId": { value: DISTRIBUTION },
                "cloudfront-invalidation:wait": { value: "true" },
                ...awsCredentials(),
            }, { "aws:secretKey": secret(CANARIES.rotated) }, () => cdn.invalidations.length);
        },
        change: (dir) => fs.writeFileSync(path.join(dir, "site", "assets", "app.js"), "document.querySelector(\"h1\").textContent += \" (v2)\";\n"),
        createPlans: [/cloudfront: purge 4 of 4 targets: \/about\.html, \/assets\/app\.js, \/assets\/style\.css, \/index\.html \(created\); 2 requests: POST http:\/\/127\.0\.0\.1:\d+\/2020-05-31\/distribution\/E2QWRUHEXAMPLE\/invalidation with 4 paths, GET /],
        purgesOnCreate: 1,
        changePlans: [/cloudfront: purge 1 of 4 targets: \/assets\/app\.js \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\); 2 requests: POST \S+ with 1 path, GET /],
        purgesOnChange: 1,
    },
    {
        example: "all",
        async start() {
            const cms = await flextype();
            const cdn = await imagekit();
            const mobile = await codemagic();
            const bi = await microstrategy();
            const ci = await buddy([{ id: 101, name: "Build web" }], "shop");
            const assets = await cloudfront();
            const pages = await cloudflare();
            const api = await fastly();
            const app = await new AppWebhookEmulator(HTTP_TOKEN).start();
            return running([cms, cdn, mobile.emulator, bi, ci, assets, pages, api, app], {
                "all-cache-purges:flextypeUrl": { value: cms.baseUrl },
                "all-cache-purges:imagekitUrl": { value: cdn.baseUrl },
                "all-cache-purges:codemagicUrl": { value: mobile.emulator.baseUrl },
                "all-cache-purges:microstrategyUrl": { value: bi.baseUrl },
                "all-cache-purges:buddyUrl": { value: ci.baseUrl },
                "all-cache-purges:cloudfrontEndpoint": { value: assets.baseUrl },
                "all-cache-purges:cloudflareUrl": { value: pages.baseUrl },
                "all-cache-purges:fastlyUrl": { value: api.baseUrl },
                "all-cache-purges:appUrl": { value: app.baseUrl },
                "all-cache-purges:appToken": secret(HTTP_TOKEN),
                ...flextypeCredentials(),
                "cache-purge:imagekitPrivateKey": secret(CANARIES.imagekitKey),
                "cache-purge:codemagicToken": secret(CANARIES.codemagicToken),
                "cache-purge:microstrategyUsername": { value: "administrator" },
                "cache-purge:microstrategyPassword": secret(CANARIES.microstrategyPassword),
                "cache-purge:buddyToken": secret(CANARIES.buddyToken),
                ...awsCredentials(),
                "cache-purge:cloudflareApiToken": secret(CANARIES.cloudflareToken),
                "cache-purge:fastlyApiToken": secret(CANARIES.fastlyToken),
            }, {
                "cache-purge:buddyToken": secret(CANARIES.rotated),
                "cache-purge:codemagicToken": secret(`${CANARIES.rotated}-2`),
                "aws:secretKey": secret(`${CANARIES.rotated}-3`),
                "cache-purge:cloudflareApiToken": secret(CANARIES.rotated),
                "cache-purge:fastlyApiToken": secret(`${CANARIES.rotated}-4`),
                "all-cache-purges:appToken": secret(`${CANARIES.rotated}-5`),
            }, () => cms.clears + cdn.purges.length + mobile.emulator.deletions.length + bi.purges.length + ci.clears.length
                + assets.invalidations.length + pages.purges.length + api.purges.length + app.clears, mobile.reseed);
        },
        change: (dir) => {
            fs.writeFileSync(path.join(dir, "site", "img", "logo.svg"), "<svg><title>new logo</title></svg>\n");
            fs.appendFileSync(path.join(dir, "site", "ios", "Podfile.lock"), "  - Firebase (11.0.0)\n");
        },
        createPlans: [
            /flextype: purge cache \(created\)/,
            /imagekit: purge 2 of 2 targets: .*\(created\)/,
            /codemagic: purge 2 of 2 targets: build-apk, build-ipa \(created\)/,
            /microstrategy: purge 2 of 2 targets: element, object \(created\)/,
            /buddy: purge pipeline 101 \(created\)/,
            /cloudfront: purge 2 of 2 targets: \/img\/hero\.svg, \/img\/logo\.svg \(created\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/2020-05-31\/distribution\/E2QWRUHEXAMPLE\/invalidation with 2 paths/,
            /cloudflare: purge tag content \(created\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/client\/v4\/zones\/023e105f4ecef8ad9ca31a8372d0c353\/purge_cache \(1 tag\)/,
            /fastly: purge key orders \(created\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/service\/SU1Z0isxPaozGVKXdv0eY\/purge \(1 key\)/,
            /http: purge cache \(created\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/admin\/cache\/clear \(Authorization: \[secret\]\)/,
        ],
        purgesOnCreate: 1 + 2 + 2 + 2 + 1 + 1 + 1 + 1 + 1,
        changePlans: [
            /imagekit: purge 1 of 2 targets: https:\/\/ik\.imagekit\.io\/acme\/img\/logo\.svg \(trigger: /,
            /codemagic: purge 1 of 2 targets: build-ipa \(trigger: /,
            /cloudfront: purge 1 of 2 targets: \/img\/logo\.svg \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\); 1 request: POST \S+ with 1 path/,
        ],
        purgesOnChange: 3,
    },
    httpExample,
    httpNetlifyExample,
];

/** The Cloudflare example: its files by URL and its blog by cache tag, against one zone. */
function cloudflareExample(): ExampleFixture {
    return {
        example: "cloudflare",
        async start() {
            const api = await cloudflare("pro");
            return running([api], {
                "cloudflare-zone-purge:baseUrl": { value: api.baseUrl },
                "cloudflare-zone-purge:zoneId": { value: ZONE },
                "cloudflare-zone-purge:plan": { value: "pro" },
                "cache-purge:cloudflareApiToken": secret(CANARIES.cloudflareToken),
            }, { "cache-purge:cloudflareApiToken": secret(CANARIES.rotated) }, () => api.purges.length);
        },
        change: (dir) => fs.appendFileSync(path.join(dir, "site", "blog", "first-post.html"), "<p>Updated.</p>\n"),
        createPlans: [/cloudflare: purge 4 of 4 targets: file https:\/\/www\.example\.com\/blog\/first-post\.html, file https:\/\/www\.example\.com\/css\/site\.css, file https:\/\/www\.example\.com\/js\/app\.js, tag blog \(created\); 2 requests: POST http:\/\/127\.0\.0\.1:\d+\/client\/v4\/zones\/023e105f4ecef8ad9ca31a8372d0c353\/purge_cache \(3 files\)/],
        purgesOnCreate: 2,
        changePlans: [/cloudflare: purge 2 of 4 targets: file https:\/\/www\.example\.com\/blog\/first-post\.html \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\); tag blog \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\)/],
        purgesOnChange: 2,
    };
}

/** The Fastly example: the blog by surrogate key and the home page by URL, soft-purged. */
function fastlyExample(): ExampleFixture {
    return {
        example: "fastly",
        async start() {
            const api = await fastly();
            return running([api], {
                "fastly-purge:baseUrl": { value: api.baseUrl },
                "fastly-purge:serviceId": { value: FASTLY_SERVICE },
                "cache-purge:fastlyApiToken": secret(CANARIES.fastlyToken),
            }, { "cache-purge:fastlyApiToken": secret(CANARIES.rotated) }, () => api.purges.length);
        },
        change: (dir) => fs.appendFileSync(path.join(dir, "site", "blog", "first-post.html"), "<p>Updated.</p>\n"),
        createPlans: [/fastly: purge 2 of 2 targets: key blog, url https:\/\/www\.example\.com\/ \(created\); 2 requests: POST http:\/\/127\.0\.0\.1:\d+\/service\/SU1Z0isxPaozGVKXdv0eY\/purge \(1 soft key\), POST http:\/\/127\.0\.0\.1:\d+\/purge\/www\.example\.com\/ \(soft\)/],
        purgesOnCreate: 2,
        changePlans: [/fastly: purge 1 of 2 targets: key blog \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\); 1 request: POST /],
        purgesOnChange: 1,
    };
}
