import assert from "node:assert/strict";
import { execFileSync } from "child_process";
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

describe("hashFiles walks a bounded tree and names the path of every error", () => {
    let work: { dir: string; remove: () => void };

    beforeEach(() => {
        work = tempDir("hash-bounds");
    });

    afterEach(() => work.remove());

    /** Level i holds a file and two links, left and right, to level i + 1: 2^levels paths, `levels` real folders. */
    function diamond(levels: number): string {
        for (let i = 0; i <= levels; i++) {
            fs.mkdirSync(path.join(work.dir, `level-${i}`));
            fs.writeFileSync(path.join(work.dir, `level-${i}`, "page.html"), `level ${i}`);
        }
        for (let i = 0; i < levels; i++) {
            fs.symlinkSync(path.join(work.dir, `level-${i + 1}`), path.join(work.dir, `level-${i}`, "left"));
            fs.symlinkSync(path.join(work.dir, `level-${i + 1}`), path.join(work.dir, `level-${i}`, "right"));
        }
        return path.join(work.dir, "level-0");
    }

    it("hashes a 22-level diamond of links in well under a second, reading each real folder once", async () => {
        const root = diamond(22);
        const started = Date.now();

        const digest = await hashFiles(root);
        fs.writeFileSync(path.join(work.dir, "level-22", "page.html"), "changed");
        const changed = await hashFiles(root);

        assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
        assert.notEqual(changed, digest);
    });

    it("refuses, quickly, the 4 million URLs of a 22-level diamond of links, naming the folder", async () => {
        const root = diamond(22);
        const started = Date.now();

        const error = await hashFiles(root, { baseUrl: "https://cdn.example.com/" }).then(() => undefined, (e: Error) => e);

        assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
        assert.match(error?.message ?? "", new RegExp(`^hashFiles: ${root} holds more than 200,000 files and folders \\(each path a symbolic link adds counts; stopped at ${root}/left/`));
    });

    it("keeps one URL per path of a folder that two links reach", async () => {
        const root = diamond(2);

        const urls = await hashFiles(root, { baseUrl: "https://cdn.example.com/" });

        assert.deepEqual(Object.keys(urls), [
            "https://cdn.example.com/left/left/page.html", "https://cdn.example.com/left/page.html", "https://cdn.example.com/left/right/page.html",
            "https://cdn.example.com/page.html",
            "https://cdn.example.com/right/left/page.html", "https://cdn.example.com/right/page.html", "https://cdn.example.com/right/right/page.html",
        ]);
    });

    it("names a named pipe or a device given as the folder, instead of reading it forever", async () => {
        const fifo = path.join(work.dir, "pipe");
        execFileSync("mkfifo", [fifo]);
        const link = path.join(work.dir, "zero");
        fs.symlinkSync("/dev/zero", link);

        const errors = await Promise.all([fifo, link].map((target) => hashFiles(target).then(() => undefined, (e: Error) => e.message)));

        assert.deepEqual(errors, [
            `hashFiles: ${fifo} is a named pipe (FIFO), not a file or a folder; pass the file or the folder that is deployed`,
            `hashFiles: ${link} is a character device, not a file or a folder; pass the file or the folder that is deployed`,
        ]);
    });

    it("leaves a named pipe inside the folder out, and hashes the rest", async () => {
        fs.mkdirSync(path.join(work.dir, "site"));
        fs.writeFileSync(path.join(work.dir, "site", "index.html"), "home");
        const before = await hashFiles(path.join(work.dir, "site"));
        execFileSync("mkfifo", [path.join(work.dir, "site", "pipe")]);

        assert.equal(await hashFiles(path.join(work.dir, "site")), before);
    });

    it("names the file it could not read", async () => {
        fs.mkdirSync(path.join(work.dir, "site"));
        fs.writeFileSync(path.join(work.dir, "site", "a.html"), "a");
        fs.writeFileSync(path.join(work.dir, "site", "b.html"), "b");
        // The file goes away after it was listed, before it is read: as a build still writing the folder does.
        const vanishing = (relative: string) => {
            if (relative === "b.html") {
                fs.rmSync(path.join(work.dir, "site", "a.html"));
            }
            return false;
        };

        const error = await hashFiles(path.join(work.dir, "site"), { exclude: vanishing }).then(() => undefined, (e: Error) => e.message);

        assert.equal(error, `hashFiles: cannot read ${path.join(work.dir, "site", "a.html")}: no such file or directory (ENOENT)`);
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
