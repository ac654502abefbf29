import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { commonInputShape } from "../../src/core/inputs";
import { services } from "../../src/services/registry";
import { HASH_FILES } from "../../src/plugin/functions";
import type { PluginResourceKind } from "../../src/plugin/kinds";
import { readResources } from "./read-resources";
import { propertySpec, type Spec } from "./type-spec";

export const PACKAGE = "cache-purge";
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
    for (const service of services) {
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
                const spec = propertySpec(input, shape[input.name], { pkg: PACKAGE, module: resource.module, types }, `${resource.file}: ${input.name}`);
                inputProperties[input.name] = resource.secretInputs.includes(input.name) ? { ...spec, secret: true } : spec;
            }
            // Configure brings the plugin its own package's config only: `aws:profile` and the like are not
            // provider config (CloudFront reads them from the environment or the AWS SDK's chain instead).
            for (const credential of service.credentials.filter((c) => c.configKey.startsWith(`${PACKAGE}:`))) {
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
