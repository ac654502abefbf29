import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../harness/workspace";

/** A block of CLI output the docs quote, marked `<!-- pulumi-output: <example> <step> -->`. */
export interface Excerpt {
    readonly example: string;
    readonly step: string;
    readonly lines: readonly string[];
    /** The page that quotes it, relative to the repository. */
    readonly page: string;
}

/** A page of the user documentation: README.md, or a Markdown file under docs/ (not the generated docs/api/). */
export interface DocPage {
    /** Relative to the repository, with `/` separators. */
    readonly page: string;
    readonly text: string;
}

export function documentationPages(root = REPO_ROOT): DocPage[] {
    const pages = ["README.md"];
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
            const relative = `${dir}/${entry.name}`;
            if (entry.isDirectory() && relative !== "docs/api") {
                walk(relative);
            } else if (entry.isFile() && entry.name.endsWith(".md")) {
                pages.push(relative);
            }
        }
    };
    if (fs.existsSync(path.join(root, "docs"))) {
        walk("docs");
    }
    return pages.sort().map((page) => ({ page, text: fs.readFileSync(path.join(root, page), "utf8") }));
}

const MARK = /<!-- pulumi-output: (\S+) (\S+) -->\n```[a-z]*\n([\s\S]*?)\n```/g;

/** Every marked excerpt of the given pages: by default README.md and docs/, so a moved excerpt stays asserted. */
export function readmeExcerpts(pages: readonly DocPage[] = documentationPages()): Excerpt[] {
    return pages.flatMap(({ page, text }) => [...text.matchAll(MARK)].map((m) => ({ example: m[1], step: m[2], lines: m[3].split("\n"), page })));
}

/**
 * What differs between two runs of the same step and says nothing about the package: ports, durations,
 * timestamps, resource ids, trailing blanks. The README quotes one run; the test compares another.
 */
export function normalize(line: string): string {
    return line
        .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "TIME")
        .replace(/\(\d+(\.\d+)?s\)/g, "(Ns)")
        .replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, "N$2")
        .replace(/\b([a-z]+)-[0-9a-f]{12}\b/g, "$1-ID")
        .replace(/\s+$/, "");
}

/**
 * The excerpt's lines that the output lacks: each line must appear in the output, in the README's
 * order (the CLI's live display repeats lines, and an excerpt may leave some out).
 */
export function missingLines(excerpt: Excerpt, output: string): string[] {
    const got = output.split("\n").map(normalize);
    const missing: string[] = [];
    let at = 0;
    for (const line of excerpt.lines.map(normalize)) {
        if (line.trim() === "" || line.trim() === "…") {
            continue;
        }
        const found = got.indexOf(line, at);
        if (found < 0) {
            missing.push(line);
        } else {
            at = found + 1;
        }
    }
    return missing;
}
