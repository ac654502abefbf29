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

const ROOT = path.resolve(__dirname, "..");
export const REFERENCE_DIR = path.join(ROOT, "docs", "reference");

/** What a resource's class tells its base class (`super({ module, type, secretInputs, … })`). */
interface ResourceKind {
    readonly className: string;
    readonly module: string;
    readonly secretInputs: readonly string[];
    readonly targetInputs: readonly string[];
}

export interface InputDoc {
    readonly name: string;
    readonly type: string;
    readonly required: boolean;
    readonly common: boolean;
    readonly description: string;
    readonly defaultValue?: string;
    readonly examples: readonly string[];
    readonly secret: string;
    readonly onChange: string;
}

export interface ResourceReference {
    readonly service: string;
    readonly className: string;
    readonly summary: string;
    readonly inputs: readonly InputDoc[];
}

/** Folders under src/services/ that hold a resource. */
export function serviceFolders(root = ROOT): string[] {
    const dir = path.join(root, "src", "services");
    return fs.readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "resource.ts")))
        .map((e) => e.name)
        .sort();
}

function createProgram(root: string, services: readonly string[]): ts.Program {
    const files = [
        path.join(root, "src", "core", "lifecycle", "model.ts"),
        ...services.flatMap((s) => ["resource.ts", "service.ts"].map((f) => path.join(root, "src", "services", s, f))),
    ];
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    return ts.createProgram(files, { ...(config?.options ?? {}), noEmit: true });
}

/** `pulumi.Input<X>` is how every input is typed; the reader wants X. */
function plainType(text: string): string {
    let result = text.replace(/\s+/g, " ").replace(/readonly /g, "");
    for (let at = result.indexOf("pulumi.Input<"); at >= 0; at = result.indexOf("pulumi.Input<")) {
        let depth = 0;
        let end = at + "pulumi.Input".length;
        for (; end < result.length; end++) {
            depth += result[end] === "<" ? 1 : result[end] === ">" ? -1 : 0;
            if (depth === 0) {
                break;
            }
        }
        result = result.slice(0, at) + result.slice(at + "pulumi.Input<".length, end) + result.slice(end + 1);
    }
    return result;
}

function stringArray(node: ts.Expression | undefined): string[] {
    return node && ts.isArrayLiteralExpression(node) ? node.elements.filter(ts.isStringLiteral).map((e) => e.text) : [];
}

function resourceKind(source: ts.SourceFile): { kind: ResourceKind; argsType: ts.TypeNode; summary: string; docOf: ts.ClassDeclaration } {
    for (const statement of source.statements) {
        if (!ts.isClassDeclaration(statement) || !statement.name) {
            continue;
        }
        const constructor = statement.members.find(ts.isConstructorDeclaration);
        const args = constructor?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === "args");
        let literal: ts.ObjectLiteralExpression | undefined;
        constructor?.body?.forEachChild(function find(node) {
            if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword && node.arguments[0] && ts.isObjectLiteralExpression(node.arguments[0])) {
                literal = node.arguments[0];
            }
            node.forEachChild(find);
        });
        if (!literal || !args?.type) {
            continue;
        }
        const property = (name: string) => literal!.properties.filter(ts.isPropertyAssignment).find((p) => ts.isIdentifier(p.name) && p.name.text === name)?.initializer;
        const module = property("module");
        return {
            kind: {
                className: statement.name.text,
                module: module && ts.isStringLiteral(module) ? module.text : "",
                secretInputs: stringArray(property("secretInputs")),
                targetInputs: stringArray(property("targetInputs")),
            },
            argsType: args.type,
            summary: ts.getJSDocCommentsAndTags(statement).filter(ts.isJSDoc).map((d) => commentText(d.comment)).join("\n").trim(),
            docOf: statement,
        };
    }
    throw new Error(`${source.fileName}: no class that passes its kind to super({ ... }) with an args parameter`);
}

function commentText(comment: string | ts.NodeArray<ts.JSDocComment> | undefined): string {
    if (comment === undefined) {
        return "";
    }
    return typeof comment === "string" ? comment : comment.map((part) => part.text).join("");
}

/**
 * The names of `param`'s properties that `fn` reads: `inputs.x`, `const { x } = inputs`, a destructured
 * parameter, and, through calls that pass the inputs on, what the called function reads of them.
 */
function propertiesRead(checker: ts.TypeChecker, fn: ts.SignatureDeclaration, index: number, seen = new Set<ts.Node>()): Set<string> {
    const read = new Set<string>();
    const parameter = fn.parameters[index];
    if (!parameter || seen.has(fn)) {
        return read;
    }
    seen.add(fn);
    if (ts.isObjectBindingPattern(parameter.name)) {
        for (const element of parameter.name.elements) {
            read.add(((element.propertyName ?? element.name) as ts.Identifier).text);
        }
        return read;
    }
    const symbol = checker.getSymbolAtLocation(parameter.name);
    const body = (fn as ts.FunctionLikeDeclarationBase).body;
    body?.forEachChild(function visit(node) {
        if (ts.isIdentifier(node) && symbol && checker.getSymbolAtLocation(node) === symbol) {
            const parent = node.parent;
            if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
                read.add(parent.name.text);
            } else if (ts.isElementAccessExpression(parent) && ts.isStringLiteral(parent.argumentExpression)) {
                read.add(parent.argumentExpression.text);
            } else if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isObjectBindingPattern(parent.name)) {
                parent.name.elements.forEach((e) => read.add(((e.propertyName ?? e.name) as ts.Identifier).text));
            } else if (ts.isCallExpression(parent)) {
                const callee = declarationOf(checker, parent.expression);
                if (callee) {
                    propertiesRead(checker, callee, parent.arguments.indexOf(node as ts.Expression), seen).forEach((name) => read.add(name));
                }
            }
        }
        node.forEachChild(visit);
    });
    return read;
}

/** The function a call or a property value refers to, when this repository's sources declare it with a body. */
function declarationOf(checker: ts.TypeChecker, expression: ts.Expression): ts.SignatureDeclaration | undefined {
    if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) {
        return expression;
    }
    let symbol = checker.getSymbolAtLocation(expression);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) {
        symbol = checker.getAliasedSymbol(symbol);
    }
    const declaration = symbol?.valueDeclaration;
    if (!declaration || declaration.getSourceFile().fileName.includes("node_modules")) {
        return undefined;
    }
    if ((ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) && declaration.body) {
        return declaration;
    }
    if (ts.isVariableDeclaration(declaration) && declaration.initializer && (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer))) {
        return declaration.initializer;
    }
    return undefined;
}

/** What the service's `scope`, `targets` and `targetTriggers` read of the inputs. */
function serviceReads(checker: ts.TypeChecker, source: ts.SourceFile): { scope: Set<string>; targets: Set<string> } {
    const scope = new Set<string>();
    const targets = new Set<string>();
    source.forEachChild(function visit(node) {
        if (ts.isObjectLiteralExpression(node) && node.properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === "scope")) {
            for (const member of node.properties) {
                const name = member.name && ts.isIdentifier(member.name) ? member.name.text : "";
                const into = name === "scope" ? scope : name === "targets" || name === "targetTriggers" ? targets : undefined;
                const fn = !into ? undefined
                    : ts.isPropertyAssignment(member) ? declarationOf(checker, member.initializer)
                        : ts.isMethodDeclaration(member) ? member : undefined;
                if (into && fn) {
                    propertiesRead(checker, fn, 0).forEach((n) => into.add(n));
                }
            }
        }
        node.forEachChild(visit);
    });
    return { scope, targets };
}

/** The inputs the core's `desiredState` reads itself: what every resource's plan compares besides scope and targets. */
function coreReads(checker: ts.TypeChecker, source: ts.SourceFile): Set<string> {
    let reads = new Set<string>();
    source.forEachChild(function visit(node) {
        if (ts.isFunctionDeclaration(node) && node.name?.text === "desiredState") {
            reads = propertiesRead(checker, node, 0);
        }
        node.forEachChild(visit);
    });
    if (reads.size === 0) {
        throw new Error("src/core/lifecycle/model.ts: no desiredState(inputs) found; the reference cannot say which inputs purge");
    }
    return reads;
}

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

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n+/g, " ");
}

function defaultText(input: InputDoc): string {
    if (input.required) {
        return "required";
    }
    if (input.defaultValue === undefined) {
        return "none";
    }
    return input.defaultValue.startsWith("- ") ? input.defaultValue.slice(2) : `\`${input.defaultValue}\``;
}

const GENERATED = "<!-- Generated by scripts/input-reference.ts from the doc comments; edit those, then run `npm run docs:inputs`. -->";

export function renderPage(reference: ResourceReference): string {
    const order = [...reference.inputs.filter((i) => !i.common), ...reference.inputs.filter((i) => i.common)];
    const lines = [
        GENERATED,
        "",
        `# \`${reference.className}\` inputs`,
        "",
        reference.summary.split("\n\n")[0].replace(/\n/g, " "),
        "",
        `The service's page: [${reference.service}](../services/${reference.service}.md). Every input, with what`,
        "a change of it does on the next `pulumi up` (a credential, a timeout or a retry limit never purges):",
        "",
        "| input | type | default | secret | a change of it |",
        "|---|---|---|---|---|",
        ...order.map((i) => `| [\`${i.name}\`](#${i.name.toLowerCase()}) | \`${cell(i.type)}\` | ${cell(defaultText(i))} | ${i.secret === "no" ? "no" : i.secret.startsWith("always") ? "always" : "if passed as one"} | ${cell(i.onChange)} |`),
        "",
    ];
    for (const input of order) {
        lines.push(`## ${input.name}`, "", input.description, "");
        lines.push(`- Type: \`${input.type}\`${input.required ? " (required)" : ""}`);
        if (!input.required) {
            lines.push(`- Default: ${defaultText(input)}`);
        }
        lines.push(`- Secret: ${input.secret}`, `- A change of it: ${input.onChange}`);
        for (const example of input.examples) {
            lines.push(`- Example: \`${example.replace(/\n/g, " ")}\``);
        }
        if (input.common) {
            lines.push("- Common to every purge resource (`src/core/args.ts`)");
        }
        lines.push("");
    }
    return `${lines.join("\n").trimEnd()}\n`;
}

export function renderIndex(references: readonly ResourceReference[]): string {
    return [
        GENERATED,
        "",
        "# Input reference",
        "",
        "Every input of every purge resource: its type, its default, whether it is kept secret, and whether",
        "changing it purges. Generated from the doc comments, so it says what the code says.",
        "",
        ...references.map((r) => `- [\`${r.className}\`](${r.service}.md)`),
        "",
        "Hashing helpers: [`purge.hashFiles`](../hash-files.md).",
        "",
    ].join("\n");
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
