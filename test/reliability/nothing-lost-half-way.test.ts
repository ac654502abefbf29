import assert from "node:assert/strict";
import * as path from "path";
import { PENDING } from "../../src/core/plan";
import { BEYOND_RETRIES, eachCaseInItsOwnWorkspace, halfWayThenRecover, LEFT_OVER, ok, receiptReasons, recovered, settle, tally, targets } from "./nothing-lost-kit";
import { buddyStack, CLOUDFLARE_503, cloudflareStack, CM_APK, CM_IPA, codemagicStack, fastlyStack, httpStack, imagekitStack, microstrategyStack, write } from "./nothing-lost-stacks";

/**
 * Nothing lost (issue 8), continued from nothing-lost.test.ts: a batch that fails half-way keeps what it
 * did in the state and only what is left as debt, and the next up, the server healthy again, pays exactly it.
 */

describe("nothing lost: a failed purge keeps its debt in the state, and the next up pays exactly it", function () {
    this.timeout(120_000);
    const run = eachCaseInItsOwnWorkspace();

    describe("a batch that fails half-way records what was done, and the next up purges only what is left", () => {
        it("imagekit: 2 of 5 changed URLs refused, the state keeps them owed, and the next up purges only those 2", async () => {
            const { emulator, stack, images, urlOf } = await imagekitStack(run.dir, 8, { maxRetries: "1" });
            run.stop = () => emulator.stop();
            ok(await stack.up());
            const changed = ["photo-000.jpg", "photo-002.jpg", "photo-003.jpg", "photo-005.jpg", "photo-007.jpg"];
            const refused = ["photo-002.jpg", "photo-007.jpg"];
            for (const name of changed) {
                write(path.join(images, name), "edited\n");
            }
            for (const name of refused) {
                emulator.failUrls.set(urlOf(name), 500);
            }
            const purgesBefore = emulator.purges.length;

            const failed = await stack.up();
            const purgedHalfWay = emulator.purgedUrls.slice(purgesBefore).sort();
            const recorded = targets(stack);
            emulator.failUrls.clear();
            const retryPreview = await stack.preview();
            const purgesBeforeRetry = emulator.purges.length;
            const retried = await stack.up();

            assert.equal(failed.ok, false);
            assert.match(failed.errors[0], /; 3 of 5 targets purged, 2 left for the next pulumi up \(/);
            assert.deepEqual(purgedHalfWay, changed.filter((n) => !refused.includes(n)).map(urlOf));
            assert.deepEqual(changed.map((n) => recorded[urlOf(n)] === PENDING), changed.map((n) => refused.includes(n)), "only the refused URLs are owed");
            assert.deepEqual(retryPreview.steps.map((step) => step.op), ["update"]);
            ok(retried);
            assert.deepEqual(receiptReasons(retried), Object.fromEntries(refused.map(urlOf).map((key) => [key, [LEFT_OVER]])));
            const retriedUrls = emulator.purgedUrls.slice(purgesBeforeRetry).sort();
            assert.deepEqual(retriedUrls, refused.map(urlOf));
            tally.failedUps++;
            tally.recoveredUps++;
            settle(refused.map(urlOf), retriedUrls);
        });

        it("codemagic: the second workflow's deletion failing past maxRetries records the first, and the next up deletes only the second's cache", async () => {
            const { emulator, stack } = await codemagicStack(run.dir);
            run.stop = () => emulator.stop();
            emulator.inject(BEYOND_RETRIES, (r) => r.method === "DELETE" && r.path.endsWith(`/caches/${CM_IPA}`));

            const failed = await stack.up();
            const deletedHalfWay = emulator.deletions.map((d) => d.cacheId);
            const recorded = targets(stack);
            const retryPreview = await stack.preview();
            const retried = await stack.up();

            assert.equal(failed.ok, false);
            assert.match(failed.errors[0], /returned 500 Internal Server Error after 5 attempts: "Internal server error"; 1 of 2 targets purged, 1 left for the next pulumi up \(build-ipa\)$/);
            assert.deepEqual(deletedHalfWay, [CM_APK]);
            assert.deepEqual([recorded["build-apk"] === PENDING, recorded["build-ipa"]], [false, PENDING]);
            assert.deepEqual(retryPreview.steps.map((step) => step.op), ["update"]);
            ok(retried);
            assert.deepEqual(receiptReasons(retried), Object.fromEntries(["build-ipa"].map((key) => [key, [LEFT_OVER]])));
            const retriedDeletions = emulator.deletions.slice(deletedHalfWay.length).map((d) => d.cacheId);
            assert.deepEqual(retriedDeletions, [CM_IPA]);
            tally.failedUps++;
            tally.recoveredUps++;
            settle([CM_IPA], retriedDeletions);
        });

        it("buddy: the third pipeline's clear failing past maxRetries records the first two, and the next up clears only the third", async () => {
            const { emulator, stack } = await buddyStack(run.dir, { deployPipelineId: "103" });
            run.stop = () => emulator.stop();
            emulator.inject(BEYOND_RETRIES.map(() => ({ status: 503, body: JSON.stringify({ errors: [{ message: "Service unavailable" }] }) })),
                (r) => r.method === "PATCH" && r.path.endsWith("/pipelines/103"));

            const failed = await stack.up();
            const clearedHalfWay = emulator.clears.map((c) => String(c.pipelineId));
            const recorded = targets(stack);
            const retryPreview = await stack.preview();
            const retried = await stack.up();

            assert.equal(failed.ok, false);
            assert.match(failed.errors[0], /returned 503 Service Unavailable after 5 attempts: "Service unavailable"; 2 of 3 targets purged, 1 left for the next pulumi up \(pipeline 103\)$/);
            assert.deepEqual(clearedHalfWay, ["101", "102"]);
            assert.deepEqual(Object.keys(recorded).filter((k) => recorded[k] === PENDING), ["pipeline 103"]);
            assert.deepEqual(retryPreview.steps.map((step) => step.op), ["update"]);
            assert.deepEqual(retryPreview.log.filter((entry) => entry.message.startsWith("buddy: ")).map((entry) => entry.message),
                [`buddy: purge 1 of 3 targets: pipeline 103 (left over from a failed purge); 1 request: PATCH ${emulator.baseUrl}/workspaces/acme/projects/shop/pipelines/103`]);
            ok(retried);
            assert.deepEqual(receiptReasons(retried), Object.fromEntries(["pipeline 103"].map((key) => [key, [LEFT_OVER]])));
            const retriedIds = emulator.clears.slice(clearedHalfWay.length).map((c) => String(c.pipelineId));
            assert.deepEqual(retriedIds, ["103"]);
            tally.failedUps++;
            tally.recoveredUps++;
            settle(["103"], retriedIds);
        });

        it("microstrategy: the object cache failing past maxRetries after the element cache records the element cache, and the next up purges only objects", async () => {
            const { emulator, up, preview, stack } = await microstrategyStack(run.dir);
            run.stop = () => emulator.stop();
            emulator.inject(BEYOND_RETRIES.map(() => ({ status: 503, body: JSON.stringify({ code: "ERR001", message: "Intelligence Server is busy", ticketId: "0f1e" }) })),
                (r) => r.method === "DELETE" && r.path.endsWith("/object"));

            const failed = await up({});
            const purgedHalfWay = emulator.purges.map((p) => p.cacheType);
            const recorded = targets(stack);
            const retryPreview = await preview({});
            const retried = await up({});

            assert.equal(failed.ok, false);
            assert.ok(failed.errors.some((e) => /returned 503 Service Unavailable after 5 attempts: "ERR001 Intelligence Server is busy \(ticketId 0f1e\)"; 1 of 2 targets purged, 1 left for the next pulumi up \(object\)$/.test(e)),
                failed.errors.join("\n"));
            assert.deepEqual(purgedHalfWay, ["element"]);
            assert.deepEqual(Object.keys(recorded).filter((k) => recorded[k] === PENDING), ["object"]);
            assert.deepEqual(retryPreview.steps.map((step) => step.op), ["update"]);
            ok(retried);
            assert.deepEqual(receiptReasons(retried), Object.fromEntries(["object"].map((key) => [key, [LEFT_OVER]])));
            const retriedTypes = emulator.purges.slice(purgedHalfWay.length).map((p) => p.cacheType);
            assert.deepEqual(retriedTypes, ["object"]);
            assert.equal(emulator.logouts, emulator.logins);
            tally.failedUps++;
            tally.recoveredUps++;
            settle(["object"], retriedTypes);
        });

        it("cloudflare: the tag's purge failing past maxRetries after the files' records the files, and the next up purges only the tag", async () => {
            const { emulator, stack } = await cloudflareStack(run.dir);
            run.stop = () => emulator.stop();
            emulator.inject(BEYOND_RETRIES.map(() => ({ status: 503, body: CLOUDFLARE_503 })), (r) => r.method === "POST" && Array.isArray(r.fields?.tags));

            const { failed, halfWay, owed, reasons, retried } = await halfWayThenRecover(stack, () => emulator.purges.map((p) => `${p.kind} ${p.values.join(" ")}`));

            assert.match(failed.errors[0], /returned 503 Service Unavailable after 5 attempts: "code 10013: An unknown error has occurred"; 3 of 4 targets purged, 1 left for the next pulumi up \(tag blog\)$/);
            assert.deepEqual(halfWay, ["files https://www.example.com/blog/first-post.html https://www.example.com/css/site.css https://www.example.com/js/app.js"]);
            assert.deepEqual(owed, ["tag blog"]);
            assert.deepEqual(reasons, { "tag blog": [LEFT_OVER] });
            assert.deepEqual(retried, ["tags blog"]);
            recovered(["tags blog"], retried);
        });

        it("fastly: the home page's URL purge failing past maxRetries after the key's records the key, and the next up purges only the URL", async () => {
            const { emulator, stack } = await fastlyStack(run.dir);
            run.stop = () => emulator.stop();
            emulator.inject(BEYOND_RETRIES.map(() => ({ status: 503, body: JSON.stringify({ msg: "Service Unavailable" }) })), (r) => r.path.startsWith("/purge/"));

            const { failed, halfWay, owed, reasons, retried } = await halfWayThenRecover(stack, () => emulator.purges.map((p) => `${p.kind} ${p.names.join(" ")}`));

            assert.match(failed.errors[0], /returned 503 Service Unavailable after 5 attempts: "Service Unavailable"; 1 of 2 targets purged, 1 left for the next pulumi up \(url https:\/\/www\.example\.com\/\)$/);
            assert.deepEqual(halfWay, ["keys blog"]);
            assert.deepEqual(owed, ["url https://www.example.com/"]);
            assert.deepEqual(reasons, { "url https://www.example.com/": [LEFT_OVER] });
            assert.deepEqual(retried, ["url www.example.com/"]);
            recovered(["url www.example.com/"], retried);
        });

        it("http: the second batch failing past maxRetries records the first, and the next up purges only the second's file", async () => {
            const { emulator, stack } = await httpStack(run.dir);
            run.stop = () => emulator.stop();
            const logo = "https://www.example.com/logo.svg";
            emulator.inject(BEYOND_RETRIES, (r) => JSON.stringify(r.fields?.files ?? []).includes(logo));

            const { failed, halfWay, owed, reasons, retried } = await halfWayThenRecover(stack, () => emulator.purged.flat());

            assert.match(failed.errors[0], /returned 500 Internal Server Error after 5 attempts: "Internal server error"; 2 of 3 targets purged, 1 left for the next pulumi up \(https:\/\/www\.example\.com\/logo\.svg\)$/);
            assert.deepEqual(halfWay, ["https://www.example.com/app.css", "https://www.example.com/index.html"]);
            assert.deepEqual(owed, [logo]);
            assert.deepEqual(reasons, { [logo]: [LEFT_OVER] });
            assert.deepEqual(retried, [logo]);
            recovered([logo], retried);
        });
    });
});
