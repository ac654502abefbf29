import assert from "node:assert/strict";
import { missingLines, normalize, readmeExcerpts } from "../cli/readme-excerpts";

describe("README excerpts of CLI output", () => {
    const readme = [
        "text",
        "<!-- pulumi-output: flextype up-change -->",
        "```",
        " ~  cms updated (0.06s); flextype: purged 1 target(s) with 1 request(s) in 26 ms",
        "Diagnostics:",
        "```",
    ].join("\n");

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
});
