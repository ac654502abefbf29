import assert from "node:assert/strict";
import * as path from "path";
import { linkPackageIntoNodeModules, tempDir } from "../harness/workspace";
import {
    canaryCredentials, CLOUDFRONT_DISTRIBUTION_IDS, CODEMAGIC_APP_IDS, type LoadCounts, type LoadEmulators, loadStack, MSTR_PROJECT_IDS, startEmulators,
} from "./load-program";

const COUNTS = { imagekit: 20, imagekitUrlsEach: 5, buddy: 15, flextype: 5, codemagic: 5, microstrategy: 5, cloudfront: 6, cloudflare: 30, fastly: 10, http: 5 } as const satisfies LoadCounts;
const RESOURCES = COUNTS.imagekit + COUNTS.buddy + COUNTS.flextype + COUNTS.codemagic + COUNTS.microstrategy
    + COUNTS.cloudfront + COUNTS.cloudflare + COUNTS.fastly + COUNTS.http;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("load: 101 purge resources of nine services in one program and one provider process", function () {
    this.timeout(180_000);
    let emulators: LoadEmulators;
    let workspace: { dir: string; remove: () => void };

    before(linkPackageIntoNodeModules);

    afterEach(async () => {
        await Promise.all(emulators.all.map((e) => e.stop()));
        workspace.remove();
    });

    it("paces ImageKit, Buddy, Cloudflare and Fastly under their rate limits with no 429 reaching the user, and purges every target exactly once", async () => {
        const credentials = canaryCredentials("load");
        emulators = await startEmulators(credentials, COUNTS.buddy);
        // 100 ImageKit purges and 15 Buddy clears sent at once would overrun these budgets several times.
        emulators.imagekit.rateLimit = { limit: 20, windowMs: 1_000 };
        emulators.buddy.rateLimit = { limit: 5, windowMs: 1_000 };
        // 30 Cloudflare purges on one Pro account: a burst of 25, then 5 a second. 30 Fastly purges on one token: 10 a window.
        emulators.fastly.rateLimit = { limit: 10, windowMs: 1_000 };
        workspace = tempDir("load-program");
        const stack = loadStack({ emulators, credentials, counts: COUNTS, source: "config", stateFile: path.join(workspace.dir, "state.json") });

        const started = Date.now();
        const up = await stack.up();
        const elapsedMs = Date.now() - started;

        assert.equal(up.ok, true, `errors: ${up.errors.join("\n")}`);
        assert.equal(up.steps.filter((s) => s.op === "create").length, RESOURCES);
        assert.deepEqual(emulators.all.map((e) => e.rateLimited), emulators.all.map(() => 0), "requests answered 429");
        assert.deepEqual(up.log.filter((l) => l.severity !== "debug" && / 429 /.test(l.message)).map((l) => l.message), [], "the user saw 429s (retried)");
        const expectedUrls = Array.from({ length: COUNTS.imagekit }, (_, i) =>
            Array.from({ length: COUNTS.imagekitUrlsEach }, (_, j) => `https://ik.imagekit.io/load/r${i}/img-${j}.jpg`)).flat();
        assert.deepEqual([...emulators.imagekit.purgedUrls].sort(), expectedUrls.sort());
        assert.deepEqual(emulators.buddy.clears.map((c) => c.pipelineId).sort((a, b) => a - b), Array.from({ length: COUNTS.buddy }, (_, i) => i + 1));
        assert.equal(emulators.flextype.clears, COUNTS.flextype);
        assert.deepEqual(emulators.codemagic.deletions.map((d) => d.appId).sort(), [...CODEMAGIC_APP_IDS].sort());
        assert.deepEqual(emulators.microstrategy.purges.map((p) => `${p.projectId} ${p.cacheType}`).sort(),
            MSTR_PROJECT_IDS.flatMap((id) => [`${id} element`, `${id} object`]).sort());
        assert.deepEqual(emulators.cloudfront.invalidations.map((i) => `${i.distributionId} ${i.paths.join(" ")}`).sort(),
            range(COUNTS.cloudfront).map((i) => `${CLOUDFRONT_DISTRIBUTION_IDS[i % CLOUDFRONT_DISTRIBUTION_IDS.length]} /load/r${i}/index.html /load/r${i}/app.js`).sort());
        assert.deepEqual(emulators.cloudflare.purges.map((p) => `${p.kind} ${p.values.join(" ")}`).sort(), range(COUNTS.cloudflare).map((i) => `tags load-${i}`).sort());
        assert.deepEqual(emulators.fastly.purges.map((p) => `${p.kind} ${p.names.join(" ")}`).sort(), range(COUNTS.fastly).flatMap((i) => [
            `keys load-${i}`, `url www.example.com/load/r${i}/a`, `url www.example.com/load/r${i}/b`]).sort());
        assert.deepEqual(emulators.http.purged.flat().sort(), range(COUNTS.http).flatMap((i) => range(4).map((j) => `https://www.example.com/load/r${i}/page-${j}.html`)).sort());
        const sent = emulators.all.reduce((n, e) => n + e.requests.length, 0);
        console.log(`      ${RESOURCES} resources, ${sent} requests (${emulators.imagekit.requests.length} ImageKit, ${emulators.buddy.requests.length} Buddy, `
            + `${emulators.cloudflare.requests.length} Cloudflare, ${emulators.fastly.requests.length} Fastly), 0 answered 429, up in ${elapsedMs} ms`);
    });
});
