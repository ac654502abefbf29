import assert from "node:assert/strict";
import * as path from "path";
import { FlextypeEmulator } from "../../src/services/flextype/emulator";
import { BEYOND_RETRIES, eachCaseInItsOwnWorkspace, failThenRecover, ok, purged, recovered, settle, tally } from "./nothing-lost-kit";
import {
    buddyStack, CLOUDFLARE_500, cloudflareStack, CLOUDFRONT_500, cloudfrontStack, CM_APP, codemagicStack, engine, fastlyStack, httpStack, imagekitStack,
    microstrategyStack, write,
} from "./nothing-lost-stacks";

/**
 * Nothing lost (issue 8), through the example programs as `pulumi up` runs them: a purge that fails keeps
 * its debt in the state, and the next up, the server healthy again, pays exactly that debt, no more.
 * Here the whole purge fails; nothing-lost-half-way.test.ts has a batch that fails half-way.
 */

describe("nothing lost: a failed purge keeps its debt in the state, and the next up pays exactly it", function () {
    this.timeout(120_000);
    const run = eachCaseInItsOwnWorkspace();

    describe("an up whose purge fails leaves the state's recorded purge as it was, and the next up purges exactly what it would have", () => {
        it("flextype: a clear failing with 503s past maxRetries keeps the old trigger, and the next up clears once", async () => {
            const token = "5f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c";
            const access = "CANARY-nothing-lost-flextype";
            const emulator = await new FlextypeEmulator({ [token]: { accessToken: access } }).start();
            run.stop = () => emulator.stop();
            const content = path.join(run.dir, "content");
            write(path.join(content, "home.md"), "title: Home\n");
            const stack = engine("flextype", "flextype-cache-purge", run.dir, {
                "flextype-cache-purge:baseUrl": { value: emulator.baseUrl },
                "flextype-cache-purge:contentDir": { value: content },
                "cache-purge:flextypeToken": { value: token, secret: true },
                "cache-purge:flextypeAccessToken": { value: access, secret: true },
            });
            ok(await stack.up());
            const before = purged(stack);
            write(path.join(content, "home.md"), "title: Home, edited\n");
            const owedPlan = (await stack.preview()).steps[0].purgePlan;
            // A 503: Flextype's own 500 is not retried, since each attempt spends one of the token's limit_calls.
            emulator.inject(BEYOND_RETRIES.map(() => ({ status: 503 })));

            const failed = await stack.up();
            const afterFailure = purged(stack);
            const retryPlan = (await stack.preview()).steps[0].purgePlan;
            const clearsBeforeRetry = emulator.clears;
            const retried = await stack.up();

            assert.equal(failed.ok, false);
            assert.match(failed.errors[0], /^flextype: POST \S+\/api\/v1\/cache\/clear returned 503 Service Unavailable after 5 attempts/);
            assert.deepEqual(afterFailure, before);
            assert.equal(retryPlan, owedPlan);
            ok(retried);
            assert.equal(emulator.clears - clearsBeforeRetry, 1);
            assert.notDeepEqual(purged(stack), before);
            tally.failedUps++;
            tally.recoveredUps++;
            settle(["cache"], Array.from({ length: emulator.clears - clearsBeforeRetry }, () => "cache"));
        });

        it("codemagic: a deletion failing with 500s past maxRetries keeps the old lockfile hash, and the next up deletes only that workflow's cache", async () => {
            const { emulator, stack, ios } = await codemagicStack(run.dir);
            run.stop = () => emulator.stop();
            ok(await stack.up());
            const before = purged(stack);
            write(ios, "PODS:\n  - Flutter (1.0.0)\n  - Firebase (10.0.0)\n");
            emulator.addCaches(CM_APP, [{ _id: "630f9f218ab90da6b1b22e0f", workflowId: "build-ipa" }]);
            const owedPlan = (await stack.preview()).steps[0].purgePlan;
            emulator.inject(BEYOND_RETRIES, (r) => r.method === "DELETE");

            const failed = await stack.up();
            const afterFailure = purged(stack);
            const retryPlan = (await stack.preview()).steps[0].purgePlan;
            const deletionsBefore = emulator.deletions.length;
            const retried = await stack.up();

            assert.equal(failed.ok, false);
            assert.match(failed.errors[0], /^codemagic: DELETE \S+\/caches\/630f9f218ab90da6b1b22e0f returned 500 Internal Server Error after 5 attempts: "Internal server error"$/);
            assert.deepEqual(afterFailure, before);
            assert.equal(retryPlan, owedPlan);
            assert.match(owedPlan ?? "", /^purge 1 of 2 targets: build-ipa \(trigger: /);
            ok(retried);
            const retriedDeletions = emulator.deletions.slice(deletionsBefore).map((d) => d.cacheId);
            assert.deepEqual(retriedDeletions, ["630f9f218ab90da6b1b22e0f"]);
            tally.failedUps++;
            tally.recoveredUps++;
            settle(["630f9f218ab90da6b1b22e0f"], retriedDeletions);
        });

        it("microstrategy: a purge failing with 500s past maxRetries keeps the old schema hash, and the next up purges only the object cache", async () => {
            const { emulator, up, preview, stack } = await microstrategyStack(run.dir);
            run.stop = () => emulator.stop();
            ok(await up({}));
            const before = purged(stack);
            const owedPlan = (await preview({ schemaHash: "77e0b3c5aa19d2f0cc03" })).steps[0].purgePlan;
            emulator.inject(BEYOND_RETRIES.map(() => ({ status: 500, body: JSON.stringify({ code: "ERR001", message: "Internal error", ticketId: "0f1e" }) })),
                (r) => r.method === "DELETE");

            const failed = await up({ schemaHash: "77e0b3c5aa19d2f0cc03" });
            const afterFailure = purged(stack);
            const retryPlan = (await preview({ schemaHash: "77e0b3c5aa19d2f0cc03" })).steps[0].purgePlan;
            const purgesBefore = emulator.purges.length;
            const retried = await up({ schemaHash: "77e0b3c5aa19d2f0cc03" });

            assert.equal(failed.ok, false);
            assert.match(failed.errors[0], /^microstrategy: DELETE \S+\/caches\/object returned 500 Internal Server Error after 5 attempts: "ERR001 Internal error \(ticketId 0f1e\)"$/);
            assert.equal(emulator.logouts, emulator.logins, "every session that logged in logged out");
            assert.deepEqual(afterFailure, before);
            assert.equal(retryPlan, owedPlan);
            ok(retried);
            const retriedTypes = emulator.purges.slice(purgesBefore).map((p) => p.cacheType);
            assert.deepEqual(retriedTypes, ["object"]);
            tally.failedUps++;
            tally.recoveredUps++;
            settle(["object"], retriedTypes);
        });

        it("buddy: a clear failing with 500s past maxRetries keeps the old lockfile hash, and the next up clears only that pipeline", async () => {
            const { emulator, stack, lock } = await buddyStack(run.dir);
            run.stop = () => emulator.stop();
            ok(await stack.up());
            const before = purged(stack);
            write(lock("api"), "lockfileVersion: 3\nexpress 5.1.0\n");
            const owedPlan = (await stack.preview()).steps[0].purgePlan;
            emulator.inject(BEYOND_RETRIES.map(() => ({ status: 500, body: JSON.stringify({ errors: [{ message: "Internal server error" }] }) })),
                (r) => r.method === "PATCH");

            const failed = await stack.up();
            const afterFailure = purged(stack);
            const retryPlan = (await stack.preview()).steps[0].purgePlan;
            const clearsBefore = emulator.clears.length;
            const retried = await stack.up();

            assert.equal(failed.ok, false);
            assert.match(failed.errors[0], /^buddy: PATCH \S+\/pipelines\/102 returned 500 Internal Server Error after 5 attempts: "Internal server error"$/);
            assert.deepEqual(afterFailure, before);
            assert.equal(retryPlan, owedPlan);
            ok(retried);
            const retriedIds = emulator.clears.slice(clearsBefore).map((c) => String(c.pipelineId));
            assert.deepEqual(retriedIds, ["102"]);
            tally.failedUps++;
            tally.recoveredUps++;
            settle(["102"], retriedIds);
        });

        it("imagekit: purges of the changed URLs failing past maxRetries keep their old hashes, and the next up purges exactly those URLs", async () => {
            const { emulator, stack, images, urlOf } = await imagekitStack(run.dir, 6, { maxRetries: "1" });
            run.stop = () => emulator.stop();
            ok(await stack.up());
            const before = purged(stack);
            const changed = ["photo-001.jpg", "photo-004.jpg"];
            for (const name of changed) {
                write(path.join(images, name), "edited\n");
                emulator.failUrls.set(urlOf(name), 500);
            }
            const owedPlan = (await stack.preview()).steps[0].purgePlan;

            const failed = await stack.up();
            const afterFailure = purged(stack);
            emulator.failUrls.clear();
            const retryPlan = (await stack.preview()).steps[0].purgePlan;
            const purgesBefore = emulator.purges.length;
            const retried = await stack.up();

            assert.equal(failed.ok, false);
            assert.match(failed.errors[0], /^imagekit: POST \S+\/v1\/files\/purge returned 500 Internal Server Error after 2 attempts: "We have experienced an internal error/);
            assert.deepEqual(afterFailure, before);
            assert.equal(retryPlan, owedPlan);
            ok(retried);
            const retriedUrls = emulator.purgedUrls.slice(purgesBefore).sort();
            assert.deepEqual(retriedUrls, changed.map(urlOf));
            tally.failedUps++;
            tally.recoveredUps++;
            settle(changed.map(urlOf), retriedUrls);
        });

        it("cloudfront: an invalidation failing with 500s past maxRetries keeps the old hashes, and the next up invalidates exactly the changed paths", async () => {
            const { emulator, stack, site } = await cloudfrontStack(run.dir);
            run.stop = () => emulator.stop();
            ok(await stack.up());
            write(path.join(site, "assets", "app.js"), "console.log(2);\n");
            write(path.join(site, "assets", "style.css"), "h1 { color: red; }\n");

            const { failed, owedPlan, retried } = await failThenRecover(stack,
                () => emulator.inject(BEYOND_RETRIES.map(() => ({ status: 500, body: CLOUDFRONT_500 })), (r) => r.method === "POST"),
                () => emulator.invalidations.flatMap((i) => i.paths));

            assert.match(failed.errors[0], /^cloudfront: POST \S+\/2020-05-31\/distribution\/E2QWRUHEXAMPLE\/invalidation returned 500 Internal Server Error after 5 attempts: "InternalFailure: The request processing has failed because of an unknown error\."$/);
            assert.match(owedPlan ?? "", /^purge 2 of 4 targets: \/assets\/app\.js \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\); \/assets\/style\.css \(trigger: [0-9a-f]{8}… -> [0-9a-f]{8}…\); 1 request: POST \S+ with 2 paths$/);
            assert.deepEqual(retried, ["/assets/app.js", "/assets/style.css"]);
            recovered(["/assets/app.js", "/assets/style.css"], retried);
        });

        it("cloudflare: a purge failing with 500s past maxRetries keeps the old file hash, and the next up purges only that file", async () => {
            const { emulator, stack, site } = await cloudflareStack(run.dir);
            run.stop = () => emulator.stop();
            ok(await stack.up());
            write(path.join(site, "css", "site.css"), "body { margin: 1rem; }\n");

            const { failed, retried } = await failThenRecover(stack,
                () => emulator.inject(BEYOND_RETRIES.map(() => ({ status: 500, body: CLOUDFLARE_500 })), (r) => r.method === "POST"),
                () => emulator.purges.map((p) => `${p.kind} ${p.values.join(" ")}`));

            assert.match(failed.errors[0], /^cloudflare: POST \S+\/zones\/023e105f4ecef8ad9ca31a8372d0c353\/purge_cache returned 500 Internal Server Error after 5 attempts: "code 10002: An unknown error has occurred"$/);
            assert.deepEqual(retried, ["files https://www.example.com/css/site.css"]);
            recovered(["files https://www.example.com/css/site.css"], retried);
        });

        it("fastly: a key purge failing with 500s past maxRetries keeps the old blog hash, and the next up purges only that key", async () => {
            const { emulator, stack, site } = await fastlyStack(run.dir);
            run.stop = () => emulator.stop();
            ok(await stack.up());
            write(path.join(site, "blog", "first-post.html"), "<h1>First post, edited</h1>\n");

            const { failed, retried } = await failThenRecover(stack,
                () => emulator.inject(BEYOND_RETRIES.map(() => ({ status: 500, body: JSON.stringify({ msg: "Internal Server Error" }) })), (r) => r.method === "POST"),
                () => emulator.purges.map((p) => `${p.kind} ${p.names.join(" ")}`));

            assert.match(failed.errors[0], /^fastly: POST \S+\/service\/SU1Z0isxPaozGVKXdv0eY\/purge returned 500 Internal Server Error after 5 attempts: "Internal Server Error"$/);
            assert.deepEqual(retried, ["keys blog"]);
            recovered(["keys blog"], retried);
        });

        it("http: a batch failing with 500s past maxRetries keeps the old file hash, and the next up purges only that file", async () => {
            const { emulator, stack, site } = await httpStack(run.dir);
            run.stop = () => emulator.stop();
            ok(await stack.up());
            write(path.join(site, "logo.svg"), "<svg><title>new logo</title></svg>\n");

            const { failed, retried } = await failThenRecover(stack, () => emulator.inject(BEYOND_RETRIES, (r) => r.method === "POST"), () => emulator.purged.flat());

            assert.match(failed.errors[0], /^http: POST \S+\/client\/v4\/zones\/\w+\/purge_cache returned 500 Internal Server Error after 5 attempts: "Internal server error"$/);
            assert.deepEqual(retried, ["https://www.example.com/logo.svg"]);
            recovered(["https://www.example.com/logo.svg"], retried);
        });
    });
});
