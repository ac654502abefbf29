/**
 * The reading half of scripts/input-reference.ts: what the sources say, found with the TypeScript
 * compiler: the services' folders, each resource's kind (what it passes to `super`), and which inputs
 * a function reads, followed through the calls that pass the inputs on.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

export const ROOT = path.resolve(__dirname, "..");

/** What a resource's class tells its base class (`super({ module, type, secretInputs, … })`). */
export interface ResourceKind {
    readonly className: string;
    readonly module: string;
    readonly secretInputs: readonly string[];
    readonly targetInputs: readonly string[];
}

/** What docs/reference says of one input. */
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

/** One resource's page: its class as users name it, the summary of its doc comment, and its inputs. */
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

export function createProgram(root: string, services: readonly string[]): ts.Program {
    const files = [
        path.join(root, "src", "core", "lifecycle", "model.ts"),
        ...services.flatMap((s) => ["resource.ts", "service.ts"].map((f) => path.join(root, "src", "services", s, f))),
    ];
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    return ts.createProgram(files, { ...(config?.options ?? {}), noEmit: true });
}

/** `pulumi.Input<X>` is how every input is typed; the reader wants X. */
export function plainType(text: string): string {
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

export function resourceKind(source: ts.SourceFile): { kind: ResourceKind; argsType: ts.TypeNode; summary: string; docOf: ts.ClassDeclaration } {
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
export function serviceReads(checker: ts.TypeChecker, source: ts.SourceFile): { scope: Set<string>; targets: Set<string> } {
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
export function coreReads(checker: ts.TypeChecker, source: ts.SourceFile): Set<string> {
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
