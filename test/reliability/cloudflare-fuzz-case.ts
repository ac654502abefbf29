import fc from "fast-check";
import type { PurgeService } from "../../src/core/service";
import { CloudflareEmulator } from "../../src/services/cloudflare/emulator";
import { cloudflareService } from "../../src/services/cloudflare/service";
import { adversarialKey, adversarialString, baseUrls, commonFields, credential, dictionary, field, inputObject, junk, nastyPiece } from "./fuzz-inputs";
import type { FuzzCase } from "./fuzz.test";

const TOKEN = "fuzz-cloudflare-token-3a9e";
const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";

/** Names of every kind, well formed or built to break a URL, a host or a JSON body. */
const names = fc.oneof(
    fc.webUrl(), nastyPiece.map((p) => `https://www.example.com/${p}`), nastyPiece.map((p) => `www.example.com/${p}`),
    nastyPiece.map((p) => `${p}.example.com`), adversarialString,
);

/** Cloudflare in the fuzz suite: random inputs through check, and hostile names through a purge. */
export const cloudflareFuzzCase: FuzzCase = {
    service: cloudflareService as unknown as PurgeService,
    // Enterprise: thousands of purges in one process must not wait for a Free plan's bucket.
    emulator: () => new CloudflareEmulator({ tokens: { [TOKEN]: "*" }, zones: [ZONE], plan: "enterprise" }),
    inputs: (baseUrl) => inputObject({
        ...commonFields(),
        zoneId: field(fc.oneof(fc.constant(ZONE), fc.stringMatching(/^[0-9a-f]{32}$/), adversarialString)),
        files: field(fc.oneof(fc.array(names, { maxLength: 4 }), dictionary(fc.oneof(fc.webUrl(), adversarialKey), fc.oneof(adversarialString, junk), 3))),
        tags: field(fc.oneof(fc.array(names, { maxLength: 4 }), dictionary(adversarialKey, adversarialString, 3))),
        hosts: field(fc.array(names, { maxLength: 3 })),
        prefixes: field(fc.array(names, { maxLength: 3 })),
        purgeEverything: field(fc.boolean()),
        cacheKeyHeaders: field(fc.array(dictionary(adversarialKey, adversarialString, 2), { maxLength: 3 })),
        plan: field(fc.oneof(fc.constantFrom("free", "pro", "business", "enterprise"), adversarialString)),
        apiToken: field(fc.oneof(credential, adversarialString)),
        baseUrl: baseUrls(baseUrl),
    }),
    injections: (baseUrl) => fc.record({
        zoneId: fc.constant(ZONE),
        files: fc.array(fc.oneof(fc.webUrl(), nastyPiece.map((p) => `https://www.example.com/${p}`)), { minLength: 1, maxLength: 3 }),
        tags: fc.array(fc.oneof(fc.constant("blog"), nastyPiece), { minLength: 1, maxLength: 3 }),
        prefixes: fc.array(nastyPiece.map((p) => `www.example.com/${p}`), { minLength: 1, maxLength: 2 }),
        plan: fc.constant("enterprise"),
        apiToken: fc.constant(TOKEN),
        baseUrl: fc.constant(baseUrl),
    }),
    examples: [
        { zoneId: "../../user/tokens", tags: ["blog"], apiToken: TOKEN },
        { zoneId: ZONE, prefixes: ["www.example.com/../../admin"], apiToken: TOKEN, plan: "enterprise" },
    ],
    serverInjections: (emulator, piece) => emulator.inject({ status: 200, body: JSON.stringify({ success: true, errors: [], messages: [], result: { id: piece } }) },
        (r) => r.method === "POST"),
};
