import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { FlextypeEmulator } from "../../src/testing";
import { type CliResult, CliStack, describeWithCli } from "../harness/pulumi-cli";
import { REPO_ROOT, tempDir } from "../harness/workspace";
import { missingLines } from "./readme-excerpts";

const OLD = "0.1.0";
const NEW = "0.2.0";
const TOKEN = "9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e";
const ACCESS_TOKEN = "CANARY-flextype-upgrade-access-71c3";

/** How a program picks the plugin's version: the engine's newest installed, the resource's `version`, or an explicit provider's. */
type Pinning = "unpinned" | "resource" | "provider";

interface Upgrade {
    /** `pulumi stack export` after the up with 0.1.0, and after the up with 0.2.0. */
    readonly before: StateResource[];
    readonly after: StateResource[];
    readonly preview: CliResult;
    readonly up: CliResult;
    /** Requests the service received during that preview and up. */
    readonly upgradeRequests: number;
    readonly changePreview: CliResult;
    readonly changeUp: CliResult;
    readonly changeRequests: number;
    readonly changeClears: number;
}

interface StateResource {
    readonly urn: string;
    readonly id?: string;
    readonly created?: string;
    readonly provider?: string;
    readonly inputs?: { readonly version?: string };
}

/**
 * Upgrading the installed plugin from 0.1.0 to 0.2.0 under a stack that already purged, the way a user
 * does it (`pulumi plugin install … --file`, a YAML program), for each way a program picks the version.
 * A replaced provider or purge resource would purge again: the upgrade must send no request, and the next
 * content change must purge once. docs/languages.md quotes what the preview prints. Needs `npm run build`.
 */
describeWithCli("upgrading the installed plugin under the real pulumi CLI", function (binDir) {
    this.timeout(300_000);
    let work: { dir: string; remove: () => void };
    let cms: FlextypeEmulator;
    const tarballs = new Map<string, string>();
    const installed = new Set<string>();

    before(async function () {
        if (!fs.existsSync(path.join(binDir, "pulumi-language-yaml"))) {
            this.skip();
        }
        work = tempDir("cli-plugin-upgrade");
        // One after the other: each build packs the repository, and packing rebuilds dist/.
        for (const version of [OLD, NEW]) {
            const out = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "plugin-tarball.sh"), path.join(work.dir, version)], {
                encoding: "utf8", env: { ...process.env, PLUGIN_VERSION: version },
            });
            tarballs.set(version, out.trim().split("\n").pop()!);
        }
        cms = await new FlextypeEmulator({ [TOKEN]: { accessToken: ACCESS_TOKEN } }).start();
    });

    after(async () => {
        await cms?.stop();
        work?.remove();
    });

    /** `pulumi plugin install resource cache-purge <version> --file <tarball>`, once per version: the plugin cache is shared. */
    function install(stack: CliStack, version: string): void {
        if (installed.has(version)) {
            return;
        }
        const args = ["plugin", "install", "resource", "cache-purge", version, "--file", tarballs.get(version)!];
        const result = spawnSync(path.join(binDir, "pulumi"), args, { env: stack.env, encoding: "utf8" });
        assert.equal(result.status, 0, result.stderr);
        installed.add(version);
    }

    function writeProgram(dir: string, pinning: Pinning, version: string, content: string): void {
        const explicit = pinning === "provider";
        const config = explicit ? ["config:", "  cmsToken:", "    type: string", "  cmsAccessToken:", "    type: string"] : [];
        const provider = explicit ? [
            "  purger:", "    type: pulumi:providers:cache-purge", "    properties:", "      flextypeToken: ${cmsToken}",
            "      flextypeAccessToken: ${cmsAccessToken}", "    options:", `      version: ${version}`,
        ] : [];
        const options = pinning === "resource" ? ["    options:", `      version: ${version}`] : explicit ? ["    options:", "      provider: ${purger}"] : [];
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), [
            "name: site", "runtime: yaml", ...config, "resources:", ...provider,
            "  cms:", "    type: cache-purge:flextype:CachePurge", "    properties:", `      baseUrl: ${cms.baseUrl}`,
            "      triggers:", `        content: ${content}`, ...options, "",
        ].join("\n"));
    }

    async function resources(stack: CliStack): Promise<StateResource[]> {
        return (JSON.parse(await stack.exportState()) as { deployment: { resources: StateResource[] } }).deployment.resources;
    }

    /** Deploys with 0.1.0, moves to 0.2.0 as the pinning allows, previews and ups, then changes the content and ups. */
    async function upgrade(pinning: Pinning): Promise<Upgrade> {
        const programDir = path.join(work.dir, pinning);
        fs.mkdirSync(programDir);
        // A backend per program, so each is the project `site`, stack `dev`, as docs/languages.md shows them.
        const stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: "dev", env: { PULUMI_BACKEND_URL: `file://${programDir}` } });
        writeProgram(programDir, pinning, OLD, "v1");
        install(stack, OLD);
        await stack.init(pinning === "provider"
            ? { "site:cmsToken": { value: TOKEN, secret: true }, "site:cmsAccessToken": { value: ACCESS_TOKEN, secret: true } }
            : { "cache-purge:flextypeToken": { value: TOKEN, secret: true }, "cache-purge:flextypeAccessToken": { value: ACCESS_TOKEN, secret: true } });
        assert.equal((await stack.up()).ok, true);
        const before = await resources(stack);

        install(stack, NEW);
        if (pinning !== "unpinned") {
            writeProgram(programDir, pinning, NEW, "v1");
        }
        let requests = cms.requests.length;
        // The engine's own log says which plugin binary it started: it must be 0.2.0's.
        const preview = await stack.preview("--logtostderr", "-v=9");
        const up = await stack.up();
        const upgradeRequests = cms.requests.length - requests;
        const after = await resources(stack);

        writeProgram(programDir, pinning, NEW, "v2");
        requests = cms.requests.length;
        const clears = cms.clears;
        const changePreview = await stack.preview();
        const changeUp = await stack.up();
        return {
            before, after, preview, up, upgradeRequests,
            changePreview, changeUp, changeRequests: cms.requests.length - requests, changeClears: cms.clears - clears,
        };
    }

    const find = (state: StateResource[], name: string): StateResource => {
        const found = state.find((r) => r.urn.endsWith(`::${name}`));
        assert.ok(found, `no ${name} in ${state.map((r) => r.urn).join(", ")}`);
        return found;
    };

    /** The purge resource kept: same id, same creation time (a replacement records a new one), and nothing sent. */
    function assertNothingPurgedOrReplaced(result: Upgrade): void {
        assert.equal(result.preview.ok, true, result.preview.output);
        assert.equal(result.up.ok, true, result.up.output);
        assert.doesNotMatch(result.preview.stdout + result.up.stdout, /replace|create|delete|cache-purge:flextype:CachePurge/);
        assert.equal(result.upgradeRequests, 0);
        assert.deepEqual([find(result.after, "cms").id, find(result.after, "cms").created], [find(result.before, "cms").id, find(result.before, "cms").created]);
    }

    /** The next content change, under 0.2.0, is an update of the purge resource that purges once. */
    function assertChangePurgesOnce(result: Upgrade): void {
        assert.match(result.changePreview.stdout, /^ ~  cache-purge:flextype:CachePurge cms update \[diff: ~purgePlan,triggers\]; flextype: purge cache \(trigger content: v1 -> v2\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/cache\/clear$/m);
        assert.equal(result.changeUp.ok, true, result.changeUp.output);
        assert.match(result.changeUp.stdout, /~ 1 updated/);
        assert.deepEqual([result.changeRequests, result.changeClears], [1, 1]);
    }

    /** The block of docs/languages.md marked `<!-- plugin-upgrade: <mark> -->`, line by line in the output. */
    function assertDocsQuote(mark: "default-provider" | "explicit-provider", output: string): void {
        const page = fs.readFileSync(path.join(REPO_ROOT, "docs", "languages.md"), "utf8");
        // The block may sit in a list item: its lines carry the fence's indentation.
        const block = new RegExp(`<!-- plugin-upgrade: ${mark} -->\\n( *)\`\`\`\\n([\\s\\S]*?)\\n *\`\`\``).exec(page);
        assert.ok(block, `docs/languages.md has no block marked <!-- plugin-upgrade: ${mark} -->`);
        const lines = block[2].split("\n").map((line) => line.slice(block[1].length));
        const excerpt = { example: "plugin-upgrade", step: mark, lines, page: "docs/languages.md" };
        assert.deepEqual(missingLines(excerpt, output), [], `docs/languages.md quotes what pulumi did not print:\n${output}`);
    }

    it("keeps an unpinned program's purge and its default provider when 0.2.0 is installed beside 0.1.0, and purges once on the next content change", async () => {
        // GIVEN a YAML program without a version, deployed with only 0.1.0 installed
        // WHEN 0.2.0 is installed too, and the program previews and ups unchanged, then with new content
        const result = await upgrade("unpinned");

        // THEN the engine runs 0.2.0, the same default provider serves the same purge resource, and nothing is sent
        const launched = result.preview.output.match(/Launching plugin 'cache-purge \(resource\)' from '[^']*'/g) ?? [];
        assert.ok(launched.length > 0, result.preview.output);
        assert.deepEqual(launched.filter((line) => !line.includes(`/resource-cache-purge-v${NEW}/`)), []);
        assert.match(result.preview.stdout, /Resources:\n\s+2 unchanged\n/);
        assert.match(result.up.stdout, /Resources:\n\s+2 unchanged\n/);
        assertNothingPurgedOrReplaced(result);
        assert.equal(find(result.after, "default").id, find(result.before, "default").id);
        assertDocsQuote("default-provider", result.preview.stdout);
        // AND the next content change purges once
        assertChangePurgesOnce(result);
    });

    it("moves a purge resource whose version goes from 0.1.0 to 0.2.0 onto the new default provider without a purge, and purges once on the next content change", async () => {
        // GIVEN a YAML program whose resource has `options: version: 0.1.0`, deployed
        // WHEN the program says 0.2.0, previews and ups, then new content
        const result = await upgrade("resource");

        // THEN the engine swaps default_0_1_0 for default_0_2_0 (steps the CLI does not show) and keeps the purge resource
        assert.match(result.preview.stdout, /Resources:\n\s+2 unchanged\n/);
        assertNothingPurgedOrReplaced(result);
        const providers = result.after.filter((r) => r.urn.includes("::pulumi:providers:cache-purge::"));
        assert.deepEqual(providers.map((p) => [p.urn.split("::").pop(), p.inputs?.version]), [["default_0_2_0", NEW]]);
        assert.equal(find(result.after, "cms").provider, `${providers[0].urn}::${providers[0].id}`);
        assertDocsQuote("default-provider", result.preview.stdout);
        // AND the next content change purges once
        assertChangePurgesOnce(result);
    });

    it("updates an explicit provider whose version goes from 0.1.0 to 0.2.0 in place, without a purge, and purges once on the next content change", async () => {
        // GIVEN a YAML program with a `pulumi:providers:cache-purge` resource at version 0.1.0 serving the purge, deployed
        // WHEN its version says 0.2.0, the program previews and ups, then new content
        const result = await upgrade("provider");

        // THEN the provider is updated in place (the only change), and the purge resource is kept
        assert.match(result.preview.stdout, /^ ~  pulumi:providers:cache-purge purger update \[diff: ~version\]$/m);
        assert.match(result.preview.stdout, /Resources:\n\s+~ 1 to update\n\s+2 unchanged\n/);
        assert.match(result.up.stdout, /Resources:\n\s+~ 1 updated\n\s+2 unchanged\n/);
        assertNothingPurgedOrReplaced(result);
        const purger = find(result.after, "purger");
        assert.deepEqual([purger.id, purger.inputs?.version], [find(result.before, "purger").id, NEW]);
        assertDocsQuote("explicit-provider", result.preview.stdout);
        // AND the next content change purges once
        assertChangePurgesOnce(result);
    });
});
