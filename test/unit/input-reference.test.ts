import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { inputReference, REFERENCE_DIR, referencePages } from "../../scripts/input-reference";
import { REPO_ROOT } from "../harness/workspace";

/** A copy of the sources under .pulumi-test/ (so node_modules still resolves), to change without touching src/. */
function sourceCopy(): { root: string; remove: () => void } {
    const root = fs.mkdtempSync(path.join(REPO_ROOT, ".pulumi-test", "input-reference-"));
    fs.cpSync(path.join(REPO_ROOT, "src"), path.join(root, "src"), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, "tsconfig.json"), path.join(root, "tsconfig.json"));
    return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

describe("the input reference (scripts/input-reference.ts)", function () {
    this.timeout(120_000);
    before(() => fs.mkdirSync(path.join(REPO_ROOT, ".pulumi-test"), { recursive: true }));

    it("is committed exactly as the script writes it from today's doc comments", () => {
        const pages = referencePages();

        const committed = fs.readdirSync(REFERENCE_DIR).sort();

        assert.deepEqual(committed, [...pages.keys()].sort(), "docs/reference holds a page the script no longer writes, or lacks one");
        for (const [file, text] of pages) {
            assert.equal(fs.readFileSync(path.join(REFERENCE_DIR, file), "utf8"), text, `docs/reference/${file} is stale: run npm run docs:inputs`);
        }
    });

    it("says that a change of the endpoint purges every target, and a credential, a timeout or a flag never", () => {
        const byService = new Map(inputReference().map((r) => [r.service, new Map(r.inputs.map((i) => [i.name, i]))]));
        const flextype = byService.get("flextype")!;
        const buddy = byService.get("buddy")!;

        assert.equal(flextype.get("baseUrl")!.onChange, "purges every target (`endpoint changed: <old> -> <new>`)");
        assert.equal(buddy.get("region")!.onChange, "purges every target (`endpoint changed: <old> -> <new>`)");
        assert.equal(flextype.get("triggers")!.onChange, "purges every target (`trigger <name>: <old> -> <new>`); adding or removing a key does too");
        assert.equal(flextype.get("forcePurge")!.onChange, "purges every target (`forcePurge: <old> -> <new>`)");
        assert.equal(buddy.get("pipelines")!.onChange, "purges the targets added and those whose own hash changed; a removed target is not purged");
        for (const name of ["token", "accessToken", "timeoutMs", "maxRetries", "purgeOnDelete"]) {
            assert.equal(flextype.get(name)!.onChange, "no purge", name);
        }
        assert.equal(byService.get("imagekit")!.get("urlEndpoint")!.onChange, "no purge");
    });

    it("marks credentials always secret, and triggers and target maps secret when passed as secrets", () => {
        const mstr = new Map(inputReference().find((r) => r.service === "microstrategy")!.inputs.map((i) => [i.name, i]));

        assert.equal(mstr.get("password")!.secret, "always (stored encrypted even when passed as plain text)");
        assert.equal(mstr.get("username")!.secret, "no");
        assert.equal(mstr.get("cacheTypes")!.secret, "when you pass a secret: the plan then says `(secret)` instead of the value");
        assert.equal(mstr.get("triggers")!.secret, "when you pass a secret: the plan then says `(secret)` instead of the value");
    });

    it("documents every input of a service added later, found by its folder", () => {
        // GIVEN a new service folder, a copy of Flextype's under another module name
        const copy = sourceCopy();
        try {
            const services = path.join(copy.root, "src", "services");
            fs.cpSync(path.join(services, "flextype"), path.join(services, "acme"), { recursive: true });
            const resource = path.join(services, "acme", "resource.ts");
            fs.writeFileSync(resource, fs.readFileSync(resource, "utf8").replace('module: "flextype"', 'module: "acme"'));

            // WHEN the reference is generated
            const pages = referencePages(copy.root);

            // THEN it has a page for it, with the endpoint input marked as purging
            assert.ok(pages.has("acme.md"), [...pages.keys()].join(", "));
            assert.match(pages.get("acme.md")!, /^# `purge\.acme\.CachePurge` inputs$/m);
            assert.match(pages.get("acme.md")!, /^\| \[`baseUrl`\]\(#baseurl\) \| `string` \| required \| no \| purges every target \(`endpoint changed: <old> -> <new>`\) \|$/m);
            assert.match(pages.get("README.md")!, /\[`purge\.acme\.CachePurge`\]\(acme\.md\)/);
        } finally {
            copy.remove();
        }
    });

    it("refuses an input without a doc comment, naming the file and the input", () => {
        const copy = sourceCopy();
        try {
            const resource = path.join(copy.root, "src", "services", "buddy", "resource.ts");
            const text = fs.readFileSync(resource, "utf8");
            fs.writeFileSync(resource, text.replace(/\/\*\*(?:(?!\*\/)[\s\S])*?\*\/\n\s*readonly region\?/, "readonly region?"));

            assert.throws(() => inputReference(copy.root), { message: `${path.join("src", "services", "buddy", "resource.ts")}: region has no doc comment; every public input needs one (what it is, its effect, @default)` });
        } finally {
            copy.remove();
        }
    });
});
