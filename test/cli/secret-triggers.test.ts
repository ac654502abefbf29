import assert from "node:assert/strict";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { BuddyEmulator, type BuddyEmulatorPipeline, FlextypeEmulator, ImageKitEmulator } from "../../src/testing";
import { consumerProject } from "../harness/consumer-project";
import { type CliResult, CliStack, describeWithCli } from "../harness/pulumi-cli";
import { tempDir } from "../harness/workspace";

const TOKEN = "3c4d5e6f708192a3b4c5d6e7f8091a2b";
const ACCESS = "CANARY-secret-trigger-access-55e1";
const API_KEY = ["sk_live_CANARY_api_key_7d1f", "sk_live_CANARY_api_key_rotated_0b3c"] as const;
const NONCE = "CANARY-nonce-9a8b";
const IMAGEKIT_KEY = "private_CANARY_secret_trigger_key_4c2e";
/** A URL's own hash, from secret config: a per-target trigger the user marked secret. */
const LOGO_HASH = ["CANARY-logo-hash-first-1f2e3d", "CANARY-logo-hash-second-6a5b4c"] as const;
const LOGO = "https://ik.imagekit.io/acme/img/logo.png";
const HERO = "https://ik.imagekit.io/acme/img/hero.png";
/** A URL in a map that is a secret as a whole: its name is a secret too. */
const PRIVATE = "https://ik.imagekit.io/acme/CANARY-private-path-3d9f/cover.png";
const BANNER = "https://ik.imagekit.io/acme/CANARY-private-path-3d9f/banner.png";
const PROJECT = "secret-triggers";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();
const cms = new purge.flextype.CachePurge("cms", {
    baseUrl: cfg.require("flextypeUrl"),
    triggers: { release: cfg.require("release"), apiKey: cfg.requireSecret("apiKey") },
    forcePurge: cfg.getSecret("nonce"),
});
export const plan = cms.purgePlan;
export const receipt = cms.receipt;

const images = new purge.imagekit.UrlPurge("images", {
    baseUrl: cfg.require("imagekitUrl"),
    urls: { "${LOGO}": cfg.requireSecret("logoHash"), "${HERO}": "hero-1" },
});
export const imagesPlan = images.purgePlan;
export const imagesReceipt = images.receipt;

const privateImages = new purge.imagekit.UrlPurge("private-images", {
    baseUrl: cfg.require("imagekitUrl"),
    urls: pulumi.secret({ "${PRIVATE}": cfg.require("coverHash"), "${BANNER}": "banner-1" }),
});
export const privatePlan = privateImages.purgePlan;
export const privateReceipt = privateImages.receipt;
`;

/** Issue 13's first attack, under the real engine: triggers the user marked secret never appear in plaintext. */
describeWithCli("secret triggers under the real pulumi CLI", function (binDir) {
    this.timeout(300_000);
    let cms: FlextypeEmulator;
    let cdn: ImageKitEmulator;
    let work: { dir: string; remove: () => void };
    let programDir: string;
    let stack: CliStack;
    const outputs: CliResult[] = [];

    before(async () => {
        cms = await new FlextypeEmulator({ [TOKEN]: { accessToken: ACCESS } }).start();
        cdn = await new ImageKitEmulator({ privateKey: IMAGEKIT_KEY }).start();
        work = tempDir("cli-secret-triggers");
        programDir = path.join(consumerProject(), `secret-triggers-${process.pid}`);
        fs.mkdirSync(programDir, { recursive: true });
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
        fs.writeFileSync(path.join(programDir, "index.ts"), PROGRAM);
        stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: "dev" });
        await stack.init({
            [`${PROJECT}:flextypeUrl`]: { value: cms.baseUrl },
            [`${PROJECT}:release`]: { value: "1" },
            [`${PROJECT}:apiKey`]: { value: API_KEY[0], secret: true },
            [`${PROJECT}:nonce`]: { value: NONCE, secret: true },
            [`${PROJECT}:imagekitUrl`]: { value: cdn.baseUrl },
            [`${PROJECT}:logoHash`]: { value: LOGO_HASH[0], secret: true },
            [`${PROJECT}:coverHash`]: { value: "cover-1" },
            "cache-purge:imagekitPrivateKey": { value: IMAGEKIT_KEY, secret: true },
            "cache-purge:flextypeToken": { value: TOKEN, secret: true },
            "cache-purge:flextypeAccessToken": { value: ACCESS, secret: true },
        });
    });

    after(async () => {
        await cms.stop();
        await cdn.stop();
        work.remove();
        fs.rmSync(programDir, { recursive: true, force: true });
    });

    async function run(step: Promise<CliResult>): Promise<CliResult> {
        const result = await step;
        assert.equal(result.ok, true, result.output);
        outputs.push(result);
        return result;
    }

    it("purges when the secret trigger changes, saying which trigger changed without its value", async () => {
        await run(stack.up());
        await stack.setConfig({ [`${PROJECT}:apiKey`]: { value: API_KEY[1], secret: true } });

        const preview = await run(stack.preview("--diff"));
        await run(stack.up());

        assert.match(preview.output, /flextype: purge cache \(trigger apiKey changed \(secret\)\)/);
        assert.equal(cms.clears, 2);
    });

    it("purges the one URL whose secret hash changed, saying that its trigger changed without either value", async () => {
        await stack.setConfig({ [`${PROJECT}:logoHash`]: { value: LOGO_HASH[1], secret: true } });

        const preview = await run(stack.preview("--diff"));
        await run(stack.up());

        assert.match(preview.output, /imagekit: purge 1 of 2 targets: https:\/\/ik\.imagekit\.io\/acme\/img\/logo\.png \(trigger changed \(secret\)\)/);
        // Created: both URLs; then the logo alone.
        const images = cdn.purgedUrls.filter((url) => url === LOGO || url === HERO);
        assert.deepEqual(images.slice(0, 2).sort(), [HERO, LOGO]);
        assert.deepEqual(images.slice(2), [LOGO]);
    });

    it("purges the one URL whose hash changed in a map that is a secret as a whole, naming no URL of it", async () => {
        await stack.setConfig({ [`${PROJECT}:coverHash`]: { value: "cover-2" } });

        const preview = await run(stack.preview("--diff"));
        await run(stack.up());

        assert.match(preview.output, /imagekit: purge 1 of 2 targets: 1 target with a secret name \(trigger changed \(secret\)\); 1 request: POST /);
        assert.deepEqual(cdn.purgedUrls.filter((url) => url === PRIVATE || url === BANNER).sort(), [BANNER, PRIVATE, PRIVATE]);
        assert.equal(await stack.output("privatePlan"), `purge 1 of 2 targets: 1 target with a secret name (trigger changed (secret)); 1 request: POST ${cdn.baseUrl}/v1/files/purge`);
    });

    it("keeps every secret value out of the exported state, the outputs and everything the CLI printed", async () => {
        const exported = await stack.exportState();
        const shown = JSON.stringify(await Promise.all(["receipt", "plan", "imagesReceipt", "imagesPlan", "privateReceipt", "privatePlan"].map((name) => stack.output(name))));

        for (const secret of [...API_KEY, NONCE, ACCESS, IMAGEKIT_KEY, ...LOGO_HASH, "CANARY-private-path-3d9f"]) {
            for (const form of [secret, secret.slice(0, 8), secret.slice(0, 12), encodeURIComponent(secret)]) {
                assert.ok(!exported.includes(form), `${form} is in the exported state`);
                assert.ok(!shown.includes(form), `${form} is in a stack output`);
                assert.ok(!outputs.some((o) => o.output.includes(form)), `${form} was printed`);
            }
        }
    });
});

/** Pipeline ids below 100,000: a small space, so neither an id nor a digest of one may be kept. */
const PIPELINES = ["48213", "73915", "90417"] as const;
const BUDDY_TOKEN = "buddy_CANARY_token_secret_forms_6e2d";
const PUBLIC_URL = "https://ik.imagekit.io/acme/img/public.jpg";
const PRIVATE_URL = "https://ik.imagekit.io/acme/CANARY-private-element-8c1e/photo.jpg";
const FORMS_PROJECT = "secret-forms";

const FORMS_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();
const baseUrl = cfg.require("flextypeUrl");

// Secrets reached through a promise, an async function's result, and pulumi.all.
const viaPromise = new purge.flextype.CachePurge("via-promise", {
    baseUrl,
    triggers: Promise.resolve({ release: cfg.require("release"), apiKey: cfg.requireSecret("apiKey") }),
});
async function siteTriggers() {
    return { site: await purge.hashFiles("Pulumi.yaml"), apiKey: cfg.requireSecret("apiKey") };
}
const viaAsync = new purge.flextype.CachePurge("via-async", { baseUrl, triggers: siteTriggers() });
const viaAll = new purge.flextype.CachePurge("via-all", {
    baseUrl,
    triggers: pulumi.all([cfg.require("release"), cfg.requireSecret("apiKey")]).apply(([release, apiKey]) => ({ release, apiKey })),
});
const images = new purge.imagekit.UrlPurge("images", {
    baseUrl: cfg.require("imagekitUrl"),
    urls: Promise.resolve({ "${LOGO}": cfg.requireSecret("logoHash"), "${HERO}": "hero-1" }),
});

// Pipeline ids that are a secret as a whole.
const ci = new purge.buddy.PipelineCachePurge("ci", {
    baseUrl: cfg.require("buddyUrl"),
    workspace: "acme",
    project: "site",
    pipelines: pulumi.secret({ "${PIPELINES[0]}": "h1", "${PIPELINES[1]}": "h1", "${PIPELINES[2]}": "h1" }),
});

// A secret element of a plain list, and a secret base URL.
const mixed = new purge.imagekit.UrlPurge("mixed", {
    baseUrl: cfg.requireSecret("privateImagekitUrl"),
    urls: ["${PUBLIC_URL}", cfg.requireSecret("privateUrl")],
});

export const plans = [viaPromise.purgePlan, viaAsync.purgePlan, viaAll.purgePlan, images.purgePlan, ci.purgePlan, mixed.purgePlan];
export const receipts = [viaPromise.receipt, viaAsync.receipt, viaAll.receipt, images.receipt, ci.receipt, mixed.receipt];
`;

/**
 * Issue 23, items 2, 4 and 5, under the real engine: secrecy is decided on the resolved value, whatever
 * form the input took, and stays on everything derived from a secret (names, URLs, the scope).
 */
describeWithCli("secrets in every input form under the real pulumi CLI", function (binDir) {
    this.timeout(400_000);
    let cms: FlextypeEmulator;
    let cdn: ImageKitEmulator;
    let privateCdn: ImageKitEmulator;
    let buddy: BuddyEmulator;
    /** Buddy's pipelines of the project: the third id is added after the first up, which it fails. */
    const pipelines: BuddyEmulatorPipeline[] = [{ id: Number(PIPELINES[0]), name: "build" }, { id: Number(PIPELINES[1]), name: "test" }];
    let work: { dir: string; remove: () => void };
    let programDir: string;
    let stack: CliStack;
    const printed: string[] = [];

    before(async () => {
        cms = await new FlextypeEmulator({ [TOKEN]: { accessToken: ACCESS } }).start();
        cdn = await new ImageKitEmulator({ privateKey: IMAGEKIT_KEY }).start();
        privateCdn = await new ImageKitEmulator({ privateKey: IMAGEKIT_KEY }).start();
        buddy = await new BuddyEmulator({
            workspaces: { acme: { projects: { site: pipelines } } },
            tokens: { [BUDDY_TOKEN]: { scopes: ["EXECUTION_MANAGE"] } },
        }).start();
        work = tempDir("cli-secret-forms");
        programDir = path.join(consumerProject(), `secret-forms-${process.pid}`);
        fs.mkdirSync(programDir, { recursive: true });
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), `name: ${FORMS_PROJECT}\nruntime: nodejs\n`);
        fs.writeFileSync(path.join(programDir, "index.ts"), FORMS_PROGRAM);
        stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: "dev" });
        await stack.init({
            [`${FORMS_PROJECT}:flextypeUrl`]: { value: cms.baseUrl },
            [`${FORMS_PROJECT}:release`]: { value: "1" },
            [`${FORMS_PROJECT}:apiKey`]: { value: API_KEY[0], secret: true },
            [`${FORMS_PROJECT}:imagekitUrl`]: { value: cdn.baseUrl },
            [`${FORMS_PROJECT}:logoHash`]: { value: LOGO_HASH[0], secret: true },
            [`${FORMS_PROJECT}:buddyUrl`]: { value: buddy.baseUrl },
            [`${FORMS_PROJECT}:privateImagekitUrl`]: { value: privateCdn.baseUrl, secret: true },
            [`${FORMS_PROJECT}:privateUrl`]: { value: PRIVATE_URL, secret: true },
            "cache-purge:imagekitPrivateKey": { value: IMAGEKIT_KEY, secret: true },
            "cache-purge:flextypeToken": { value: TOKEN, secret: true },
            "cache-purge:flextypeAccessToken": { value: ACCESS, secret: true },
            "cache-purge:buddyToken": { value: BUDDY_TOKEN, secret: true },
        });
    });

    after(async () => {
        await Promise.all([cms.stop(), cdn.stop(), privateCdn.stop(), buddy.stop()]);
        work.remove();
        fs.rmSync(programDir, { recursive: true, force: true });
    });

    async function run(step: Promise<CliResult>, ok = true): Promise<CliResult> {
        const result = await step;
        assert.equal(result.ok, ok, result.output);
        printed.push(result.output);
        return result;
    }

    it("creates every resource but the pipeline Buddy does not know, whose id no error names, and purges only it on the next up", async () => {
        const preview = await run(stack.preview("--json"));
        const first = await run(stack.up("--continue-on-error"), false);
        const afterFailure = await stack.exportState();
        printed.push(afterFailure);
        pipelines.push({ id: Number(PIPELINES[2]), name: "deploy" });
        const second = await run(stack.up());

        assert.deepEqual(buddy.clears.map((c) => c.pipelineId), PIPELINES.map(Number));
        assert.ok(afterFailure.includes('"(secret target 2)"'), "the failed pipeline is not recorded as pending by its place");
        assert.match(first.output, /buddy: PATCH http:\/\/127\.0\.0\.1:\d+\/workspaces\/acme\/projects\/site\/pipelines\/\[secret\] returned 404/);
        const receipts = await stack.output("receipts") as Array<{ count: number; targets: string[] } | null>;
        assert.equal(second.ok, true);
        assert.deepEqual([receipts[4]?.count, receipts[4]?.targets], [1, ["[secret]"]]);
        assert.deepEqual(privateCdn.purgedUrls.sort(), [PRIVATE_URL, PUBLIC_URL].sort());
        assert.ok(preview.stdout.includes("targets with secret names"), preview.stdout);
    });

    it("says which trigger changed, without its value, for a secret behind a promise, an async function and pulumi.all", async () => {
        await stack.setConfig({
            [`${FORMS_PROJECT}:apiKey`]: { value: API_KEY[1], secret: true },
            [`${FORMS_PROJECT}:logoHash`]: { value: LOGO_HASH[1], secret: true },
        });

        const preview = await run(stack.preview("--diff"));
        await run(stack.up());

        for (const name of ["via-promise", "via-async", "via-all"]) {
            // The resource's own block: its URN, its base URL, then the plan it changes to.
            assert.match(preview.output, new RegExp(`::${name}\\]\\n[^\\n]*baseUrl[^\\n]*\\n[^\\n]*=> "purge cache \\(trigger apiKey changed \\(secret\\)\\); 1 request`), name);
        }
        assert.match(preview.output, /imagekit: purge 1 of 2 targets: https:\/\/ik\.imagekit\.io\/acme\/img\/logo\.png \(trigger changed \(secret\)\)/);
        assert.equal(cms.clears, 6);
    });

    it("keeps every secret, and every name and URL built from one, out of the state, preview --json, the outputs and everything printed", async () => {
        const exported = await stack.exportState();
        const shown = JSON.stringify([await stack.output("plans"), await stack.output("receipts")]);
        const privateHost = privateCdn.baseUrl.replace(/^http:\/\//, "");
        const forms = [
            ...[...API_KEY, ...LOGO_HASH, BUDDY_TOKEN].flatMap((s) => [s, s.slice(0, 8), s.slice(0, 12), encodeURIComponent(s)]),
            PRIVATE_URL, encodeURIComponent(PRIVATE_URL),
            ...PIPELINES.flatMap((id) => [`"${id}"`, `/${id}`, `pipeline ${id}`, createHash("sha256").update(id).digest("hex").slice(0, 16)]),
            "CANARY-private-element", privateHost,
        ];

        const leaks = forms.filter((form) => exported.includes(form) || shown.includes(form) || printed.some((o) => o.includes(form)));

        assert.deepEqual(leaks, []);
    });
});
