import * as fs from "fs";
import * as path from "path";
import { CloudflareEmulator } from "../../src/services/cloudflare/emulator";
import { CloudFrontEmulator } from "../../src/services/cloudfront/emulator";
import { FastlyEmulator } from "../../src/services/fastly/emulator";
import { TestEngine } from "../harness/test-engine";
import { REPO_ROOT } from "../harness/workspace";
import { CloudflarePurgeEmulator } from "../services/http-vendors";
import { envelope } from "./cloudflare-faults";
import { xmlError } from "./cloudfront-faults";

/** The example programs of nothing-lost.test.ts as `pulumi up` runs them, each against its emulator and a site of its own. */

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
