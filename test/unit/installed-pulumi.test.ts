import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { installedLabel, installedPulumi } from "../../scripts/installed-pulumi";
import { tempDir } from "../harness/workspace";

/** A folder holding executables: `pulumi` answering `pulumi version` with `version`, and the other files named. */
function binFolder(dir: string, version: string | undefined, others: readonly string[] = []): string {
    fs.mkdirSync(dir, { recursive: true });
    if (version !== undefined) {
        fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\n[ "$1" = version ] && echo ${version}\n`, { mode: 0o755 });
    }
    for (const name of others) {
        fs.writeFileSync(path.join(dir, name), "#!/bin/sh\n", { mode: 0o755 });
    }
    return dir;
}

describe("npm run demo: the pulumi it runs on (scripts/installed-pulumi.ts)", () => {
    let work: { dir: string; remove: () => void };
    beforeEach(() => { work = tempDir("installed-pulumi"); });
    afterEach(() => work.remove());

    it("uses a pulumi on PATH of 3.139 or later, with the language host shipped beside it, and says so", () => {
        const bin = binFolder(path.join(work.dir, "pulumi-install", "bin"), "v3.200.1", ["pulumi-language-nodejs"]);
        const other = binFolder(path.join(work.dir, "elsewhere"), undefined, ["pulumi-language-nodejs"]);

        const found = installedPulumi([path.join(work.dir, "empty"), bin, other].join(path.delimiter));

        assert.deepEqual(found, { binDir: bin, version: "3.200.1", languageHost: path.join(bin, "pulumi-language-nodejs") });
        assert.equal(installedLabel(found as Exclude<typeof found, { reason: string }>),
            `the pulumi CLI v3.200.1 installed in ${bin}, with its own language host (${bin}/pulumi-language-nodejs), a local file backend`);
    });

    it("follows a symbolic link on PATH to the folder pulumi really lives in", () => {
        const real = binFolder(path.join(work.dir, "real"), "v3.139.0", ["pulumi-language-nodejs"]);
        const linked = path.join(work.dir, "usr-local-bin");
        fs.mkdirSync(linked);
        fs.symlinkSync(path.join(real, "pulumi"), path.join(linked, "pulumi"));

        const found = installedPulumi(linked);

        assert.deepEqual(found, { binDir: real, version: "3.139.0", languageHost: path.join(real, "pulumi-language-nodejs") });
    });

    it("passes over a pulumi older than 3.139, saying why, so the demo builds one from source", () => {
        const bin = binFolder(path.join(work.dir, "old"), "v3.138.9", ["pulumi-language-nodejs"]);

        assert.deepEqual(installedPulumi(bin), { reason: `${bin}/pulumi is pulumi v3.138.9, older than 3.139.0 (the first whose dynamic providers read the stack config)` });
    });

    it("passes over a pulumi without a Node.js language host, and says when there is no pulumi at all", () => {
        const bin = binFolder(path.join(work.dir, "bare"), "v3.276.0");

        assert.deepEqual(installedPulumi(bin), { reason: `${bin}/pulumi (v3.276.0) has no pulumi-language-nodejs beside it or on PATH to run Node.js programs` });
        assert.deepEqual(installedPulumi(path.join(work.dir, "nothing-here")), { reason: "no pulumi on PATH" });
    });

    it("recognises the real CLI this repository builds, when it is on PATH", function () {
        const built = process.env.PULUMI_CLI_BIN;
        if (!built || !fs.existsSync(path.join(built, "pulumi"))) {
            this.skip();
        }

        const found = installedPulumi(built!);

        assert.deepEqual(found, { binDir: fs.realpathSync(built!), version: path.basename(built!).replace(/^v/, ""), languageHost: path.join(fs.realpathSync(built!), "pulumi-language-nodejs") });
    });
});
