import fc from "fast-check";
import type { PurgeService } from "../../src/core/service";
import { FastlyEmulator } from "../../src/services/fastly/emulator";
import { fastlyService } from "../../src/services/fastly/service";
import { adversarialKey, adversarialString, baseUrls, commonFields, credential, dictionary, field, inputObject, junk, nastyPiece } from "./fuzz-inputs";
import type { FuzzCase } from "./fuzz.test";

const TOKEN = "fuzz-fastly-token-8c2f";
const SERVICE = "SU1Z0isxPaozGVKXdv0eY";

/** Fastly in the fuzz suite: random inputs through check, and hostile keys and URLs through a purge. */
export const fastlyFuzzCase: FuzzCase = {
    service: fastlyService as unknown as PurgeService,
    emulator: () => new FastlyEmulator({ tokens: { [TOKEN]: { scopes: ["global"] } }, services: "*" }),
    inputs: (baseUrl) => inputObject({
        ...commonFields(),
        serviceId: field(fc.oneof(fc.constant(SERVICE), fc.stringMatching(/^[A-Za-z0-9]{1,22}$/), adversarialString)),
        surrogateKeys: field(fc.oneof(fc.array(fc.oneof(adversarialString, nastyPiece), { maxLength: 4 }), dictionary(adversarialKey, fc.oneof(adversarialString, junk), 3))),
        urls: field(fc.oneof(fc.array(fc.oneof(fc.webUrl(), nastyPiece.map((p) => `https://www.example.com/${p}`), adversarialString), { maxLength: 4 }),
            dictionary(fc.oneof(fc.webUrl(), adversarialKey), fc.oneof(adversarialString, junk), 3))),
        purgeAll: field(fc.boolean()),
        softPurge: field(fc.boolean()),
        apiToken: field(fc.oneof(credential, adversarialString)),
        baseUrl: baseUrls(baseUrl),
    }),
    injections: (baseUrl) => fc.record({
        serviceId: fc.constant(SERVICE),
        surrogateKeys: fc.array(fc.oneof(fc.constant("blog"), nastyPiece.filter((p) => /^[\x21-\x7E]+$/.test(p))), { minLength: 1, maxLength: 3 }),
        urls: fc.array(fc.oneof(fc.webUrl({ withQueryParameters: true }), nastyPiece.map((p) => `https://www.example.com/a/${p}`)), { minLength: 1, maxLength: 3 }),
        softPurge: fc.boolean(),
        apiToken: fc.constant(TOKEN),
        baseUrl: fc.constant(baseUrl),
    }),
    examples: [
        { serviceId: SERVICE, urls: ["https://www.example.com/a/../../service/x/purge_all"], apiToken: TOKEN },
        { serviceId: SERVICE, urls: ["https://www.example.com/a/%2e%2e/%2e%2e/admin"], apiToken: TOKEN },
    ],
    serverInjections: (emulator, piece) => emulator.inject({ status: 200, body: JSON.stringify({ status: "ok", id: piece }) }, (r) => r.path.startsWith("/purge/")),
};
