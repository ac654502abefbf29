/**
 * `npm run docs:inputs`: writes docs/reference/<service>.md, every input of each purge resource with its
 * type, default, secrecy and what a change of it does, from the code itself so the pages cannot drift:
 *
 * - type, required, description, `@default` and `@example` come from the doc comments of the resource's
 *   args (`src/services/<name>/resource.ts`) and of the common args (`src/core/args.ts`);
 * - secrecy comes from the resource's `secretInputs` and `targetInputs`;
 * - whether a change purges comes from what the code reads: the inputs the service's `scope` reads (a
 *   change purges every target), those its `targets` read (a change purges the targets it touches), and
 *   those the core's `desiredState` reads (`triggers`, `forcePurge`); the reason the plan then shows is
 *   computed by the core's own `planPurge`.
 *
 * A service is any folder under src/services/ with a resource.ts, so a new service gets its page without
 * a change here. `--check` writes nothing and exits 1 when a committed page differs from what it would write.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { planPurge, type PurgedState } from "../src/core/plan";
import { renderIndex, renderPage } from "./input-reference-render";
import {
    coreReads, createProgram, type InputDoc, plainType, resourceKind, type ResourceKind, type ResourceReference, ROOT, serviceFolders, serviceReads,
} from "./input-reference-source";

export { type InputDoc, type ResourceReference, serviceFolders };
export { renderIndex, renderPage };
export const REFERENCE_DIR = path.join(ROOT, "docs", "reference");

/** The reason the core's plan gives for a change, computed by the plan itself. */
function reasonFor(change: "scope" | "triggers" | "forcePurge"): string {
    const base: PurgedState = { scope: "A", triggers: { name: "old" }, forcePurge: "1", targets: { target: "" } };
    const changed: PurgedState = change === "scope" ? { ...base, scope: "B" }
        : change === "triggers" ? { ...base, triggers: { name: "new" } }
            : { ...base, forcePurge: "2" };
    return planPurge(base, changed, true).targets[0].reasons.join("; ");
}

function onChange(name: string, reads: { scope: Set<string>; targets: Set<string>; core: Set<string> }): string {
    if (reads.scope.has(name)) {
        return `purges every target (\`${reasonFor("scope").replace("A -> B", "<old> -> <new>")}\`)`;
    }
    if (name === "triggers" && reads.core.has(name)) {
        return `purges every target (\`${reasonFor("triggers").replace("name: old -> new", "<name>: <old> -> <new>")}\`); adding or removing a key does too`;
    }
    if (name === "forcePurge" && reads.core.has(name)) {
        return `purges every target (\`${reasonFor("forcePurge").replace("1 -> 2", "<old> -> <new>")}\`)`;
    }
    if (reads.core.has(name)) {
        return "purges every target";
    }
    if (reads.targets.has(name)) {
        return "purges the targets added and those whose own hash changed; a removed target is not purged";
    }
    return "no purge";
}

function secrecy(name: string, kind: ResourceKind): string {
    if (kind.secretInputs.includes(name)) {
        return "always (stored encrypted even when passed as plain text)";
    }
    if (name === "triggers" || name === "forcePurge" || kind.targetInputs.includes(name)) {
        return "when you pass a secret: the plan then says `(secret)` instead of the value";
    }
    return "no";
}
export function inputReference(root = ROOT): ResourceReference[] {
    const services = serviceFolders(root);
    const program = createProgram(root, services);
    const checker = program.getTypeChecker();
    const core = coreReads(checker, program.getSourceFile(path.join(root, "src", "core", "lifecycle", "model.ts"))!);
    return services.map((service) => {
        const resource = program.getSourceFile(path.join(root, "src", "services", service, "resource.ts"))!;
        const { kind, argsType, summary } = resourceKind(resource);
        const { scope, targets } = serviceReads(checker, program.getSourceFile(path.join(root, "src", "services", service, "service.ts"))!);
        const inputs = checker.getTypeFromTypeNode(argsType).getProperties().map((symbol): InputDoc => {
            const declaration = symbol.valueDeclaration;
            if (!declaration || !ts.isPropertySignature(declaration) || !declaration.type) {
                throw new Error(`${service}: input ${symbol.name} has no property declaration`);
            }
            const tags = symbol.getJsDocTags(checker);
            const tag = (name: string) => tags.filter((t) => t.name === name).map((t) => ts.displayPartsToString(t.text).trim());
            const description = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
            const file = path.relative(root, declaration.getSourceFile().fileName);
            if (description === "") {
                throw new Error(`${file}: ${symbol.name} has no doc comment; every public input needs one (what it is, its effect, @default)`);
            }
            const defaultValue = tag("default")[0];
            if (declaration.questionToken !== undefined && defaultValue === undefined) {
                throw new Error(`${file}: ${symbol.name} is optional but its doc comment has no @default; say what leaving it out does`);
            }
            return {
                name: symbol.name,
                type: plainType(declaration.type.getText()),
                required: declaration.questionToken === undefined,
                common: file === path.join("src", "core", "args.ts"),
                description,
                ...(defaultValue === undefined ? {} : { defaultValue }),
                examples: tag("example"),
                secret: secrecy(symbol.name, kind),
                onChange: onChange(symbol.name, { scope, targets, core }),
            };
        });
        return { service, className: `purge.${kind.module}.${kind.className}`, summary, inputs };
    });
}
/** Every page the script writes, by path relative to docs/reference/. */
export function referencePages(root = ROOT): Map<string, string> {
    const references = inputReference(root);
    return new Map([["README.md", renderIndex(references)], ...references.map((r): [string, string] => [`${r.service}.md`, renderPage(r)])]);
}

function main(): void {
    const check = process.argv.includes("--check");
    const pages = referencePages();
    const stale = [...pages].filter(([file, text]) => !fs.existsSync(path.join(REFERENCE_DIR, file)) || fs.readFileSync(path.join(REFERENCE_DIR, file), "utf8") !== text).map(([file]) => file);
    if (check) {
        console.log(stale.length === 0 ? "docs/reference is up to date" : `docs/reference is stale: ${stale.join(", ")}; run npm run docs:inputs`);
        process.exitCode = stale.length === 0 ? 0 : 1;
        return;
    }
    fs.mkdirSync(REFERENCE_DIR, { recursive: true });
    for (const file of stale) {
        fs.writeFileSync(path.join(REFERENCE_DIR, file), pages.get(file)!);
    }
    console.log(`docs/reference: ${pages.size} pages, ${stale.length} rewritten`);
}

if (require.main === module) {
    main();
}
