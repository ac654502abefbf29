import * as fs from "fs";
import * as path from "path";
import { BuddyEmulator } from "../../src/services/buddy/emulator";
import { CloudflareEmulator } from "../../src/services/cloudflare/emulator";
import { CloudFrontEmulator } from "../../src/services/cloudfront/emulator";
import { CodemagicEmulator } from "../../src/services/codemagic/emulator";
import { FastlyEmulator } from "../../src/services/fastly/emulator";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { MicroStrategyEmulator } from "../../src/services/microstrategy/emulator";
import { type DeploymentResult, TestEngine } from "../harness/test-engine";
import { REPO_ROOT } from "../harness/workspace";
import { CloudflarePurgeEmulator } from "../services/http-vendors";
import { envelope } from "./cloudflare-faults";
import { xmlError } from "./cloudfront-faults";

/** The example programs of the nothing-lost tests as `pulumi up` runs them, each against its emulator and a site of its own. */

export type Config = Record<string, { value: string; secret?: boolean }>;

export function engine(example: string, project: string, dir: string, config: Config): TestEngine {
    return new TestEngine({
        programDir: path.join(REPO_ROOT, "examples", example),
        project,
        stack: "test",
        stateFile: path.join(dir, "state.json"),
        config,
        env: { FLEXTYPE_TOKEN: "", FLEXTYPE_ACCESS_TOKEN: "", CODEMAGIC_TOKEN: "", MSTR_USERNAME: "", MSTR_PASSWORD: "", BUDDY_TOKEN: "", IMAGEKIT_PRIVATE_KEY: "",
            AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "", CLOUDFLARE_API_TOKEN: "", FASTLY_API_TOKEN: "" },
    });
}

export function write(file: string, text: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
}

/** A site of `files` (path -> content) under `dir`, for the examples that hash a built site. */
function site(dir: string, files: Record<string, string>): string {
    for (const [name, text] of Object.entries(files)) {
        write(path.join(dir, name), text);
    }
    return dir;
}

/** CloudFront's 500 and Cloudflare's 5xx envelopes, as the fault matrix writes them. */
export const CLOUDFRONT_500 = xmlError("Receiver", "InternalFailure", "The request processing has failed because of an unknown error.");
export const CLOUDFLARE_500 = envelope(10002, "An unknown error has occurred");
export const CLOUDFLARE_503 = envelope(10013, "An unknown error has occurred");
const CF_ZONE = "023e105f4ecef8ad9ca31a8372d0c353";

export async function cloudfrontStack(dir: string): Promise<{ emulator: CloudFrontEmulator; stack: TestEngine; site: string }> {
    const secretKey = "CANARY/nothing-lost/cloudfront";
    const emulator = await new CloudFrontEmulator({ accounts: { AKIANOTHINGLOST00000: secretKey }, distributions: ["E2QWRUHEXAMPLE"] }).start();
    const root = site(path.join(dir, "site"), {
        "index.html": "<h1>Home</h1>\n", "about.html": "<h1>About</h1>\n", "assets/app.js": "console.log(1);\n", "assets/style.css": "h1 { color: navy; }\n",
    });
    const stack = engine("cloudfront", "cloudfront-invalidation", dir, {
        "cloudfront-invalidation:endpoint": { value: emulator.baseUrl },
        "cloudfront-invalidation:distributionId": { value: "E2QWRUHEXAMPLE" },
        "cloudfront-invalidation:siteDir": { value: root },
        "aws:accessKey": { value: "AKIANOTHINGLOST00000" },
        "aws:secretKey": { value: secretKey, secret: true },
    });
    return { emulator, stack, site: root };
}

export async function cloudflareStack(dir: string): Promise<{ emulator: CloudflareEmulator; stack: TestEngine; site: string }> {
    const token = "CANARY-nothing-lost-cloudflare";
    const emulator = await new CloudflareEmulator({ tokens: { [token]: [CF_ZONE] }, zones: [CF_ZONE], plan: "pro" }).start();
    const root = site(path.join(dir, "site"), {
        "blog/first-post.html": "<h1>First post</h1>\n", "css/site.css": "body { margin: 0; }\n", "js/app.js": "console.log(1);\n",
    });
    const stack = engine("cloudflare", "cloudflare-zone-purge", dir, {
        "cloudflare-zone-purge:baseUrl": { value: emulator.baseUrl },
        "cloudflare-zone-purge:zoneId": { value: CF_ZONE },
        "cloudflare-zone-purge:plan": { value: "pro" },
        "cloudflare-zone-purge:siteDir": { value: root },
        "cache-purge:cloudflareApiToken": { value: token, secret: true },
    });
    return { emulator, stack, site: root };
}

export async function fastlyStack(dir: string): Promise<{ emulator: FastlyEmulator; stack: TestEngine; site: string }> {
    const token = "CANARY-nothing-lost-fastly";
    const service = "SU1Z0isxPaozGVKXdv0eY";
    const emulator = await new FastlyEmulator({ tokens: { [token]: { scopes: ["purge_select"] } }, services: [service] }).start();
    const root = site(path.join(dir, "site"), { "index.html": "<h1>Home</h1>\n", "blog/first-post.html": "<h1>First post</h1>\n" });
    const stack = engine("fastly", "fastly-purge", dir, {
        "fastly-purge:baseUrl": { value: emulator.baseUrl },
        "fastly-purge:serviceId": { value: service },
        "fastly-purge:siteDir": { value: root },
        "cache-purge:fastlyApiToken": { value: token, secret: true },
    });
    return { emulator, stack, site: root };
}

export async function httpStack(dir: string): Promise<{ emulator: CloudflarePurgeEmulator; stack: TestEngine; site: string }> {
    const token = "CANARY-nothing-lost-http";
    const emulator = await new CloudflarePurgeEmulator(CF_ZONE, token).start();
    const root = site(path.join(dir, "site"), { "app.css": "body { margin: 0; }\n", "index.html": "<h1>Home</h1>\n", "logo.svg": "<svg/>\n" });
    const stack = engine("http", "http-cache-purge", dir, {
        "http-cache-purge:purgeUrl": { value: emulator.purgeUrl },
        "http-cache-purge:batchSize": { value: "2" },
        "http-cache-purge:siteDir": { value: root },
        "http-cache-purge:apiToken": { value: token, secret: true },
    });
    return { emulator, stack, site: root };
}

export const CM_APP = "60ddd0b747960e00124747cb";
export const CM_IPA = "620f9f218ab90da6b1b22e0e";
export const CM_APK = "620f9e948ab90da6b1b2217d";

export async function codemagicStack(dir: string): Promise<{ emulator: CodemagicEmulator; stack: TestEngine; ios: string }> {
    const token = "CANARY-nothing-lost-codemagic";
    const emulator = await new CodemagicEmulator().start();
    emulator.addToken(token);
    emulator.deletionDelayMs = 0;
    emulator.addApp(CM_APP, [{ _id: CM_IPA, workflowId: "build-ipa" }, { _id: CM_APK, workflowId: "build-apk" }]);
    const ios = path.join(dir, "Podfile.lock");
    const android = path.join(dir, "gradle.lockfile");
    write(ios, "PODS:\n  - Flutter (1.0.0)\n");
    write(android, "androidx.core:core:1.13.1=releaseRuntimeClasspath\n");
    const stack = engine("codemagic", "codemagic-cache-purge", dir, {
        "codemagic-cache-purge:baseUrl": { value: emulator.baseUrl },
        "codemagic-cache-purge:appId": { value: CM_APP },
        "codemagic-cache-purge:iosLockfile": { value: ios },
        "codemagic-cache-purge:androidLockfile": { value: android },
        "codemagic-cache-purge:wait": { value: "false" },
        "cache-purge:codemagicToken": { value: token, secret: true },
    });
    return { emulator, stack, ios };
}

export async function microstrategyStack(dir: string): Promise<{
    emulator: MicroStrategyEmulator; stack: TestEngine;
    up: (o: { schemaHash?: string }) => Promise<DeploymentResult>; preview: (o: { schemaHash?: string }) => Promise<DeploymentResult>;
}> {
    const password = "CANARY-nothing-lost-mstr";
    const emulator = await new MicroStrategyEmulator({ users: { admin: password }, projects: [{ id: "B7CA92F04B9FAE8D941C3E9B7E0CD754", name: "MicroStrategy Tutorial" }] }).start();
    emulator.requireCookie = true;
    const at = (options: { schemaHash?: string }) => engine("microstrategy", "microstrategy-cache-purge", dir, {
        "microstrategy-cache-purge:baseUrl": { value: emulator.baseUrl },
        "microstrategy-cache-purge:projectName": { value: "MicroStrategy Tutorial" },
        "microstrategy-cache-purge:schemaHash": { value: options.schemaHash ?? "5c4e1a0f9b2d7e63aa01" },
        "microstrategy-cache-purge:dataHash": { value: "d1a7f00c3b9e4e21bb02" },
        "cache-purge:microstrategyUsername": { value: "admin" },
        "cache-purge:microstrategyPassword": { value: password, secret: true },
    });
    return { emulator, stack: at({}), up: (o) => at(o).up(), preview: (o) => at(o).preview() };
}

export async function buddyStack(dir: string, options: { deployPipelineId?: string } = {}): Promise<{ emulator: BuddyEmulator; stack: TestEngine; lock: (app: string) => string }> {
    const token = "CANARY-nothing-lost-buddy";
    const emulator = await new BuddyEmulator({
        tokens: { [token]: { scopes: ["EXECUTION_MANAGE"] } },
        workspaces: { acme: { projects: { shop: [{ id: 101, name: "Build web" }, { id: 102, name: "Build api" }, { id: 103, name: "Deploy" }] } } },
    }).start();
    const lock = (app: string) => path.join(dir, `${app}.lock`);
    write(lock("web"), "lockfileVersion: 3\nreact 19.0.0\n");
    write(lock("api"), "lockfileVersion: 3\nexpress 5.0.0\n");
    const stack = engine("buddy", "buddy-cache-purge", dir, {
        "buddy-cache-purge:workspace": { value: "acme" },
        "buddy-cache-purge:project": { value: "shop" },
        "buddy-cache-purge:baseUrl": { value: emulator.baseUrl },
        "buddy-cache-purge:webLockfile": { value: lock("web") },
        "buddy-cache-purge:apiLockfile": { value: lock("api") },
        "buddy-cache-purge:webPipelineId": { value: "101" },
        "buddy-cache-purge:apiPipelineId": { value: "102" },
        ...(options.deployPipelineId === undefined ? {} : { "buddy-cache-purge:deployPipelineId": { value: options.deployPipelineId } }),
        "cache-purge:buddyToken": { value: token, secret: true },
    });
    return { emulator, stack, lock };
}

export async function imagekitStack(dir: string, count: number, extra: Record<string, string>): Promise<{
    emulator: ImageKitEmulator; stack: TestEngine; images: string; urlOf: (name: string) => string;
}> {
    const key = `private_CANARY_nothing_lost_${Math.random().toString(16).slice(2)}`;
    const urlBase = "https://ik.imagekit.io/acme/img/";
    const emulator = await new ImageKitEmulator({ privateKey: key }).start();
    const images = path.join(dir, "images");
    for (let i = 0; i < count; i++) {
        write(path.join(images, `photo-${String(i).padStart(3, "0")}.jpg`), `image ${i}\n`);
    }
    const stack = engine("imagekit", "imagekit-url-purge", dir, {
        "imagekit-url-purge:baseUrl": { value: emulator.baseUrl },
        "imagekit-url-purge:urlBase": { value: urlBase },
        "imagekit-url-purge:imagesDir": { value: images },
        ...Object.fromEntries(Object.entries(extra).map(([k, value]) => [`imagekit-url-purge:${k}`, { value }])),
        "cache-purge:imagekitPrivateKey": { value: key, secret: true },
    });
    return { emulator, stack, images, urlOf: (name) => urlBase + name };
}
