import assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { FlextypeEmulator } from "../../src/services/flextype/emulator";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { TestEngine } from "../harness/test-engine";
import { REPO_ROOT, tempDir } from "../harness/workspace";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const FLEXTYPE_TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const CANARY = "CANARY-packed-access-4242";
const IMAGEKIT_KEY = "private_CANARY-packed-key-77";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();
const cms = new purge.flextype.CachePurge("cms", {
    baseUrl: cfg.require("flextypeUrl"),
    triggers: { release: cfg.require("release") },
});
const images = new purge.imagekit.UrlPurge("images", {
    baseUrl: cfg.require("imagekitUrl"),
    urls: { "https://ik.imagekit.io/acme/logo.png": cfg.require("release") },
});
export const cmsPlan = cms.purgePlan;
export const imagesReceipt = images.receipt;
`;

/**
 * The package as users get it: `npm pack`, the tarball installed into a fresh project outside the
 * repository, its program run with that project's own copy of the SDK. This is where a missing
 * `exports` subpath or a serialized provider that only resolves inside the repository would show.
 */
describe("the packed package in a fresh project outside the repository", function () {
    this.timeout(240_000);
    let project: { dir: string; remove: () => void };
    let flextype: FlextypeEmulator;
    let imagekit: ImageKitEmulator;

    before(() => {
        project = tempDir("packed-consumer");
        const tarball = execFileSync(NPM, ["pack", "--silent", "--pack-destination", project.dir], { cwd: REPO_ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
        const sdkVersion = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string }).version;
        fs.writeFileSync(path.join(project.dir, "package.json"), JSON.stringify({
            name: "consumer", private: true, main: "index.ts",
            dependencies: {
                "pulumi-cache-purge": `file:${path.join(project.dir, tarball)}`,
                "@pulumi/pulumi": sdkVersion,
                "typescript": "~5.9.3",
                "ts-node": "^10.9.2",
                "@types/node": "^20.19.0",
            },
        }, null, 2));
        fs.writeFileSync(path.join(project.dir, "Pulumi.yaml"), "name: consumer\nruntime: nodejs\n");
        fs.writeFileSync(path.join(project.dir, "index.ts"), PROGRAM);
        // The registry's packages are in npm's cache already (the repository's own install put them there).
        execFileSync(NPM, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project.dir, stdio: "pipe" });
    });

    after(() => project?.remove());

    beforeEach(async () => {
        flextype = await new FlextypeEmulator({ [FLEXTYPE_TOKEN]: { accessToken: CANARY } }).start();
        imagekit = await new ImageKitEmulator({ privateKey: IMAGEKIT_KEY }).start();
    });

    afterEach(async () => {
        await flextype.stop();
        await imagekit.stop();
    });

    function engine(release: string): TestEngine {
        return new TestEngine({
            programDir: project.dir,
            project: "consumer",
            stack: "dev",
            stateFile: path.join(project.dir, "state.json"),
            sdkDir: path.join(project.dir, "node_modules", "@pulumi", "pulumi"),
            config: {
                "consumer:flextypeUrl": { value: flextype.baseUrl },
                "consumer:imagekitUrl": { value: imagekit.baseUrl },
                "consumer:release": { value: release },
                "cache-purge:flextypeToken": { value: FLEXTYPE_TOKEN, secret: true },
                "cache-purge:flextypeAccessToken": { value: CANARY, secret: true },
                "cache-purge:imagekitPrivateKey": { value: IMAGEKIT_KEY, secret: true },
            },
        });
    }

    it("installs a real copy, not a link to the repository", () => {
        const installed = path.join(project.dir, "node_modules", "pulumi-cache-purge");

        assert.equal(fs.lstatSync(installed).isSymbolicLink(), false);
        assert.ok(fs.existsSync(path.join(installed, "dist", "services", "imagekit", "provider.js")));
        assert.ok(!fs.existsSync(path.join(installed, "src")), "sources are not shipped");
    });

    it("previews without a request, then purges both services on up, with no credential in the state", async () => {
        const preview = await engine("1.0.0").preview();
        const requestsDuringPreview = flextype.requests.length + imagekit.requests.length;
        const up = await engine("1.0.0").up();
        const state = fs.readFileSync(path.join(project.dir, "state.json"), "utf8");

        assert.equal(preview.ok, true, preview.output);
        assert.equal(requestsDuringPreview, 0);
        assert.deepEqual(preview.steps.map((s) => [s.op, s.name]), [["create", "cms"], ["create", "images"]]);
        assert.equal(up.ok, true, up.errors.join("\n") + up.output);
        assert.equal(flextype.clears, 1);
        assert.deepEqual(imagekit.requests.map((r) => `${r.method} ${r.path}`), ["POST /v1/files/purge"]);
        assert.ok(!state.includes(CANARY) && !state.includes(IMAGEKIT_KEY), "a credential is in the state file");
        // Installed under node_modules, the provider is the implementation module, which the SDK writes as a require.
        const stored = /"__provider": "((?:[^"\\]|\\.)*)"/.exec(state)?.[1] ?? "";
        assert.match(stored, /require\(\\"pulumi-cache-purge\/provider\/flextype\\"\)/, "the stored provider requires the installed package");
        assert.ok(JSON.parse(`"${stored}"`).length <= 1_200, `the stored provider is ${stored.length} characters: ${stored}`);
    });
});
