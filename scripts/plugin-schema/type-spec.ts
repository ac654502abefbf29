import ts from "typescript";
import { z } from "zod";
import { type DeclaredInput, docText, interfaceInputs, resolveReference, unwrapInput } from "./read-resources";

export type Spec = Record<string, unknown>;

/** Where the types of one resource go: its module (for type tokens) and the schema's `types`. */
export interface TypeContext {
    readonly pkg: string;
    readonly module: string;
    readonly types: Record<string, Spec>;
}

/** Arbitrary JSON (the generic HTTP purge's `json` body): the one input the schema types as Any. */
const ANY: Spec = { $ref: "pulumi.json#/Any" };

/**
 * The schema of one property (a resource's input, or a named type's member), checked against the zod
 * type `check` validates it with: the same kind, the same default, the same optionality.
 */
export function propertySpec(input: DeclaredInput, zodType: z.ZodType, ctx: TypeContext, where: string): Spec {
    const type = typeSpec(input.type, ctx, input.name, zodType, where);
    const zodKind = kindOfJsonSchema(z.toJSONSchema(zodType, { io: "input", unrepresentable: "any" }) as Spec);
    const tsKind = kindOfSpec(type);
    if ((zodKind !== undefined || tsKind === "any") && !sameKind(tsKind, zodKind ?? "any")) {
        throw new Error(`${where}: the args say ${tsKind}, check accepts ${zodKind}`);
    }
    const parsed = zodType.safeParse(undefined);
    if (!input.optional && parsed.success) {
        throw new Error(`${where}: the args require it but check accepts it left out`);
    }
    if (input.optional && !parsed.success) {
        throw new Error(`${where}: the args make it optional but check requires it`);
    }
    const zodDefault = parsed.success ? parsed.data : undefined;
    // A default the service applies itself (Buddy's region, exclusive with baseUrl) is described, not
    // declared: an SDK would send a declared default, and then both.
    const literal = zodDefault === undefined ? undefined : literalDefault(input.defaultTag);
    // Compared after check's own normalization: `["element", "object"]` and the map it becomes are one default.
    const literalChecked = literal === undefined ? undefined : zodType.safeParse(literal);
    if (literalChecked !== undefined && (!literalChecked.success || JSON.stringify(literalChecked.data) !== JSON.stringify(zodDefault))) {
        throw new Error(`${where}: @default ${input.defaultTag} but check fills in ${JSON.stringify(zodDefault)}`);
    }
    if (literal === undefined && zodDefault !== undefined && typeof zodDefault !== "object") {
        throw new Error(`${where}: check fills in ${JSON.stringify(zodDefault)}, which the doc comment's @default does not say`);
    }
    const integer = tsKind === "number" && zodKind === "integer";
    // The schema allows a constant default for booleans, numbers and strings only; others are described.
    const declaredDefault = literal !== null && typeof literal === "object" ? undefined : literal;
    const description = input.defaultTag !== undefined && declaredDefault === undefined
        ? `${input.description}\n\nDefault: ${input.defaultTag.replace(/^-\s*/, "")}.`
        : input.description;
    return {
        ...(integer ? { ...type, type: "integer" } : type),
        description,
        ...(declaredDefault !== undefined ? { default: declaredDefault } : {}),
    };
}

/** A `@default` that is a value (`true`, `30000`, `"https://…"`), not a sentence (`- stack config …`). */
function literalDefault(tag: string | undefined): unknown {
    if (tag === undefined || tag.startsWith("-")) {
        return undefined;
    }
    return JSON.parse(tag) as unknown;
}

/**
 * The schema type of a TypeScript type, as the args write it: object literals become types named after
 * the input, named interfaces types named after the interface (`PurgeRequestArgs` -> `PurgeRequest`, which
 * the SDK generators name `PurgeRequestArgs` again). `zodType`, where known, is what check validates it with.
 */
function typeSpec(node: ts.TypeNode, ctx: TypeContext, name: string, zodType: z.ZodType | undefined, where: string): Spec {
    node = unwrapInput(node);
    switch (node.kind) {
        case ts.SyntaxKind.StringKeyword: return { type: "string" };
        case ts.SyntaxKind.NumberKeyword: return { type: "number" };
        case ts.SyntaxKind.BooleanKeyword: return { type: "boolean" };
        case ts.SyntaxKind.UnknownKeyword: return ANY;
    }
    if (ts.isParenthesizedTypeNode(node)) {
        return typeSpec(node.type, ctx, name, zodType, where);
    }
    if (ts.isLiteralTypeNode(node)) {
        return { type: ts.isStringLiteral(node.literal) ? "string" : ts.isNumericLiteral(node.literal) ? "number" : "boolean" };
    }
    if (ts.isArrayTypeNode(node)) {
        return arraySpec(node.elementType, ctx, name, zodType, where);
    }
    if (ts.isUnionTypeNode(node)) {
        const members = node.types.map((t) => typeSpec(t, ctx, name, undefined, where));
        const distinct = [...new Map(members.map((m) => [JSON.stringify(m), m])).values()];
        return distinct.length === 1 ? distinct[0] : { oneOf: distinct };
    }
    if (ts.isTypeLiteralNode(node)) {
        const properties: Record<string, Spec> = {};
        for (const member of node.members.filter(ts.isPropertySignature)) {
            properties[member.name.getText()] = typeSpec(member.type!, ctx, name, undefined, where);
        }
        return namedType(ctx, `${name[0].toUpperCase()}${name.slice(1)}`, { type: "object", properties }, where);
    }
    if (ts.isTypeReferenceNode(node)) {
        const ref = node.typeName.getText();
        const args = node.typeArguments ?? [];
        if (ref === "Array" && args.length === 1) {
            return arraySpec(args[0], ctx, name, zodType, where);
        }
        if (ref === "Record" && args.length === 2 && args[0].kind === ts.SyntaxKind.StringKeyword) {
            return { type: "object", additionalProperties: typeSpec(args[1], ctx, name, undefined, where) };
        }
        const record = ref === "Partial" && args.length === 1 && ts.isTypeReferenceNode(args[0]) && args[0].typeName.getText() === "Record" ? args[0] : undefined;
        const keys = record?.typeArguments?.[0];
        if (record && keys && ts.isUnionTypeNode(keys) && keys.types.every((k) => ts.isLiteralTypeNode(k) && ts.isStringLiteral(k.literal))) {
            // A map over a fixed set of keys, each optional: an object with those properties.
            const value = typeSpec(record.typeArguments![1], ctx, name, undefined, where);
            const properties = Object.fromEntries(keys.types.map((k) => [((k as ts.LiteralTypeNode).literal as ts.StringLiteral).text, value]));
            return namedType(ctx, `${name[0].toUpperCase()}${name.slice(1)}`, { type: "object", properties }, where);
        }
        if (args.length === 0) {
            const declaration = resolveReference(node);
            if (declaration !== undefined) {
                return declaredObjectType(declaration, ctx, zodType, `${where} (${ref})`);
            }
        }
    }
    throw new Error(`${where}: the schema generator does not know the type ${node.getText()}`);
}

/** A list; of integers where check accepts integers only (`success.statuses`). */
function arraySpec(element: ts.TypeNode, ctx: TypeContext, name: string, zodType: z.ZodType | undefined, where: string): Spec {
    const zodElement = zodPart(zodType, "element") as z.ZodType | undefined;
    const items = typeSpec(element, ctx, name, zodElement, where);
    const integer = items.type === "number" && zodElement !== undefined && kindOfZod(zodElement) === "integer";
    return { type: "array", items: integer ? { ...items, type: "integer" } : items };
}

/**
 * A named interface (or an alias of an object literal) as a schema object type: each member's doc
 * comment, default and optionality, each checked against the zod object check validates it with.
 */
function declaredObjectType(declaration: ts.InterfaceDeclaration | ts.TypeAliasDeclaration, ctx: TypeContext, zodType: z.ZodType | undefined, where: string): Spec {
    const literal = ts.isTypeAliasDeclaration(declaration) ? declaration.type : declaration;
    if (!(ts.isInterfaceDeclaration(literal) || ts.isTypeLiteralNode(literal)) || (ts.isInterfaceDeclaration(literal) && literal.heritageClauses !== undefined)) {
        throw new Error(`${where}: the schema generator reads named types that are interfaces without extends or aliases of { … } only`);
    }
    const shape = zodPart(zodType, "shape") as Record<string, z.ZodType> | undefined;
    if (shape === undefined) {
        throw new Error(`${where}: the args say object, check accepts ${zodType === undefined ? "a value it does not check here" : kindOfZod(zodType)}`);
    }
    const members = interfaceInputs(literal);
    const declared = members.map((m) => m.name).sort().join(", ");
    const validated = Object.keys(shape).sort().join(", ");
    if (declared !== validated) {
        throw new Error(`${where}: the args declare ${declared} but check validates ${validated}`);
    }
    const properties: Record<string, Spec> = {};
    for (const member of members) {
        properties[member.name] = propertySpec(member, shape[member.name], ctx, `${where}.${member.name}`);
    }
    const required = members.filter((m) => !m.optional).map((m) => m.name);
    const name = declaration.name.text.replace(/Args$/, "");
    return namedType(ctx, name, { type: "object", description: docText(declaration), properties, ...(required.length > 0 ? { required } : {}) }, where);
}

function namedType(ctx: TypeContext, name: string, spec: Spec, where: string): Spec {
    const token = `${ctx.pkg}:${ctx.module}:${name}`;
    if (ctx.types[token] !== undefined && JSON.stringify(ctx.types[token]) !== JSON.stringify(spec)) {
        throw new Error(`${where}: two different types would be named ${token}`);
    }
    ctx.types[token] = spec;
    return { $ref: `#/types/${token}` };
}

/** Part of a zod type past its optional and default wrappers: an object's shape, an array's element. */
function zodPart(zodType: z.ZodType | undefined, part: "shape" | "element"): unknown {
    let def = (zodType as { _zod?: { def: Record<string, unknown> } } | undefined)?._zod?.def;
    while (def !== undefined && (def.type === "optional" || def.type === "default" || def.type === "nullable")) {
        def = (def.innerType as { _zod: { def: Record<string, unknown> } })._zod.def;
    }
    return def?.[part];
}

function kindOfZod(zodType: z.ZodType): string {
    return kindOfJsonSchema(z.toJSONSchema(zodType, { io: "input", unrepresentable: "any" }) as Spec) ?? "any value";
}

/** One word for a type, to compare the args' with zod's: string, number, integer, boolean, array, map, object, union, any. */
function kindOfSpec(spec: Spec): string {
    if (spec.oneOf) {
        return `union(${(spec.oneOf as Spec[]).map((s) => kindOfSpec(s)).sort().join(",")})`;
    }
    if (spec.$ref === ANY.$ref) {
        return "any";
    }
    if (typeof spec.$ref === "string" && spec.$ref.startsWith("#/types/")) {
        return "object";
    }
    if (spec.type === "object") {
        return spec.additionalProperties ? "map" : "object";
    }
    return String(spec.type);
}

function kindOfJsonSchema(json: Spec): string | undefined {
    if (Array.isArray(json.type)) {
        return `union(${(json.type as string[]).slice().sort().join(",")})`;
    }
    if (json.type === "object") {
        return json.properties ? "object" : "map";
    }
    return typeof json.type === "string" ? json.type : undefined;
}

function sameKind(fromArgs: string, fromZod: string): boolean {
    return fromArgs === fromZod || (fromArgs === "number" && fromZod === "integer");
}
