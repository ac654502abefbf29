import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { FlextypeEmulator, ImageKitEmulator } from "../../src/testing";
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
