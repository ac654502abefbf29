import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CloudFrontEmulator, ImageKitEmulator } from "../../src/testing";
import { CliStack, describeWithCli } from "../harness/pulumi-cli";
import { REPO_ROOT, tempDir } from "../harness/workspace";
import { CANARIES } from "./example-fixtures";

/**
 * The release route: scripts/plugin-tarball.sh builds the tarball, `npx pulumi-cache-purge plugin`
 * prints the install line, `pulumi plugin install … --file` installs it, and a YAML program with no
 * plugin on PATH uses it. Needs `npm run build` (the command and the tarball are built code).
 */
describeWithCli("the plugin's release tarball under the real pulumi CLI", function (binDir) {
    this.timeout(300_000);
    let work: { dir: string; remove: () => void };
    let cdn: ImageKitEmulator;
    let stack: CliStack;
    let tarball: string;
    let programDir: string;

    before(async function () {
        if (!fs.existsSync(path.join(binDir, "pulumi-language-yaml"))) {
            this.skip();
        }
        work = tempDir("cli-plugin-tarball");
        tarball = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "plugin-tarball.sh"), work.dir], { encoding: "utf8" }).trim().split("\n").pop()!;
        cdn = await new ImageKitEmulator({ privateKey: CANARIES.imagekitKey }).start();
        programDir = path.join(work.dir, "program");
        fs.mkdirSync(programDir);
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), [
            "name: yaml-installed-plugin", "runtime: yaml", "resources:", "  images:", "    type: cache-purge:imagekit:UrlPurge", "    properties:",
            `      baseUrl: ${cdn.baseUrl}`, "      urls: [\"https://ik.imagekit.io/acme/logo.svg\"]", "",
        ].join("\n"));
        stack = new CliStack({ binDir, programDir, workDir: work.dir, stack: "dev" });
    });

    after(async () => {
        await cdn?.stop();
        work?.remove();
    });

    it("installs with the line the package prints and serves a YAML program from the plugin cache", async () => {
        // GIVEN the install line `npx pulumi-cache-purge plugin` prints
        const printed = execFileSync(process.execPath, [path.join(REPO_ROOT, "dist", "cli", "main.js"), "plugin"], { encoding: "utf8" });
        const line = printed.split("\n").find((l) => l.startsWith("pulumi plugin install "))!;
        const [, , , kind, name, version, flag, file] = line.split(" ");
        assert.equal(file, path.basename(tarball), printed);

        // WHEN that line runs with the built tarball, and the program previews
        const install = spawnSync(path.join(binDir, "pulumi"), ["plugin", "install", kind, name, version, flag, tarball], { env: stack.env, encoding: "utf8" });
        await stack.init({ "cache-purge:imagekitPrivateKey": { value: CANARIES.imagekitKey, secret: true } });
        const preview = await stack.preview();

        // THEN the CLI lists the plugin, and the preview shows the plan under the resource, without a request
        assert.equal(install.status, 0, install.stderr);
        const listed = spawnSync(path.join(binDir, "pulumi"), ["plugin", "ls"], { env: stack.env, encoding: "utf8" }).stdout;
        assert.match(listed, new RegExp(`cache-purge\\s+resource\\s+${version.replace(/\./g, "\\.")}`));
        assert.equal(preview.ok, true, preview.output);
        assert.match(preview.output, /cache-purge:imagekit:UrlPurge images create imagekit: purge https:\/\/ik\.imagekit\.io\/acme\/logo\.svg \(created\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/v1\/files\/purge/);
        assert.ok(!preview.output.includes("from $PATH"), preview.output);
        assert.equal(cdn.requests.length, 0);
    });

    it("invalidates CloudFront through the installed plugin, with the AWS SDK the tarball carries", async () => {
        // GIVEN the plugin installed above, and a YAML program with a CloudFront invalidation (no npm project anywhere)
        const aws = await new CloudFrontEmulator({ accounts: { AKIATARBALLEXAMPLE00: CANARIES.awsSecretKey }, distributions: ["E2QWRUHEXAMPLE"] }).start();
        try {
            fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), [
                "name: yaml-installed-plugin", "runtime: yaml", "config:", "  awsSecretKey:", "    type: string", "resources:", "  site:",
                "    type: cache-purge:cloudfront:Invalidation", "    properties:", `      endpoint: ${aws.baseUrl}`, "      distributionId: E2QWRUHEXAMPLE",
                "      paths: [\"/index.html\"]", "      accessKeyId: AKIATARBALLEXAMPLE00", "      secretAccessKey: ${awsSecretKey}", "",
            ].join("\n"));
            await stack.setConfig({ "yaml-installed-plugin:awsSecretKey": { value: CANARIES.awsSecretKey, secret: true } });

            // WHEN it is deployed
            const up = await stack.up();

            // THEN the invalidation was signed and sent, and the tarball holds the SDK that did it
            assert.equal(up.ok, true, up.output);
            assert.deepEqual(aws.invalidations.map((i) => i.paths), [["/index.html"]]);
            assert.ok(aws.signaturesVerified >= 1);
            const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
            assert.match(listing, /^\.\/node_modules\/@aws-sdk\/client-cloudfront\/package\.json$/m);
            assert.ok(!up.output.includes(CANARIES.awsSecretKey));
        } finally {
            await aws.stop();
        }
    });
});
