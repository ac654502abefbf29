import * as fs from "fs";
import * as path from "path";
import ts from "typescript";

/** One input of a resource as its TypeScript args declare it. */
export interface DeclaredInput {
    readonly name: string;
    readonly optional: boolean;
    /** The type without `pulumi.Input<…>`. */
    readonly type: ts.TypeNode;
    /** The doc comment's text, without its tags. */
    readonly description: string;
    /** The `@default` tag's text, if any. */
    readonly defaultTag?: string;
}

/** A resource class: the kind it passes to `PurgeResource` and the inputs of its args interface. */
export interface DeclaredResource {
    readonly module: string;
    readonly type: string;
    readonly description: string;
    readonly secretInputs: readonly string[];
    readonly bulkInputs: readonly string[];
    readonly targetInputs: readonly string[];
    readonly inputs: readonly DeclaredInput[];
    /** The file, for messages. */
    readonly file: string;
}

/**
 * Reads `src/services/<service>/resource.ts` with the TypeScript compiler: the resource class's kind (the
 * object literal it passes to `super`), its doc comment, and its args interface with `CommonPurgeArgs`
 * (src/core/args.ts) folded in. Syntax only: the kind and the args are written as literals and
 * interfaces, and a shape this reader does not know fails the generation rather than guess.
 */
export function readResources(repoRoot: string, service: string): DeclaredResource[] {
    const file = path.join(repoRoot, "src", "services", service, "resource.ts");
    const source = parse(file);
    const common = interfaceInputs(findInterface(parse(path.join(repoRoot, "src", "core", "args.ts")), "CommonPurgeArgs"));
    const resources: DeclaredResource[] = [];
    for (const statement of source.statements) {
        if (!ts.isClassDeclaration(statement) || !statement.name || !extendsName(statement, "PurgeResource")) {
            continue;
        }
        const constructor = statement.members.find(ts.isConstructorDeclaration);
        const argsType = constructor?.parameters[1]?.type;
        const kind = constructor && superKind(constructor);
        if (!argsType || !ts.isTypeReferenceNode(argsType) || !kind) {
            throw new Error(`${file}: class ${statement.name.text} has no (name, args: <Interface>) constructor calling super({ … })`);
        }
        const args = findInterface(source, argsType.typeName.getText(source));
        resources.push({
            module: stringProperty(kind, "module", file),
            type: stringProperty(kind, "type", file),
            description: docText(statement),
            secretInputs: stringList(kind, "secretInputs"),
            bulkInputs: stringList(kind, "bulkInputs"),
            targetInputs: stringList(kind, "targetInputs"),
            inputs: [...common, ...interfaceInputs(args)],
            file,
        });
    }
    return resources;
}

function parse(file: string): ts.SourceFile {
    return ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
}

/** A named type the args use: an interface, or a type alias of an object literal. */
export type NamedDeclaration = ts.InterfaceDeclaration | ts.TypeAliasDeclaration;

/**
 * The declaration a type reference names (`PurgeRequestArgs`): in the reference's own file, else in the
 * file a relative import of that name comes from (`import type { X } from "./y"`, `as` renames
 * followed). Undefined for a name declared elsewhere (a library's), which the caller refuses.
 */
export function resolveReference(node: ts.TypeReferenceNode): NamedDeclaration | undefined {
    if (!ts.isIdentifier(node.typeName)) {
        return undefined;
    }
    return declarationIn(node.getSourceFile(), node.typeName.text, 0);
}

function declarationIn(source: ts.SourceFile, name: string, depth: number): NamedDeclaration | undefined {
    const local = source.statements.find((s): s is NamedDeclaration => (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === name);
    if (local !== undefined || depth > 8) {
        return local;
    }
    for (const statement of source.statements) {
        if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || !statement.moduleSpecifier.text.startsWith(".")) {
            continue;
        }
        const bindings = statement.importClause?.namedBindings;
        const imported = bindings && ts.isNamedImports(bindings) ? bindings.elements.find((e) => e.name.text === name) : undefined;
        if (imported === undefined) {
            continue;
        }
        const base = path.resolve(path.dirname(source.fileName), statement.moduleSpecifier.text);
        const file = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
        return file === undefined ? undefined : declarationIn(parse(file), (imported.propertyName ?? imported.name).text, depth + 1);
    }
    return undefined;
}

function findInterface(source: ts.SourceFile, name: string): ts.InterfaceDeclaration {
    const found = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
    if (!found) {
        throw new Error(`${source.fileName}: no interface ${name}`);
    }
    return found;
}

function extendsName(node: ts.ClassDeclaration, name: string): boolean {
    return (node.heritageClauses ?? []).some((clause) => clause.types.some((t) => t.expression.getText() === name));
}

/** The properties of an interface or an object literal type, with their doc comments. */
export function interfaceInputs(node: ts.InterfaceDeclaration | ts.TypeLiteralNode): DeclaredInput[] {
    return node.members.filter(ts.isPropertySignature).map((member) => {
        if (!member.type) {
            throw new Error(`${node.getSourceFile().fileName}: ${member.name.getText()} has no type`);
        }
        const tags = ts.getJSDocTags(member);
        const defaultTag = tags.find((t) => t.tagName.text === "default");
        return {
            name: member.name.getText(),
            optional: member.questionToken !== undefined,
            type: unwrapInput(member.type),
            description: docText(member),
            ...(defaultTag ? { defaultTag: tagText(defaultTag) } : {}),
        };
    });
}

/** `pulumi.Input<T>` -> T, at any depth the reader looks at. */
export function unwrapInput(node: ts.TypeNode): ts.TypeNode {
    if (ts.isTypeReferenceNode(node) && node.typeName.getText() === "pulumi.Input" && node.typeArguments?.length === 1) {
        return unwrapInput(node.typeArguments[0]);
    }
    return node;
}

export function docText(node: ts.Node): string {
    const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
    const comment = docs.at(-1)?.comment;
    const text = typeof comment === "string" ? comment : (comment ?? []).map((part) => part.text).join("");
    return text.trim();
}

function tagText(tag: ts.JSDocTag): string {
    const comment = tag.comment;
    return (typeof comment === "string" ? comment : (comment ?? []).map((part) => part.text).join("")).trim();
}

function superKind(constructor: ts.ConstructorDeclaration): ts.ObjectLiteralExpression | undefined {
    let found: ts.ObjectLiteralExpression | undefined;
    const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword && node.arguments[0] && ts.isObjectLiteralExpression(node.arguments[0])) {
            found = node.arguments[0];
        }
        ts.forEachChild(node, visit);
    };
    visit(constructor);
    return found;
}

function property(kind: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
    const found = kind.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === name);
    return found?.initializer;
}

function stringProperty(kind: ts.ObjectLiteralExpression, name: string, file: string): string {
    const value = property(kind, name);
    if (!value || !ts.isStringLiteral(value)) {
        throw new Error(`${file}: the kind's ${name} is not a string literal`);
    }
    return value.text;
}

function stringList(kind: ts.ObjectLiteralExpression, name: string): string[] {
    const value = property(kind, name);
    if (!value) {
        return [];
    }
    if (!ts.isArrayLiteralExpression(value)) {
        throw new Error(`the kind's ${name} is not an array literal`);
    }
    return value.elements.map((e) => {
        if (!ts.isStringLiteral(e)) {
            throw new Error(`the kind's ${name} holds a value that is not a string literal`);
        }
        return e.text;
    });
}
