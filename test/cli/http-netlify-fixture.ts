import * as fs from "fs";
import * as path from "path";
import type { ExampleFixture, RunningExample } from "./example-fixtures";
import { NetlifyPurgeEmulator } from "../services/http-vendors";

/** The personal access token of examples/http-netlify; must never appear in plaintext. */
export const NETLIFY_TOKEN = "CANARY-netlify-pat-3e7d";
const ROTATED = "CANARY-netlify-rotated-pat-9f1a";
/** The site id the example names by default, so the stack config only points it at the local API. */
const SITE_ID = "3970e0fe-8564-4903-9a55-c5f8de49fb8b";

/** examples/http-netlify under the real CLI: three cache tags purged in one request; a price change purges one. */
export const httpNetlifyExample: ExampleFixture = {
    example: "http-netlify",
    async start(): Promise<RunningExample> {
        const netlify = await new NetlifyPurgeEmulator(SITE_ID, "my-shop", NETLIFY_TOKEN).start();
        return {
            config: {
                "http-netlify-purge:apiUrl": { value: netlify.baseUrl },
                "http-netlify-purge:netlifyToken": { value: NETLIFY_TOKEN, secret: true },
            },
            rotated: { "http-netlify-purge:netlifyToken": { value: ROTATED, secret: true } },
            purges: () => netlify.purged.length,
            requests: () => netlify.requests.length,
            reseed: () => undefined,
            stop: () => netlify.stop(),
        };
    },
    change: (dir) => fs.writeFileSync(path.join(dir, "content", "pricing", "prices.json"), '{"tee-01":"21.00 EUR","mug-02":"9.50 EUR"}\n'),
    createPlans: [/http: purge 3 of 3 targets: products, pricing, blog-posts \(created\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/purge \(Authorization: \[secret\], 3 targets in cache_tags\)/],
    purgesOnCreate: 1,
    changePlans: [/http: purge 1 of 3 targets: pricing \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\); 1 request: POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/purge \(Authorization: \[secret\], 1 target in cache_tags\)/],
    purgesOnChange: 1,
};
