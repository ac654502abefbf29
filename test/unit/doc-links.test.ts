import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type DocPage, documentationPages } from "../cli/readme-excerpts";
import { REPO_ROOT } from "../harness/workspace";

/** The text outside fenced code blocks and code spans: a `#` line in a shell block is no heading, a `[x](y)` in code no link. */
function prose(markdown: string): string {
    return markdown.replace(/^```[\s\S]*?^```$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchors(markdown: string): Set<string> {
    const seen = new Map<string, number>();
    const result = new Set<string>();
    for (const match of markdown.replace(/^```[\s\S]*?^```$/gm, "").matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
        const slug = match[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").trim().replace(/\s/g, "-");
        const count = seen.get(slug) ?? 0;
        seen.set(slug, count + 1);
        result.add(count === 0 ? slug : `${slug}-${count}`);
    }
    return result;
}

/** Every relative link of a page that leads nowhere: no such file, or no such heading in it. */
export function brokenLinks(page: DocPage, root: string): string[] {
    const broken: string[] = [];
    for (const [, target] of prose(page.text).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
            continue;
        }
        const [file, anchor] = target.split("#") as [string, string | undefined];
        const resolved = file === "" ? path.join(root, page.page) : path.resolve(root, path.dirname(page.page), file);
        if (!fs.existsSync(resolved)) {
            broken.push(`${page.page}: ${target} (no file ${path.relative(root, resolved)})`);
        } else if (anchor !== undefined && !(resolved.endsWith(".md") && anchors(fs.readFileSync(resolved, "utf8")).has(anchor))) {
            broken.push(`${page.page}: ${target} (no heading #${anchor} in ${path.relative(root, resolved)})`);
        }
    }
    return broken;
}

describe("links in the README and docs/", () => {
    it("makes the anchors GitHub makes, ignoring lines in code blocks", () => {
        const page = "# pulumi-cache-purge\n## Buddy.Works: pipeline caches\n```sh\n# flextype: one site\n```\n## A first purge in 5 minutes, offline\n## `purgePlan` and `receipt`\n## Credentials\n## Credentials\n";

        assert.deepEqual([...anchors(page)], ["pulumi-cache-purge", "buddyworks-pipeline-caches", "a-first-purge-in-5-minutes-offline", "purgeplan-and-receipt", "credentials", "credentials-1"]);
    });

    it("reports a link to a missing file and one to a missing heading, but not links in code or to the web", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "doc-links-"));
        fs.mkdirSync(path.join(root, "docs"));
        fs.writeFileSync(path.join(root, "docs", "a.md"), "# A\n## Real heading\n");
        const page = { page: "README.md", text: "[ok](docs/a.md#real-heading) [gone](docs/b.md) [typo](docs/a.md#real-headin) [self](#top)\n`[code](nowhere.md)` [web](https://example.com/x.md)\n# Top\n" };
        fs.writeFileSync(path.join(root, "README.md"), page.text);

        const broken = brokenLinks(page, root);
        fs.rmSync(root, { recursive: true, force: true });

        assert.deepEqual(broken, [
            "README.md: docs/b.md (no file docs/b.md)",
            "README.md: docs/a.md#real-headin (no heading #real-headin in docs/a.md)",
        ]);
    });

    it("every relative link of the README and of every page under docs/ leads to a file, and to a heading of it", () => {
        const pages = documentationPages();

        const broken = pages.flatMap((page) => brokenLinks(page, REPO_ROOT));

        assert.ok(pages.length >= 10, `found only ${pages.length} pages`);
        assert.deepEqual(broken, []);
    });
});
