import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import assert from "node:assert/strict";
import { builtinModules } from "module";
import { services } from "../../src/services/registry";
import { REPO_ROOT } from "../harness/workspace";

const SRC = path.join(REPO_ROOT, "src");

/** Every module specifier a TypeScript file imports, re-exports or requires. */
function specifiers(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const found = [
        ...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+["']([^"']+)["']/gm),
        ...text.matchAll(/^\s*import\s+["']([^"']+)["']/gm),
        ...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g),
        ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ];
    return found.map((m) => m[1]);
}

function resolveLocal(from: string, specifier: string): string {
    const base = path.resolve(path.dirname(from), specifier);
    const candidate = [`${base}.ts`, path.join(base, "index.ts"), base].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    assert.ok(candidate, `${path.relative(REPO_ROOT, from)} imports ${specifier}, which does not resolve`);
    return candidate;
}

/**
 * The files an emulator's code reaches, itself included, and the packages it names. Only relative
 * imports are followed: packages are not the project's code.
 */
function reach(entry: string): { files: string[]; packages: string[] } {
    const files = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string): void => {
        if (files.has(file)) {
            return;
        }
        files.add(file);
        for (const specifier of specifiers(file)) {
            if (specifier.startsWith(".")) {
                visit(resolveLocal(file, specifier));
            } else {
                packages.add(specifier);
            }
        }
    };
    visit(entry);
    return { files: [...files], packages: [...packages] };
}

describe("emulators model the vendor, not the client (conformance)", () => {
    it("finds an emulator for every registered service", () => {
        const missing = services.map((s) => s.name).filter((name) => !fs.existsSync(path.join(SRC, "services", name, "emulator.ts")));

        assert.deepEqual(missing, []);
    });

    for (const { name } of services) {
        it(`${name}: its emulator reaches no code of the package but src/testing (no client, schema, service or rule file), and only Node's built-ins`, () => {
            const entry = path.join(SRC, "services", name, "emulator.ts");

            const { files, packages } = reach(entry);

            const shared = files
                .filter((f) => f !== entry && !f.startsWith(path.join(SRC, "testing") + path.sep))
                .map((f) => path.relative(REPO_ROOT, f));
            assert.deepEqual(shared, [], `an emulator that shares the client's code cannot catch the client being wrong`);
            const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
            assert.deepEqual(packages.filter((p) => !builtins.has(p)), []);
        });
    }

    it("catches a shared rule: the walk sees through a re-export to the client's file", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-imports-"));
        try {
            fs.writeFileSync(path.join(dir, "rules.ts"), "export const rule = 1;\n");
            fs.writeFileSync(path.join(dir, "reexport.ts"), "export { rule } from \"./rules\";\n");
            fs.writeFileSync(path.join(dir, "emulator.ts"), "import { rule } from \"./reexport\";\nexport const x = rule;\n");

            const { files } = reach(path.join(dir, "emulator.ts"));

            assert.deepEqual(files.map((f) => path.basename(f)).sort(), ["emulator.ts", "reexport.ts", "rules.ts"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
