import * as path from "path";
import type { StackConfig } from "../harness/pulumi-cli";
import { EXAMPLES, type ExampleFixture, type RunningExample } from "./example-fixtures";

const PROJECT = "yaml-cdn-purges";
const SERVICES = ["cloudflare", "fastly", "http", "cloudfront"] as const;

/**
 * examples/yaml-cdn: the TypeScript examples cloudflare, fastly, http and cloudfront in one YAML program,
 * each service's site in a folder named after it. The same emulators, the same plan lines and counts,
 * the same content change; each example's project config is renamed to this project's
 * (`cloudflare-zone-purge:baseUrl` -> `yaml-cdn-purges:cloudflareBaseUrl`, `aws:secretKey` ->
 * `cloudfrontSecretKey`, since the plugin is sent its own package's config only).
 */
export const yamlCdnExample: ExampleFixture = {
    example: "yaml-cdn",
    async start(): Promise<RunningExample> {
        const worlds = await Promise.all(parts().map((part) => part.start()));
        const merged = (pick: (world: RunningExample) => StackConfig) => Object.assign({}, ...worlds.map((world, i) => renamed(pick(world), SERVICES[i]))) as StackConfig;
        return {
            config: merged((world) => world.config),
            rotated: merged((world) => world.rotated),
            purges: () => worlds.reduce((n, world) => n + world.purges(), 0),
            requests: () => worlds.reduce((n, world) => n + world.requests(), 0),
            reseed: () => worlds.forEach((world) => world.reseed()),
            stop: async () => { await Promise.all(worlds.map((world) => world.stop())); },
        };
    },
    change: (dir) => { parts().forEach((part) => part.change(path.join(dir, part.example))); },
    createPlans: parts().flatMap((part) => part.createPlans),
    purgesOnCreate: parts().reduce((n, part) => n + part.purgesOnCreate, 0),
    changePlans: parts().flatMap((part) => part.changePlans),
    purgesOnChange: parts().reduce((n, part) => n + part.purgesOnChange, 0),
};

function parts(): ExampleFixture[] {
    return SERVICES.map((name) => EXAMPLES.find((e) => e.example === name)!);
}

/** A service example's config as this project's: the provider's own keys (`cache-purge:…`) stay. */
function renamed(config: StackConfig, service: string): StackConfig {
    return Object.fromEntries(Object.entries(config).map(([key, value]) => {
        if (key.startsWith("cache-purge:")) {
            return [key, value];
        }
        const name = key.slice(key.indexOf(":") + 1);
        return [`${PROJECT}:${service}${name[0].toUpperCase()}${name.slice(1)}`, value];
    }));
}
