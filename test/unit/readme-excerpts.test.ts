import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { documentationPages, missingLines, normalize, readmeExcerpts } from "../cli/readme-excerpts";

describe("README excerpts of CLI output", () => {
    const readme = [{ page: "README.md", text: [
        "text",
        "<!-- pulumi-output: flextype up-change -->",
        "```",
        " ~  cms updated (0.06s); flextype: purged 1 target(s) with 1 request(s) in 26 ms",
        "Diagnostics:",
        "```",
    ].join("\n") }];

    it("finds each marked block with its example and step", () => {
        const [excerpt] = readmeExcerpts(readme);

        assert.equal(excerpt.example, "flextype");
        assert.equal(excerpt.step, "up-change");
        assert.equal(excerpt.lines.length, 2);
    });

    it("accepts another run that differs only in durations, ports and ids", () => {
        const [excerpt] = readmeExcerpts(readme);
        const output = "noise\n ~  cms updated (1.2s); flextype: purged 1 target(s) with 1 request(s) in 3 ms   \nmore\nDiagnostics:\n";

        assert.deepEqual(missingLines(excerpt, output), []);
        assert.equal(normalize("POST http://127.0.0.1:40985/x [id=flextype-52d506c869fc]"), "POST http://127.0.0.1:PORT/x [id=flextype-ID]");
    });

    it("reports a line the CLI did not print, or printed out of order", () => {
        const [excerpt] = readmeExcerpts(readme);

        assert.deepEqual(missingLines(excerpt, "Diagnostics:\n ~  cms updated (1.2s); flextype: purged 2 target(s) with 1 request(s) in 3 ms\n"),
            [" ~  cms updated (Ns); flextype: purged 1 target(s) with 1 request(s) in Nms"]);
        assert.deepEqual(missingLines(excerpt, "Diagnostics:\n ~  cms updated (1.2s); flextype: purged 1 target(s) with 1 request(s) in 3 ms\n"), ["Diagnostics:"]);
    });

    it("reads the excerpts of README.md and of every page under docs/, but not the generated docs/api/", () => {
        // GIVEN a repository with an excerpt in the README, one in a nested docs page, and one in docs/api
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "doc-pages-"));
        const block = (step: string) => `<!-- pulumi-output: flextype ${step} -->\n\`\`\`\nline\n\`\`\`\n`;
        fs.mkdirSync(path.join(root, "docs", "services"), { recursive: true });
        fs.mkdirSync(path.join(root, "docs", "api"), { recursive: true });
        fs.writeFileSync(path.join(root, "README.md"), block("preview"));
        fs.writeFileSync(path.join(root, "docs", "services", "flextype.md"), block("up-change"));
        fs.writeFileSync(path.join(root, "docs", "api", "index.md"), block("destroy"));

        // WHEN the excerpts are collected
        const excerpts = readmeExcerpts(documentationPages(root));
        fs.rmSync(root, { recursive: true, force: true });

        // THEN both written pages count, and the generated API reference does not
        assert.deepEqual(excerpts.map((e) => `${e.page} ${e.step}`), ["README.md preview", "docs/services/flextype.md up-change"]);
    });

    it("finds an excerpt of every example's changed preview among the repository's own pages", () => {
        const quoted = new Set(readmeExcerpts().filter((e) => e.step === "preview-change").map((e) => `${e.example} ${e.page}`));

        for (const example of ["flextype", "codemagic", "microstrategy", "buddy", "imagekit", "cloudfront", "cloudflare", "fastly", "http"]) {
            assert.ok(quoted.has(`${example} README.md`), `README.md quotes no preview-change of ${example}`);
            assert.ok(quoted.has(`${example} docs/services/${example}.md`), `docs/services/${example}.md quotes no preview-change of ${example}`);
        }
    });
});
