import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { hashFiles } from "../../src/core/hash";
import { tempDir } from "../harness/workspace";

describe("hashFiles", () => {
    let work: { dir: string; remove: () => void };

    beforeEach(() => {
        work = tempDir("hash");
        fs.mkdirSync(path.join(work.dir, "img", "sub dir"), { recursive: true });
        fs.writeFileSync(path.join(work.dir, "img", "a.jpg"), "A");
        fs.writeFileSync(path.join(work.dir, "img", "sub dir", "b é.png"), "B");
        fs.writeFileSync(path.join(work.dir, "img", ".DS_Store"), "junk");
    });

    afterEach(() => work.remove());

    it("gives the same hash for the same content and a new one when a file changes", async () => {
        const first = await hashFiles(path.join(work.dir, "img"));
        const same = await hashFiles(path.join(work.dir, "img"));
        fs.writeFileSync(path.join(work.dir, "img", "a.jpg"), "A2");
        const changed = await hashFiles(path.join(work.dir, "img"));

        assert.match(first, /^[0-9a-f]{64}$/);
        assert.equal(same, first);
        assert.notEqual(changed, first);
    });

    it("does not depend on where the folder is or the order files were written in", async () => {
        const copy = path.join(work.dir, "copy");
        fs.mkdirSync(path.join(copy, "sub dir"), { recursive: true });
        fs.writeFileSync(path.join(copy, "sub dir", "b é.png"), "B");
        fs.writeFileSync(path.join(copy, ".DS_Store"), "junk");
        fs.writeFileSync(path.join(copy, "a.jpg"), "A");

        assert.equal(await hashFiles(copy), await hashFiles(path.join(work.dir, "img")));
    });

    it("tells a renamed file from the original", async () => {
        const before = await hashFiles(path.join(work.dir, "img"));
        fs.renameSync(path.join(work.dir, "img", "a.jpg"), path.join(work.dir, "img", "c.jpg"));

        assert.notEqual(await hashFiles(path.join(work.dir, "img")), before);
    });

    it("maps each file to its URL-encoded URL and its own hash, leaving out what is excluded", async () => {
        const urls = await hashFiles(path.join(work.dir, "img"), { baseUrl: "https://ik.imagekit.io/acme/img", exclude: [".DS_Store"] });

        assert.deepEqual(Object.keys(urls), [
            "https://ik.imagekit.io/acme/img/a.jpg",
            "https://ik.imagekit.io/acme/img/sub%20dir/b%20%C3%A9.png",
        ]);
        assert.notEqual(urls["https://ik.imagekit.io/acme/img/a.jpg"], urls["https://ik.imagekit.io/acme/img/sub%20dir/b%20%C3%A9.png"]);
    });

    it("leaves out operating system and editor files by default, and keeps them when asked", async () => {
        for (const junk of ["Thumbs.db", "desktop.ini", "a.jpg~", ".a.jpg.swp"]) {
            fs.writeFileSync(path.join(work.dir, "img", "sub dir", junk), "junk");
        }
        const base = { baseUrl: "https://cdn.example.com/" };

        const urls = await hashFiles(path.join(work.dir, "img"), base);
        const all = await hashFiles(path.join(work.dir, "img"), { ...base, skipOsAndEditorFiles: false });

        assert.deepEqual(Object.keys(urls), ["https://cdn.example.com/a.jpg", "https://cdn.example.com/sub%20dir/b%20%C3%A9.png"]);
        assert.deepEqual(Object.keys(all).map((u) => u.slice(24)), [
            ".DS_Store", "a.jpg", "sub%20dir/.a.jpg.swp", "sub%20dir/Thumbs.db", "sub%20dir/a.jpg~", "sub%20dir/b%20%C3%A9.png", "sub%20dir/desktop.ini",
        ]);
    });

    it("hashes only what include names, less what exclude names", async () => {
        fs.writeFileSync(path.join(work.dir, "img", "sub dir", "c.png"), "C");

        const urls = await hashFiles(path.join(work.dir, "img"), { baseUrl: "https://cdn.example.com/", include: ["sub dir/"], exclude: ["c.png"] });

        assert.deepEqual(Object.keys(urls), ["https://cdn.example.com/sub%20dir/b%20%C3%A9.png"]);
    });

    it("fails at once, naming the path, when it does not exist", () => {
        assert.throws(() => hashFiles(path.join(work.dir, "missing")), { message: `hashFiles: ${path.join(work.dir, "missing")} does not exist` });
    });
});
