import fc from "fast-check";
import type { PurgeService } from "../../src/core/service";
import { CloudFrontEmulator } from "../../src/services/cloudfront/emulator";
import { cloudfrontService } from "../../src/services/cloudfront/service";
import type { FuzzCase } from "./fuzz.test";
import { adversarialKey, adversarialString, baseUrls, commonFields, credential, dictionary, field, inputObject, junk, nastyPiece } from "./fuzz-inputs";

const DIST = "E2QWRUHEXAMPLE";
const KEY_ID = "AKIAFUZZEXAMPLE00000";

/** CloudFront's row of the bad-input fuzz (fuzz.test.ts): paths, distribution ids and AWS keys of every shape. */
export function cloudfrontFuzzCase(secret: string): FuzzCase {
    const paths = fc.oneof(nastyPiece.map((p) => `/${p}`), nastyPiece.map((p) => `/assets/${p}*`), fc.constantFrom("/*", "/index.html"), adversarialString);
    return {
        service: cloudfrontService as unknown as PurgeService,
        emulator: () => new CloudFrontEmulator({ accounts: { [KEY_ID]: secret }, distributions: [DIST] }),
        inputs: (baseUrl) => inputObject({
            ...commonFields(),
            endpoint: baseUrls(baseUrl),
            distributionId: field(fc.oneof(fc.constant(DIST), fc.stringMatching(/^[A-Z0-9]{1,14}$/), adversarialString)),
            paths: field(fc.oneof(fc.array(paths, { maxLength: 4 }), dictionary(fc.oneof(paths, adversarialKey), fc.oneof(adversarialString, junk), 3))),
            collapseAbove: field(fc.integer({ min: -1, max: 5 })),
            maxPathsPerDeployment: field(fc.integer({ min: -1, max: 5 })),
            region: field(fc.oneof(fc.constantFrom("us-east-1", "eu-west-1", "US-EAST-1"), adversarialString)),
            profile: field(adversarialString),
            accessKeyId: field(fc.oneof(credential, adversarialString)),
            secretAccessKey: field(fc.oneof(credential, adversarialString)),
            wait: field(fc.boolean()),
            waitTimeoutMs: field(fc.integer({ min: -10, max: 4_000_000 })),
        }),
        injections: (baseUrl) => fc.record({
            endpoint: fc.constant(baseUrl),
            distributionId: fc.constant(DIST),
            paths: fc.array(fc.oneof(nastyPiece.map((p) => `/${p}`), nastyPiece.map((p) => `/${p}*`)), { minLength: 1, maxLength: 3 }),
            accessKeyId: fc.constant(KEY_ID),
            secretAccessKey: fc.constant(secret),
            // Rarely: each wait polls after 1 s at the soonest.
            wait: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
            waitTimeoutMs: fc.constant(1_000),
        }),
        // An invalidation id built to leave the distribution's path: GetInvalidation must keep it one segment.
        serverInjections: (emulator, piece) => emulator.inject({
            status: 201,
            body: `<Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>${piece.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</Id><Status>InProgress</Status></Invalidation>`,
        }, (r) => r.method === "POST"),
    };
}
