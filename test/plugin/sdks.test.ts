import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT, tempDir } from "../harness/workspace";

const haveTools = spawnSync("sh", ["-c", "command -v go && command -v python3"]).status === 0;

/**
 * The Go and Python SDKs generated from the plugin's schema with Pulumi's own generators
 * (scripts/plugin-sdks.sh): they compile, and they keep credentials secret as the schema says. Not run:
 * no Go or Python language host of Pulumi's is served here. Needs `npm run build`, Go and python3.
 */
(haveTools ? describe : describe.skip)("the SDKs generated from the plugin's schema", function () {
    this.timeout(600_000);
    let work: { dir: string; remove: () => void };
    let output: string;
    let status: number | null;

    before(() => {
        work = tempDir("plugin-sdks");
        const run = spawnSync("bash", [path.join(REPO_ROOT, "scripts", "plugin-sdks.sh"), work.dir], { encoding: "utf8" });
        output = `${run.stdout}${run.stderr}`;
        status = run.status;
    });

    after(() => work?.remove());

    it("builds the Go SDK, every package of it, and compiles every Python file", () => {
        assert.equal(status, 0, output);
        assert.match(output, /^go: 12 packages build$/m);
        assert.match(output, /^python: \d+ files compile$/m);
    });

    it("makes the credentials secret in both, as the TypeScript resources do", () => {
        const go = fs.readFileSync(path.join(work.dir, "go", "cachepurge", "imagekit", "urlPurge.go"), "utf8");
        const python = fs.readFileSync(path.join(work.dir, "python", "pulumi_cache_purge", "imagekit", "url_purge.py"), "utf8");

        assert.match(go, /args\.PrivateKey = pulumi\.ToSecret\(args\.PrivateKey\)/);
        assert.match(python, /pulumi\.Output\.secret\(private_key\)/);
    });

    it("types the HTTP purge's request, batch, success and wait with the named types of its TypeScript args, secretHeaders secret", () => {
        const types = fs.readFileSync(path.join(work.dir, "go", "cachepurge", "http", "pulumiTypes.go"), "utf8");
        const resource = fs.readFileSync(path.join(work.dir, "go", "cachepurge", "http", "purge.go"), "utf8");

        for (const name of ["PurgeRequestArgs", "PurgeBatchArgs", "PurgeSuccessArgs", "PurgeWaitArgs"]) {
            assert.match(types, new RegExp(`^type ${name} struct \\{`, "m"), name);
        }
        assert.match(resource, /Request PurgeRequestInput/);
        assert.match(resource, /args\.SecretHeaders = pulumi\.ToSecret\(args\.SecretHeaders\)/);
    });

    it("offers hashFiles to both, for triggers and URL maps", () => {
        assert.ok(fs.existsSync(path.join(work.dir, "go", "cachepurge", "hashFiles.go")));
        assert.match(fs.readFileSync(path.join(work.dir, "python", "pulumi_cache_purge", "hash_files.py"), "utf8"), /def hash_files\(/);
    });
});
