import * as fs from "fs";
import * as path from "path";
import type { ExampleFixture, RunningExample } from "./example-fixtures";
import { CloudflarePurgeEmulator } from "../services/http-vendors";

/** The API token of examples/http; must never appear in plaintext. */
export const HTTP_TOKEN = "CANARY-http-api-token-4d1a";
const ROTATED = "CANARY-http-rotated-token-8b2c";
const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";

/** The stack config that points examples/http at a local Cloudflare-shaped purge API, batches of two. */
export function httpConfig(cdn: CloudflarePurgeEmulator, token = HTTP_TOKEN): Record<string, { value: string; secret?: boolean }> {
    return {
        "http-cache-purge:purgeUrl": { value: cdn.purgeUrl },
        "http-cache-purge:batchSize": { value: "2" },
        "http-cache-purge:maxRetries": { value: "0" },
        "http-cache-purge:apiToken": { value: token, secret: true },
    };
}

export async function startCloudflare(): Promise<CloudflarePurgeEmulator> {
    return new CloudflarePurgeEmulator(ZONE, HTTP_TOKEN).start();
}

/** examples/http under the real CLI: three files, purged in batches of two; a change purges one. */
export const httpExample: ExampleFixture = {
    example: "http",
    async start(): Promise<RunningExample> {
        const cdn = await startCloudflare();
        return {
            config: httpConfig(cdn),
            rotated: { "http-cache-purge:apiToken": { value: ROTATED, secret: true } },
            purges: () => cdn.purged.length,
            requests: () => cdn.requests.length,
            reseed: () => undefined,
            stop: () => cdn.stop(),
        };
    },
    change: (dir) => fs.writeFileSync(path.join(dir, "site", "logo.svg"), "<svg><title>new logo</title></svg>\n"),
    createPlans: [/http: purge 3 of 3 targets: https:\/\/www\.example\.com\/app\.css, https:\/\/www\.example\.com\/index\.html, https:\/\/www\.example\.com\/logo\.svg \(created\); 2 requests: POST http:\/\/127\.0\.0\.1:\d+\/client\/v4\/zones\/\w+\/purge_cache \(Authorization: \[secret\], 2 targets in files\)/],
    purgesOnCreate: 2,
    changePlans: [/http: purge 1 of 3 targets: https:\/\/www\.example\.com\/logo\.svg \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/client\/v4\/zones\/\w+\/purge_cache \(Authorization: \[secret\], 1 target in files\)/],
    purgesOnChange: 1,
};
