import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { TestEngine } from "../harness/test-engine";
import { REPO_ROOT, tempDir } from "../harness/workspace";
import { EmulatorsProcess } from "./emulators-process";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const NPX = process.platform === "win32" ? "npx.cmd" : "npx";

/** The lowest `@pulumi/pulumi` the peer range allows, and the newest, which the repository tests with. */
const PEER_LOWEST = "3.139.0";
const SDK_NEWEST = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies["@pulumi/pulumi"];

/** The tsconfig.json `pulumi new typescript` writes: strict, commonjs, moduleResolution node, no skipLibCheck, no esModuleInterop. */
const PULUMI_NEW_TSCONFIG = {
    compilerOptions: {
        strict: true,
        outDir: "bin",
        target: "es2020",
        module: "commonjs",
        moduleResolution: "node",
        sourceMap: true,
        experimentalDecorators: true,
        pretty: true,
        noFallthroughCasesInSwitch: true,
        noImplicitReturns: true,
        forceConsistentCasingInFileNames: true,
    },
    files: ["index.ts"],
};

/** A user's program: both entry points, every service, the emulators' URLs from the stack config. */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";
import type { FlextypeEmulator } from "pulumi-cache-purge/testing";

const cfg = new pulumi.Config();
const release = cfg.get("release") ?? "1";

const cms = new purge.flextype.CachePurge("cms", {
    baseUrl: cfg.require("flextypeUrl"),
    triggers: { release },
});
const images = new purge.imagekit.UrlPurge("images", {
    baseUrl: cfg.require("imagekitUrl"),
    urls: { "https://ik.imagekit.io/acme/logo.png": release },
    wait: true,
});
const mobile = new purge.codemagic.CachePurge("mobile", {
    baseUrl: cfg.require("codemagicUrl"),
    appId: "60ddd0b747960e00124747cb",
    workflows: { "build-ipa": release },
});
const bi = new purge.microstrategy.CachePurge("bi", {
    baseUrl: cfg.require("microstrategyUrl"),
    project: { name: "MicroStrategy Tutorial" },
    triggers: { release },
    forcePurge: 1,
});
const ci = new purge.buddy.PipelineCachePurge("ci", {
    baseUrl: cfg.require("buddyUrl"),
    workspace: "acme",
    project: "shop",
    pipelineId: 101,
    triggers: { release },
});

// The testing entry point's types resolve too (a test of this stack would start one).
export type CmsEmulator = FlextypeEmulator;
export const plans = { cms: cms.purgePlan, images: images.purgePlan, mobile: mobile.purgePlan, bi: bi.purgePlan, ci: ci.purgePlan };
export const completions = pulumi.all([cms.receipt, images.receipt]).apply(([a, b]) => [a?.completion, b?.completion]);
`;

function run(command: string, args: readonly string[], cwd: string): string {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: "pipe", maxBuffer: 64 * 1024 * 1024 });
}

/** A fresh Pulumi project, as `pulumi new typescript` leaves it, with the tarball and one SDK version. */
function consumerProject(tarball: string, sdkVersion: string): { dir: string; remove: () => void } {
    const project = tempDir(`packed-consumer-${sdkVersion}`);
    fs.writeFileSync(path.join(project.dir, "package.json"), JSON.stringify({
        name: "consumer", private: true, main: "index.ts",
        dependencies: {
            "pulumi-cache-purge": `file:${tarball}`,
            "@pulumi/pulumi": sdkVersion,
        },
        devDependencies: { "typescript": "~5.9.3", "ts-node": "^10.9.2", "@types/node": "^20.19.0" },
    }, null, 2));
    fs.writeFileSync(path.join(project.dir, "Pulumi.yaml"), "name: consumer\nruntime: nodejs\n");
    fs.writeFileSync(path.join(project.dir, "tsconfig.json"), JSON.stringify(PULUMI_NEW_TSCONFIG, null, 4));
    fs.writeFileSync(path.join(project.dir, "index.ts"), PROGRAM);
    run(NPM, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], project.dir);
    return project;
}

/**
 * The package as users get it, from a fresh clone of this repository (what is committed, nothing else):
 * `npm ci` and `npm pack` there, the tarball installed into a fresh Pulumi project outside the
 * repository with `pulumi new typescript`'s tsconfig, on the lowest and the newest `@pulumi/pulumi` the
 * package supports, type-checked by `tsc` and run against the emulators the `emulators` command starts.
 */
describe("the packed package, from a fresh clone", function () {
    this.timeout(600_000);
    let clone: { dir: string; remove: () => void };
    let tarball: string;
    let packedFiles: string[];

    before(() => {
        clone = tempDir("packed-clone");
        run("git", ["clone", "--quiet", REPO_ROOT, clone.dir], REPO_ROOT);
        run(NPM, ["ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], clone.dir);
        const packed = JSON.parse(run(NPM, ["pack", "--json", "--loglevel=error", "--pack-destination", clone.dir], clone.dir)) as Array<{ filename: string; files: Array<{ path: string }> }>;
        tarball = path.join(clone.dir, packed[0].filename);
        packedFiles = packed[0].files.map((f) => f.path);
    });

    after(() => clone?.remove());

    it("packs the built code, its typings and the command, and no sources", () => {
        const typings = packedFiles.filter((f) => f.endsWith(".d.ts")).map((f) => fs.readFileSync(path.join(clone.dir, f), "utf8"));

        for (const file of ["dist/index.js", "dist/index.d.ts", "dist/testing.js", "dist/testing.d.ts", "dist/cli/main.js", "dist/services/imagekit/provider.js", "README.md", "LICENSE"]) {
            assert.ok(packedFiles.includes(file), `${file} is not in the tarball`);
        }
        assert.deepEqual(packedFiles.filter((f) => f.startsWith("src/") || f.startsWith("test/") || f.endsWith(".map")), []);
        assert.deepEqual(typings.filter((t) => /api-contracts|shared\//.test(t)), [], "a shipped typing cites a file users do not have");
    });

    it("installs from git as npm install <git url> does: npm builds it with its prepare script", () => {
        const project = tempDir("git-consumer");
        try {
            fs.writeFileSync(path.join(project.dir, "package.json"), JSON.stringify({ name: "git-consumer", private: true }));

            run(NPM, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", `git+file://${clone.dir}`, `@pulumi/pulumi@${SDK_NEWEST}`], project.dir);

            const installed = path.join(project.dir, "node_modules", "pulumi-cache-purge");
            assert.ok(fs.existsSync(path.join(installed, "dist", "index.js")), "dist/ was not built");
            assert.ok(fs.existsSync(path.join(installed, "dist", "index.d.ts")));
            assert.ok(fs.existsSync(path.join(project.dir, "node_modules", ".bin", "pulumi-cache-purge")), "the command is not linked");
        } finally {
            project.remove();
        }
    });

    for (const sdkVersion of [PEER_LOWEST, SDK_NEWEST]) {
        describe(`in a fresh Pulumi project on @pulumi/pulumi ${sdkVersion}`, () => {
            let project: { dir: string; remove: () => void };

            before(() => {
                project = consumerProject(tarball, sdkVersion);
            });

            after(() => project?.remove());

            it("type-checks a program that imports both entry points with 0 errors, under pulumi new's tsconfig", () => {
                const tsc = spawnSync(process.execPath, [path.join(project.dir, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--pretty", "false"], { cwd: project.dir, encoding: "utf8" });

                assert.equal(tsc.stdout + tsc.stderr, "");
                assert.equal(tsc.status, 0);
            });

            it("installs a real copy with a runnable command, not a link to the repository", () => {
                const installed = path.join(project.dir, "node_modules", "pulumi-cache-purge");
                const testing = run(process.execPath, ["-e", "console.log(Object.keys(require('pulumi-cache-purge/testing')).length)"], project.dir);

                assert.equal(fs.lstatSync(installed).isSymbolicLink(), false);
                assert.ok(!fs.existsSync(path.join(installed, "src")), "sources are not shipped");
                assert.ok(Number(testing) >= 6, "pulumi-cache-purge/testing exports the emulators");
                assert.match(run(NPX, ["pulumi-cache-purge", "--help"], project.dir), /^usage: npx pulumi-cache-purge emulators/);
            });

            it("runs the offline walkthrough: the emulators command, its config lines, preview without a request, up purging all five", async () => {
                const emulators = new EmulatorsProcess(NPX, ["pulumi-cache-purge", "emulators", "--port", "0"], project.dir);
                try {
                    await emulators.waitFor(/^Ready\./);
                    const config = Object.fromEntries(Object.entries(emulators.config).map(([key, value]) => [key.includes(":") ? key : `consumer:${key}`, { value, secret: key.startsWith("cache-purge:") && !key.endsWith("Username") }]));
                    const engine = new TestEngine({
                        programDir: project.dir, project: "consumer", stack: "dev",
                        stateFile: path.join(project.dir, "state.json"),
                        sdkDir: path.join(project.dir, "node_modules", "@pulumi", "pulumi"),
                        config,
                    });

                    const preview = await engine.preview();
                    const logLinesAfterPreview = emulators.lines.filter((l) => / -> \d{3}: /.test(l)).length;
                    const up = await engine.up();
                    await emulators.waitFor(/buddy .* -> 200: cache of pipeline 101/);
                    const exit = await emulators.interrupt();

                    assert.equal(preview.ok, true, preview.output);
                    assert.equal(logLinesAfterPreview, 0, "preview made a request");
                    assert.equal(up.ok, true, up.errors.join("\n") + up.output);
                    const purged = emulators.lines.filter((l) => / -> 20\d: /.test(l)).map((l) => l.slice(9).split(" ")[0]);
                    assert.deepEqual([...new Set(purged)].sort(), ["buddy", "codemagic", "flextype", "imagekit", "microstrategy"]);
                    assert.deepEqual(emulators.lines.filter((l) => / -> [45]\d\d: /.test(l)), [], "an emulator refused a request");
                    // npm exec re-raises the SIGINT once the command has exited, as it does in a terminal.
                    assert.deepEqual(exit, { code: null, signal: "SIGINT" });
                    assert.match(emulators.lines.filter((l) => l !== "").at(-1) ?? "", /^SIGINT: stopped the emulators after \d+ requests\.$/);
                    const state = fs.readFileSync(path.join(project.dir, "state.json"), "utf8");
                    assert.ok(!state.includes("demo-password"), "a credential is in the state file");
                    // Installed under node_modules, the provider is the implementation module, which the SDK writes as a require.
                    const stored = /"__provider": "((?:[^"\\]|\\.)*)"/.exec(state)?.[1] ?? "";
                    assert.match(stored, /require\(\\"pulumi-cache-purge\/provider\/flextype\\"\)/, "the stored provider requires the installed package");
                    assert.ok(JSON.parse(`"${stored}"`).length <= 1_200, `the stored provider is ${stored.length} characters: ${stored}`);
                } finally {
                    emulators.kill();
                }
            });
        });
    }
});
