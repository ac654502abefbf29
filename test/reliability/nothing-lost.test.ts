import assert from "node:assert/strict";
import * as path from "path";
import { BuddyEmulator } from "../../src/services/buddy/emulator";
import { CodemagicEmulator } from "../../src/services/codemagic/emulator";
import { FlextypeEmulator } from "../../src/services/flextype/emulator";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { MicroStrategyEmulator } from "../../src/services/microstrategy/emulator";
import { PENDING } from "../../src/core/plan";
import type { Fault } from "../../src/testing/emulator";
import type { Props } from "../harness/sdk";
import type { DeploymentResult, TestEngine } from "../harness/test-engine";
import { linkPackageIntoNodeModules, tempDir } from "../harness/workspace";
import { CLOUDFLARE_500, CLOUDFLARE_503, cloudflareStack, CLOUDFRONT_500, cloudfrontStack, engine, fastlyStack, httpStack, write } from "./nothing-lost-stacks";

/**
 * Nothing lost (issue 8), through the example programs as `pulumi up` runs them: a purge that fails keeps
 * its debt in the state, and the next up, the server healthy again, pays exactly that debt, no more.
 */

/** Default maxRetries is 4: five 500s outlast every attempt of one request. */
const BEYOND_RETRIES: readonly Fault[] = Array.from({ length: 5 }, () => ({ status: 500, body: JSON.stringify({ error: "Internal server error" }) }));

/** Tallies for the README's reliability section. */
const tally = { failedUps: 0, recoveredUps: 0, targetsLost: 0, targetsPurgedTwice: 0 };

/** What the state says was purged last: the scope, triggers and each target's hash. */
function purged(stack: TestEngine): Props {
    const resources = stack.state.read().filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    assert.equal(resources.length, 1, "one purge resource in the state");
    return resources[0].outputs.purged as Props;
}

/** The targets the state says are still owed, marked PENDING (the outputs name only those). */
function targets(stack: TestEngine): Record<string, string> {
    return Object.fromEntries(((purged(stack).pending ?? []) as string[]).map((key) => [key, PENDING]));
}

function ok(result: DeploymentResult): void {
    assert.equal(result.ok, true, `${result.errors.join("\n")}\n${result.output}`);
}

/** Counts what the next up purged against what was owed: each owed target once, nothing else. */
function settle(owed: readonly string[], purgedOnRetry: readonly string[]): void {
    tally.targetsLost += owed.filter((t) => !purgedOnRetry.includes(t)).length;
    tally.targetsPurgedTwice += purgedOnRetry.length - new Set(purgedOnRetry).size + purgedOnRetry.filter((t) => !owed.includes(t)).length;
}

const LEFT_OVER = "left over from a failed purge";

/** The reasons of the purge an up ran, from its `receipt` stack output (unwrapped if the SDK marked it secret). */
function receiptReasons(result: DeploymentResult): Props {
    const raw = result.outputs.receipt;
    const receipt = (raw !== null && typeof raw === "object" && "4dabf18193072939515e22adb298388d" in raw ? (raw as unknown as { value: unknown }).value : raw) as Props;
    // The receipt groups targets by reason; tests compare per target.
    return Object.fromEntries((receipt.reasons as { why: string; targets: string[] }[]).flatMap(({ why, targets }) => targets.map((key) => [key, [why]])));
}

/** Counts one failed up that the next up recovered, and what that up purged against what was owed. */
function recovered(owed: readonly string[], purgedOnRetry: readonly string[]): void {
    tally.failedUps++;
    tally.recoveredUps++;
    settle(owed, purgedOnRetry);
}

/**
 * After a content change: previews the owed purge, makes `inject` fail it, ups, and checks that the
 * failed up left the state's recorded purge and the next preview's plan as they were; then ups again,
 * the server healthy. Returns the failed up, the owed plan, and what `purgedSoFar` gained on the retry.
 */
async function failThenRecover(stack: TestEngine, inject: () => void, purgedSoFar: () => readonly string[]): Promise<{
    failed: DeploymentResult; owedPlan: string | undefined; retried: string[];
}> {
    const before = purged(stack);
    const owedPlan = (await stack.preview()).steps[0].purgePlan;
    inject();
    const failed = await stack.up();
    assert.equal(failed.ok, false, "the up with the failing purge failed");
    assert.deepEqual(purged(stack), before, "the failed up left the recorded purge as it was");
    assert.equal((await stack.preview()).steps[0].purgePlan, owedPlan, "the next preview plans what the failed up owed");
    const done = purgedSoFar().length;
    ok(await stack.up());
    return { failed, owedPlan, retried: purgedSoFar().slice(done) };
}

/**
 * Ups with a batch set to fail half-way, then, the server healthy, ups again. Returns the failed up, what
 * was purged before it stopped, the targets the state marks owed, the retry's receipt reasons, and what
 * `purgedSoFar` gained on the retry.
 */
async function halfWayThenRecover(stack: TestEngine, purgedSoFar: () => readonly string[]): Promise<{
    failed: DeploymentResult; halfWay: string[]; owed: string[]; reasons: Props; retried: string[];
}> {
    const failed = await stack.up();
    assert.equal(failed.ok, false, "the up with the failing batch failed");
    const halfWay = [...purgedSoFar()];
    const recorded = targets(stack);
    assert.deepEqual((await stack.preview()).steps.map((step) => step.op), ["update"]);
    const retried = await stack.up();
    ok(retried);
    return { failed, halfWay, owed: Object.keys(recorded).filter((k) => recorded[k] === PENDING), reasons: receiptReasons(retried), retried: purgedSoFar().slice(halfWay.length) };
}

describe("nothing lost: a failed purge keeps its debt in the state, and the next up pays exactly it", function () {
    this.timeout(120_000);
    let workspace: { dir: string; remove: () => void };
    let stop: (() => Promise<void>) | undefined;

    before(linkPackageIntoNodeModules);

    beforeEach(() => {
        workspace = tempDir("nothing-lost");
    });

    afterEach(async () => {
        await stop?.();
        stop = undefined;
        workspace.remove();
    });

    after(() => {
        console.log(`      nothing lost: ${tally.failedUps} failed ups, ${tally.recoveredUps} recovered, `
            + `${tally.targetsLost} targets lost, ${tally.targetsPurgedTwice} purged more than owed`);
    });

    describe("an up whose purge fails leaves the state's recorded purge as it was, and the next up purges exactly what it would have", () => {
        it("flextype: a clear failing with 503s past maxRetries keeps the old trigger, and the next up clears once", async () => {
            const token = "5f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c";
            const access = "CANARY-nothing-lost-flextype";
            const emulator = await new FlextypeEmulator({ [token]: { accessToken: access } }).start();
            stop = () => emulator.stop();
            const content = path.join(workspace.dir, "content");
            write(path.join(content, "home.md"), "title: Home\n");
            const stack = engine("flextype", "flextype-cache-purge", workspace.dir, {
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
            const { emulator, stack, ios } = await codemagicStack(workspace.dir);
            stop = () => emulator.stop();
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
            const { emulator, up, preview, stack } = await microstrategyStack(workspace.dir);
            stop = () => emulator.stop();
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
            const { emulator, stack, lock } = await buddyStack(workspace.dir);
            stop = () => emulator.stop();
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
            const { emulator, stack, images, urlOf } = await imagekitStack(workspace.dir, 6, { maxRetries: "1" });
            stop = () => emulator.stop();
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
            const { emulator, stack, site } = await cloudfrontStack(workspace.dir);
            stop = () => emulator.stop();
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
            const { emulator, stack, site } = await cloudflareStack(workspace.dir);
            stop = () => emulator.stop();
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
            const { emulator, stack, site } = await fastlyStack(workspace.dir);
            stop = () => emulator.stop();
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
            const { emulator, stack, site } = await httpStack(workspace.dir);
            stop = () => emulator.stop();
            ok(await stack.up());
            write(path.join(site, "logo.svg"), "<svg><title>new logo</title></svg>\n");

            const { failed, retried } = await failThenRecover(stack, () => emulator.inject(BEYOND_RETRIES, (r) => r.method === "POST"), () => emulator.purged.flat());

            assert.match(failed.errors[0], /^http: POST \S+\/client\/v4\/zones\/\w+\/purge_cache returned 500 Internal Server Error after 5 attempts: "Internal server error"$/);
            assert.deepEqual(retried, ["https://www.example.com/logo.svg"]);
            recovered(["https://www.example.com/logo.svg"], retried);
        });
    });

    describe("a batch that fails half-way records what was done, and the next up purges only what is left", () => {
        it("imagekit: 2 of 5 changed URLs refused, the state keeps them owed, and the next up purges only those 2", async () => {
            const { emulator, stack, images, urlOf } = await imagekitStack(workspace.dir, 8, { maxRetries: "1" });
            stop = () => emulator.stop();
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
            const { emulator, stack } = await codemagicStack(workspace.dir);
            stop = () => emulator.stop();
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
            const { emulator, stack } = await buddyStack(workspace.dir, { deployPipelineId: "103" });
            stop = () => emulator.stop();
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
            const { emulator, up, preview, stack } = await microstrategyStack(workspace.dir);
            stop = () => emulator.stop();
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
            const { emulator, stack } = await cloudflareStack(workspace.dir);
            stop = () => emulator.stop();
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
            const { emulator, stack } = await fastlyStack(workspace.dir);
            stop = () => emulator.stop();
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
            const { emulator, stack } = await httpStack(workspace.dir);
            stop = () => emulator.stop();
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

// ---------------------------------------------------------------------------------------------------- the stacks

const CM_APP = "60ddd0b747960e00124747cb";
const CM_IPA = "620f9f218ab90da6b1b22e0e";
const CM_APK = "620f9e948ab90da6b1b2217d";

async function codemagicStack(dir: string): Promise<{ emulator: CodemagicEmulator; stack: TestEngine; ios: string }> {
    const token = "CANARY-nothing-lost-codemagic";
    const emulator = await new CodemagicEmulator().start();
    emulator.addToken(token);
    emulator.deletionDelayMs = 0;
    emulator.addApp(CM_APP, [{ _id: CM_IPA, workflowId: "build-ipa" }, { _id: CM_APK, workflowId: "build-apk" }]);
    const ios = path.join(dir, "Podfile.lock");
    const android = path.join(dir, "gradle.lockfile");
    write(ios, "PODS:\n  - Flutter (1.0.0)\n");
    write(android, "androidx.core:core:1.13.1=releaseRuntimeClasspath\n");
    const stack = engine("codemagic", "codemagic-cache-purge", dir, {
        "codemagic-cache-purge:baseUrl": { value: emulator.baseUrl },
        "codemagic-cache-purge:appId": { value: CM_APP },
        "codemagic-cache-purge:iosLockfile": { value: ios },
        "codemagic-cache-purge:androidLockfile": { value: android },
        "codemagic-cache-purge:wait": { value: "false" },
        "cache-purge:codemagicToken": { value: token, secret: true },
    });
    return { emulator, stack, ios };
}

async function microstrategyStack(dir: string): Promise<{
    emulator: MicroStrategyEmulator; stack: TestEngine;
    up: (o: { schemaHash?: string }) => Promise<DeploymentResult>; preview: (o: { schemaHash?: string }) => Promise<DeploymentResult>;
}> {
    const password = "CANARY-nothing-lost-mstr";
    const emulator = await new MicroStrategyEmulator({ users: { admin: password }, projects: [{ id: "B7CA92F04B9FAE8D941C3E9B7E0CD754", name: "MicroStrategy Tutorial" }] }).start();
    emulator.requireCookie = true;
    const at = (options: { schemaHash?: string }) => engine("microstrategy", "microstrategy-cache-purge", dir, {
        "microstrategy-cache-purge:baseUrl": { value: emulator.baseUrl },
        "microstrategy-cache-purge:projectName": { value: "MicroStrategy Tutorial" },
        "microstrategy-cache-purge:schemaHash": { value: options.schemaHash ?? "5c4e1a0f9b2d7e63aa01" },
        "microstrategy-cache-purge:dataHash": { value: "d1a7f00c3b9e4e21bb02" },
        "cache-purge:microstrategyUsername": { value: "admin" },
        "cache-purge:microstrategyPassword": { value: password, secret: true },
    });
    return { emulator, stack: at({}), up: (o) => at(o).up(), preview: (o) => at(o).preview() };
}

async function buddyStack(dir: string, options: { deployPipelineId?: string } = {}): Promise<{ emulator: BuddyEmulator; stack: TestEngine; lock: (app: string) => string }> {
    const token = "CANARY-nothing-lost-buddy";
    const emulator = await new BuddyEmulator({
        tokens: { [token]: { scopes: ["EXECUTION_MANAGE"] } },
        workspaces: { acme: { projects: { shop: [{ id: 101, name: "Build web" }, { id: 102, name: "Build api" }, { id: 103, name: "Deploy" }] } } },
    }).start();
    const lock = (app: string) => path.join(dir, `${app}.lock`);
    write(lock("web"), "lockfileVersion: 3\nreact 19.0.0\n");
    write(lock("api"), "lockfileVersion: 3\nexpress 5.0.0\n");
    const stack = engine("buddy", "buddy-cache-purge", dir, {
        "buddy-cache-purge:workspace": { value: "acme" },
        "buddy-cache-purge:project": { value: "shop" },
        "buddy-cache-purge:baseUrl": { value: emulator.baseUrl },
        "buddy-cache-purge:webLockfile": { value: lock("web") },
        "buddy-cache-purge:apiLockfile": { value: lock("api") },
        "buddy-cache-purge:webPipelineId": { value: "101" },
        "buddy-cache-purge:apiPipelineId": { value: "102" },
        ...(options.deployPipelineId === undefined ? {} : { "buddy-cache-purge:deployPipelineId": { value: options.deployPipelineId } }),
        "cache-purge:buddyToken": { value: token, secret: true },
    });
    return { emulator, stack, lock };
}

async function imagekitStack(dir: string, count: number, extra: Record<string, string>): Promise<{
    emulator: ImageKitEmulator; stack: TestEngine; images: string; urlOf: (name: string) => string;
}> {
    const key = `private_CANARY_nothing_lost_${Math.random().toString(16).slice(2)}`;
    const urlBase = "https://ik.imagekit.io/acme/img/";
    const emulator = await new ImageKitEmulator({ privateKey: key }).start();
    const images = path.join(dir, "images");
    for (let i = 0; i < count; i++) {
        write(path.join(images, `photo-${String(i).padStart(3, "0")}.jpg`), `image ${i}\n`);
    }
    const stack = engine("imagekit", "imagekit-url-purge", dir, {
        "imagekit-url-purge:baseUrl": { value: emulator.baseUrl },
        "imagekit-url-purge:urlBase": { value: urlBase },
        "imagekit-url-purge:imagesDir": { value: images },
        ...Object.fromEntries(Object.entries(extra).map(([k, value]) => [`imagekit-url-purge:${k}`, { value }])),
        "cache-purge:imagekitPrivateKey": { value: key, secret: true },
    });
    return { emulator, stack, images, urlOf: (name) => urlBase + name };
}

