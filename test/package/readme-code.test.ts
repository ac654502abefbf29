import assert from "node:assert/strict";
import * as path from "path";
import * as ts from "typescript";
import { documentationPages } from "../cli/readme-excerpts";
import { REPO_ROOT } from "../harness/workspace";

/** The ```ts blocks of the README and of docs/, each with the page and line it starts on. */
function readmeBlocks(): Array<{ where: string; code: string }> {
    const blocks: Array<{ where: string; code: string }> = [];
    for (const { page, text } of documentationPages()) {
        for (const match of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
            blocks.push({ where: `${page}:${text.slice(0, match.index).split("\n").length + 1}`, code: match[1] });
        }
    }
    return blocks;
}

/**
 * A block that shows one resource, without its imports, is read as the body of a program that imports
 * the package as `purge` and the SDK as `pulumi`, as the README's first block does. Nothing else is
 * assumed: a block that uses a name it does not declare fails.
 */
function asModule(code: string): string {
    const imports = [
        /import \* as pulumi from/.test(code) ? "" : `import * as pulumi from "@pulumi/pulumi";\n`,
        /import \* as purge from/.test(code) ? "" : `import * as purge from "pulumi-cache-purge";\n`,
    ].join("");
    return `${imports}${code}\nexport {};\nvoid pulumi;\nvoid purge;\n`;
}

describe("the TypeScript code blocks of the README and docs/", () => {
    it("type-check, each as its own module, against the package's sources", function () {
        this.timeout(120_000);
        const blocks = readmeBlocks();
        const dir = path.join(REPO_ROOT, "test", "package");
        const files = new Map(blocks.map((b, i) => [path.join(dir, `readme-block-${i}.ts`), asModule(b.code)]));
        const config = ts.getParsedCommandLineOfConfigFile(path.join(REPO_ROOT, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
        // Examples declare resources they do not use again; that is not an error in a program.
        const options = { ...config.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false };
        const host = ts.createCompilerHost(options);
        const readFile = host.readFile.bind(host);
        const getSourceFile = host.getSourceFile.bind(host);
        host.readFile = (name) => files.get(path.resolve(name)) ?? readFile(name);
        host.fileExists = (name) => files.has(path.resolve(name)) || ts.sys.fileExists(name);
        host.getSourceFile = (name, language) => {
            const text = files.get(path.resolve(name));
            return text !== undefined ? ts.createSourceFile(name, text, language) : getSourceFile(name, language);
        };

        const program = ts.createProgram([...files.keys()], options, host);
        const errors = ts.getPreEmitDiagnostics(program)
            .filter((d) => d.file !== undefined && files.has(path.resolve(d.file.fileName)))
            .map((d) => {
                const index = [...files.keys()].indexOf(path.resolve(d.file!.fileName));
                return `block at ${blocks[index].where}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
            });

        assert.ok(blocks.some((b) => b.where.startsWith("README.md:")), "no block in README.md");
        assert.ok(blocks.filter((b) => b.where.startsWith("docs/")).length >= 7, `found only ${blocks.length} blocks`);
        assert.deepEqual(errors, []);
    });
});
