import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { hashFiles } from "../../src/core/hash";
import { FlextypeEmulator } from "../../src/services/flextype/emulator";
import { TestEngine } from "../harness/test-engine";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../harness/workspace";

/** hashFiles and symbolic links (issue 13, item 11): content behind a link is content deployed. */
describe("hashFiles follows symbolic links", () => {
    let work: { dir: string; remove: () => void };
    let site: string;

    beforeEach(() => {
        work = tempDir("hash-links");
        site = path.join(work.dir, "site");
        fs.mkdirSync(path.join(work.dir, "shared", "css"), { recursive: true });
        fs.mkdirSync(site);
        fs.writeFileSync(path.join(work.dir, "shared", "logo.svg"), "<svg/>");
        fs.writeFileSync(path.join(work.dir, "shared", "css", "main.css"), "a{}");
        fs.symlinkSync(path.join(work.dir, "shared", "logo.svg"), path.join(site, "logo.svg"));
        fs.symlinkSync(path.join(work.dir, "shared", "css"), path.join(site, "css"));
    });

    afterEach(() => work.remove());

    it("changes the hash when content behind a linked file or a linked folder changes", async () => {
        const before = await hashFiles(site);
        fs.writeFileSync(path.join(work.dir, "shared", "logo.svg"), "<svg v2/>");
        const fileChanged = await hashFiles(site);
        fs.writeFileSync(path.join(work.dir, "shared", "css", "main.css"), "a{color:red}");
        const folderChanged = await hashFiles(site);
        const urls = await hashFiles(site, { baseUrl: "https://cdn.example.com/" });

        assert.notEqual(fileChanged, before);
        assert.notEqual(folderChanged, fileChanged);
        assert.deepEqual(Object.keys(urls), ["https://cdn.example.com/css/main.css", "https://cdn.example.com/logo.svg"]);
    });

    it("fails naming the link that loops back into a folder it is inside of", async () => {
        fs.symlinkSync(site, path.join(site, "css", "loop"));

        const error = await hashFiles(site).then(() => undefined, (e: Error) => e);

        assert.equal(error?.message, `hashFiles: ${path.join(site, "css", "loop")} is a symbolic link back to ${fs.realpathSync(site)}, a folder it is inside of; remove it or exclude "css/loop"`);
    });

    it("fails naming a link to nothing", async () => {
        fs.symlinkSync(path.join(work.dir, "gone"), path.join(site, "broken"));

        const error = await hashFiles(site).then(() => undefined, (e: Error) => e);

        assert.equal(error?.message, `hashFiles: ${path.join(site, "broken")} is a symbolic link to nothing (${path.join(work.dir, "gone")}); remove it or exclude "broken"`);
    });
});

describe("hashFiles of a missing folder, in a Pulumi program", function () {
    this.timeout(120_000);
    let emulator: FlextypeEmulator;
    let work: { dir: string; remove: () => void };

    before(linkPackageIntoNodeModules);

    beforeEach(async () => {
        emulator = await new FlextypeEmulator({ "tok-hash-1": { accessToken: "acc-hash-1" } }).start();
        work = tempDir("hash-missing");
    });

    afterEach(async () => {
        await emulator.stop();
        work.remove();
    });

    it("fails the preview with one line naming the path, and no stack trace", async () => {
        const missing = path.join(work.dir, "dist");
        const stack = new TestEngine({
            programDir: path.join(REPO_ROOT, "test", "reliability", "programs", "hash-files"),
            project: "hash-files",
            stack: "test",
            stateFile: path.join(work.dir, "state.json"),
            config: {
                "hash-files:baseUrl": { value: emulator.baseUrl },
                "hash-files:dir": { value: missing },
                "cache-purge:flextypeToken": { value: "tok-hash-1", secret: true },
                "cache-purge:flextypeAccessToken": { value: "acc-hash-1", secret: true },
            },
        });

        const preview = await stack.preview();

        const shown = [...preview.errors, ...preview.log.filter((l) => l.severity === "error").map((l) => l.message)].join("\n");
        assert.equal(preview.ok, false);
        assert.ok(shown.includes(`hashFiles: ${missing} does not exist`), shown + preview.output);
        assert.ok(!/\n\s+at /.test(shown), shown);
    });
});
