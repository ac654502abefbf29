import * as fs from "fs";
import * as path from "path";
import ts from "typescript";
import { z } from "zod";
import { commonInputShape } from "../../src/core/inputs";
import { services } from "../../src/services/registry";
import { HASH_FILES } from "../../src/plugin/functions";
import type { PluginResourceKind } from "../../src/plugin/kinds";
import { type DeclaredInput, type DeclaredResource, readResources, unwrapInput } from "./read-resources";

type Spec = Record<string, unknown>;

export const PACKAGE = "cache-purge";
/**
 * Services the TypeScript resources serve that the plugin does not serve yet: their args use named
 * interfaces this generator cannot read yet. Listed so the gap is explicit and the drift test still
 * covers every other service; the README's "Other languages" section names them.
 */
const NOT_YET_IN_PLUGIN = new Set(["cloudfront", "http", "cloudflare", "fastly"]);
const REPOSITORY = "https://github.com/pulumi-cache-purge/pulumi-cache-purge";

/** What the generator writes: the Pulumi package schema, and what the plugin must know of each type. */
export interface GeneratedSchema {
    readonly schema: Spec;
    readonly kinds: Readonly<Record<string, PluginResourceKind>>;
}

/**
 * The plugin's schema, from the two places the TypeScript resources are defined: the args interfaces
 * and their doc comments (names, types, descriptions, `@default`) and the services' zod shapes (what
 * `check` accepts, and the defaults it fills in). Where the two disagree the generation fails: a schema
 * that drifted from the TypeScript args is never written.
 */
export function buildSchema(repoRoot: string, version: string): GeneratedSchema {
    const resources: Record<string, Spec> = {};
    const types: Record<string, Spec> = {};
    const kinds: Record<string, PluginResourceKind> = {};
    const config: Record<string, Spec> = {};
    for (const service of services.filter((s) => !NOT_YET_IN_PLUGIN.has(s.name))) {
        const shape: Record<string, z.ZodType> = { ...commonInputShape(), ...service.inputShape() };
        for (const resource of readResources(repoRoot, service.name)) {
            const token = `${PACKAGE}:${resource.module}:${resource.type}`;
            if (resource.module !== service.name) {
                throw new Error(`${resource.file}: module ${resource.module} is not the service's name ${service.name}`);
            }
            const declared = resource.inputs.map((input) => input.name);
            const validated = Object.keys(shape).filter((key) => !key.startsWith("__"));
            if (declared.slice().sort().join() !== validated.slice().sort().join()) {
                throw new Error(`${resource.file}: the args declare ${declared.sort().join(", ")} but check validates ${validated.sort().join(", ")}`);
            }
            const secretCredentials = service.credentials.filter((c) => c.secret).map((c) => c.input);
            for (const input of secretCredentials.filter((name) => !resource.secretInputs.includes(name))) {
                throw new Error(`${resource.file}: ${input} is a secret credential of ${service.name} but the resource class does not keep it secret`);
            }
            const inputProperties: Record<string, Spec> = {};
            for (const input of resource.inputs) {
                inputProperties[input.name] = inputSpec(input, resource, shape[input.name], types);
            }
            for (const credential of service.credentials) {
                const name = credential.configKey.slice(`${PACKAGE}:`.length);
                config[name] = {
                    type: "string",
                    description: `The ${service.name} ${credential.description}, for every ${service.name} resource that does not set \`${credential.input}\`.`,
                    ...(credential.secret ? { secret: true } : {}),
                };
            }
            resources[token] = {
                description: resource.description,
                inputProperties,
                requiredInputs: resource.inputs.filter((i) => !i.optional).map((i) => i.name),
                properties: {
                    ...inputProperties,
                    purgePlan: { type: "string", description: "The plan of the last deployment that purged or changed this resource, in one line." },
                    receipt: { $ref: "pulumi.json#/Any", description: "What the last `pulumi up` purged, why, and the service's ids; null until something was purged." },
                },
                required: ["purgePlan"],
            };
            kinds[token] = {
                service: service.name,
                secretInputs: resource.secretInputs,
                bulkInputs: resource.bulkInputs,
                targetInputs: resource.targetInputs,
            };
        }
    }
    const schema: Spec = {
        name: PACKAGE,
        displayName: "Cache Purge",
        version,
        description: "Declare cache purges next to your infrastructure: clear CDN, CI, BI and CMS caches when the content behind them changes.",
        homepage: REPOSITORY,
        repository: REPOSITORY,
        license: "Apache-2.0",
        keywords: ["pulumi", "cache", "purge", "category/utility"],
        pluginDownloadURL: `${REPOSITORY}/releases/download/v\${VERSION}/`,
        config: { variables: config },
        provider: { description: "The cache-purge provider: its config is the stack config `cache-purge:<key>` the credentials read.", inputProperties: config },
        types,
        resources,
        functions: { [HASH_FILES]: hashFilesFunction() },
        language: { go: { importBasePath: "github.com/pulumi-cache-purge/pulumi-cache-purge/sdk/go/cachepurge" } },
    };
    return { schema, kinds };
}

/** The schema of the plugin's `hashFiles` (src/plugin/functions.ts), described as src/core/hash.ts is. */
function hashFilesFunction(): Spec {
    return {
        description: "A content hash of a file or of every file in a folder: the value to put in `triggers` so a purge runs exactly "
            + "when the content changes. With `baseUrl`, one entry per file instead: URL -> hash of that file, for `urls`. "
            + "A relative path is resolved from the program's folder.",
        inputs: {
            properties: {
                path: { type: "string", description: "The file or folder to hash." },
                baseUrl: { type: "string", description: "The URL the folder is served under; each file's URL is this plus its encoded relative path." },
                exclude: { type: "array", items: { type: "string" }, description: "Paths to leave out, relative to the folder hashed, with `/` separators: a name (`.DS_Store`) or a folder prefix (`drafts/`)." },
            },
            required: ["path"],
        },
        outputs: {
            properties: {
                hash: { type: "string", description: "The hash of the whole file or folder; without `baseUrl`." },
                urls: { type: "object", additionalProperties: { type: "string" }, description: "URL -> hash of that file; with `baseUrl`." },
            },
        },
    };
}

function inputSpec(input: DeclaredInput, resource: DeclaredResource, zodType: z.ZodType, types: Record<string, Spec>): Spec {
    const where = `${resource.file}: ${input.name}`;
    const type = typeSpec(input.type, resource, input.name, types, where);
    const zodKind = kindOfJsonSchema(z.toJSONSchema(zodType, { io: "input", unrepresentable: "any" }) as Spec);
    const tsKind = kindOfSpec(type, types);
    if (zodKind !== undefined && !sameKind(tsKind, zodKind)) {
        throw new Error(`${where}: the args say ${tsKind}, check accepts ${zodKind}`);
    }
    const parsed = zodType.safeParse(undefined);
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
        ...(resource.secretInputs.includes(input.name) ? { secret: true } : {}),
    };
}

/** A `@default` that is a value (`true`, `30000`, `"https://…"`), not a sentence (`- stack config …`). */
function literalDefault(tag: string | undefined): unknown {
    if (tag === undefined || tag.startsWith("-")) {
        return undefined;
    }
    return JSON.parse(tag) as unknown;
}

/** The schema type of a TypeScript type, as the args write it; object literals become named types. */
function typeSpec(node: ts.TypeNode, resource: DeclaredResource, name: string, types: Record<string, Spec>, where: string): Spec {
    node = unwrapInput(node);
    switch (node.kind) {
        case ts.SyntaxKind.StringKeyword: return { type: "string" };
        case ts.SyntaxKind.NumberKeyword: return { type: "number" };
        case ts.SyntaxKind.BooleanKeyword: return { type: "boolean" };
    }
    if (ts.isParenthesizedTypeNode(node)) {
        return typeSpec(node.type, resource, name, types, where);
    }
    if (ts.isLiteralTypeNode(node)) {
        return { type: ts.isStringLiteral(node.literal) ? "string" : ts.isNumericLiteral(node.literal) ? "number" : "boolean" };
    }
    if (ts.isArrayTypeNode(node)) {
        return { type: "array", items: typeSpec(node.elementType, resource, name, types, where) };
    }
    if (ts.isUnionTypeNode(node)) {
        const members = node.types.map((t) => typeSpec(t, resource, name, types, where));
        const distinct = [...new Map(members.map((m) => [JSON.stringify(m), m])).values()];
        return distinct.length === 1 ? distinct[0] : { oneOf: distinct };
    }
    if (ts.isTypeLiteralNode(node)) {
        const properties: Record<string, Spec> = {};
        for (const member of node.members.filter(ts.isPropertySignature)) {
            properties[member.name.getText()] = typeSpec(member.type!, resource, name, types, where);
        }
        return namedType(resource, name, properties, types);
    }
    if (ts.isTypeReferenceNode(node)) {
        const ref = node.typeName.getText();
        const args = node.typeArguments ?? [];
        if (ref === "Array" && args.length === 1) {
            return { type: "array", items: typeSpec(args[0], resource, name, types, where) };
        }
        if (ref === "Record" && args.length === 2 && args[0].kind === ts.SyntaxKind.StringKeyword) {
            return { type: "object", additionalProperties: typeSpec(args[1], resource, name, types, where) };
        }
        const record = ref === "Partial" && args.length === 1 && ts.isTypeReferenceNode(args[0]) && args[0].typeName.getText() === "Record" ? args[0] : undefined;
        const keys = record?.typeArguments?.[0];
        if (record && keys && ts.isUnionTypeNode(keys) && keys.types.every((k) => ts.isLiteralTypeNode(k) && ts.isStringLiteral(k.literal))) {
            // A map over a fixed set of keys, each optional: an object with those properties.
            const value = typeSpec(record.typeArguments![1], resource, name, types, where);
            const properties = Object.fromEntries(keys.types.map((k) => [((k as ts.LiteralTypeNode).literal as ts.StringLiteral).text, value]));
            return namedType(resource, name, properties, types);
        }
    }
    throw new Error(`${where}: the schema generator does not know the type ${node.getText()}`);
}

function namedType(resource: DeclaredResource, name: string, properties: Record<string, Spec>, types: Record<string, Spec>): Spec {
    const token = `${PACKAGE}:${resource.module}:${name[0].toUpperCase()}${name.slice(1)}`;
    types[token] = { type: "object", properties };
    return { $ref: `#/types/${token}` };
}

/** One word for a type, to compare the args' with zod's: string, number, integer, boolean, array, map, object, union. */
function kindOfSpec(spec: Spec, types: Record<string, Spec>): string {
    if (spec.oneOf) {
        return `union(${(spec.oneOf as Spec[]).map((s) => kindOfSpec(s, types)).sort().join(",")})`;
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

/** The generated module's text: the schema and the kinds, as one exported constant each. */
export function generatedModule(generated: GeneratedSchema): string {
    return [
        "// Generated by scripts/plugin-schema/generate.ts from src/services/*/resource.ts, src/core/args.ts and",
        "// the services' zod shapes. Do not edit: run `npm run plugin:schema`; test/plugin/schema.test.ts fails on drift.",
        "import type { PluginResourceKind } from \"./kinds\";",
        "",
        `export const schema: Readonly<Record<string, unknown>> = ${JSON.stringify(generated.schema, null, 4)};`,
        "",
        `export const kinds: Readonly<Record<string, PluginResourceKind>> = ${JSON.stringify(generated.kinds, null, 4)};`,
        "",
    ].join("\n");
}

export const GENERATED_FILE = path.join("src", "plugin", "schema.generated.ts");

export function packageVersion(repoRoot: string): string {
    return (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
}
