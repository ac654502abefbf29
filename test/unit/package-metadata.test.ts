import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { documentationPages } from "../cli/readme-excerpts";
import { REPO_ROOT } from "../harness/workspace";

interface Manifest {
    readonly version: string;
    readonly homepage?: string;
    readonly repository?: { readonly type: string; readonly url: string };
    readonly bugs?: { readonly url: string };
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as Manifest;
/** What a reader copies: the docs, and the example whose package.json names the tarball. */
const texts = [
    ...documentationPages(),
    { page: "examples/automation/package.json", text: fs.readFileSync(path.join(REPO_ROOT, "examples", "automation", "package.json"), "utf8") },
];

describe("package.json metadata and the install lines of the docs", () => {
    it("names one repository as repository, homepage and issue tracker", () => {
        const repository = /^git\+(https:\/\/github\.com\/[^/]+\/[^/]+)\.git$/.exec(manifest.repository?.url ?? "")?.[1];

        assert.ok(repository, `repository.url is ${JSON.stringify(manifest.repository?.url)}`);
        assert.equal(manifest.repository?.type, "git");
        assert.equal(manifest.homepage, `${repository}#readme`);
        assert.equal(manifest.bugs?.url, `${repository}/issues`);
    });

    it("gives, in every page, the repository's real URL and the tarball of this version, and no placeholder", () => {
        const repository = /^git\+(https:\/\/github\.com\/[^/]+\/[^/]+)\.git$/.exec(manifest.repository!.url)![1];
        const wrong: string[] = [];

        for (const { page, text } of texts) {
            for (const [url] of text.matchAll(/https:\/\/github\.com\/[\w.-]+\/pulumi-cache-purge\b/g)) {
                if (url !== repository) {
                    wrong.push(`${page}: ${url}, not ${repository}`);
                }
            }
            for (const [, version] of text.matchAll(/pulumi-cache-purge-(\d+\.\d+\.\d+[\w.-]*?)\.tgz/g)) {
                if (version !== manifest.version) {
                    wrong.push(`${page}: a tarball of ${version}, but package.json is ${manifest.version}`);
                }
            }
            if (text.includes("this repository's URL")) {
                wrong.push(`${page}: a placeholder for the repository's URL`);
            }
            // The tarball's file count (`npm pack` … `(157 files)`), not a plan line's `(3 files)` of a request.
            for (const [count] of text.matchAll(/(?:npm pack|tarball|package)[^\n]{0,80}\(\d+ files\)/gi)) {
                wrong.push(`${page}: quotes a file count that drifts with every file added, ${count}`);
            }
        }

        assert.ok(texts.some((t) => t.text.includes(`pulumi-cache-purge-${manifest.version}.tgz`)));
        assert.deepEqual(wrong, []);
    });
});
