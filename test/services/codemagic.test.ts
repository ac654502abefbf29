import * as assert from "node:assert/strict";
import { Headers } from "node-fetch";
import { HttpClient } from "../../src/core/http/client";
import { RateGate } from "../../src/core/http/rate-gate";
import { setProgressSink } from "../../src/core/progress-log";
import { Redactor } from "../../src/core/redact";
import { codemagicErrorHint, codemagicErrorMessage, codemagicRateLimit, listCaches } from "../../src/services/codemagic/client";
import { CodemagicEmulator, DELETION_MESSAGE } from "../../src/services/codemagic/emulator";
import provider = require("../../src/services/codemagic/provider");
import { FIRST_POLL_MS, MAX_POLL_MS, pollDelayMs } from "../../src/services/codemagic/wait";

type Props = Record<string, unknown>;

const APP = "60ddd0b747960e00124747cb";
const OTHER_APP = "60ddd0b747960e00124747cc";
const TOKEN = "cm-token-canary-7f3a9c";
const IPA = "620f9f218ab90da6b1b22e0e";
const APK = "620f9e948ab90da6b1b2217d";
const WEB = "620f9e948ab90da6b1b2217e";

/** A client as the core builds it; `paced: false` leaves out the rate gate, to see the emulator's 429 itself. */
function httpClient(log: string[], paced = true): HttpClient {
    return new HttpClient({
        service: "codemagic",
        timeoutMs: 5_000,
        maxRetries: 2,
        maxRetryDelayMs: 10_000,
        baseRetryDelayMs: 10,
        redactor: new Redactor([TOKEN]),
        log: { info: (m) => log.push(m), warn: (m) => log.push(m) },
        errorMessage: codemagicErrorMessage,
        errorHint: (r) => codemagicErrorHint(r, (input) => `the ${input} input`),
        ...(paced ? { rateLimit: { gate: new RateGate(4), read: codemagicRateLimit } } : {}),
    });
}

/** Runs `check` as the engine does and returns the checked inputs, failing the test on check failures. */
async function checked(news: Props, olds: Props = {}): Promise<Props> {
    const result = await provider.check(olds, news);
    assert.deepEqual(result.failures ?? [], []);
    return result.inputs as Props;
}

function deletesOf(emulator: CodemagicEmulator): string[] {
    return emulator.requestsTo("DELETE", /./).map((r) => r.path);
}

describe("codemagic client", () => {
    let emulator: CodemagicEmulator;

    beforeEach(async () => {
        emulator = await new CodemagicEmulator().start();
        emulator.addToken(TOKEN);
    });

    afterEach(async () => {
        await emulator.stop();
    });

    it("lists an app's caches with the token in x-auth-token and keeps lastUsed as Codemagic wrote it", async () => {
        emulator.addApp(APP, [{ _id: IPA, workflowId: "build-ipa", size: 127793163, lastUsed: "2022-02-18T13:29:05.541+0000" }]);

        const caches = await listCaches(httpClient([]), emulator.baseUrl, APP, TOKEN);

        assert.deepEqual(caches, [{ _id: IPA, workflowId: "build-ipa", size: 127793163, lastUsed: "2022-02-18T13:29:05.541+0000" }]);
        const [request] = emulator.requests;
        assert.equal(request.method, "GET");
        assert.equal(request.path, `/apps/${APP}/caches`);
        assert.equal(request.headers["x-auth-token"], TOKEN);
    });

    it("quotes Codemagic's error and a hint for 401, 403 and 404, without retrying and without the token", async () => {
        emulator.addApp(APP);
        emulator.addToken("other-token-1234", [OTHER_APP]);
        const http = httpClient([]);
        const url = `${emulator.baseUrl}/apps/${APP}/caches`;

        await assert.rejects(listCaches(http, emulator.baseUrl, APP, "wrong-token-5678"), {
            message: `codemagic: GET ${url} returned 401 Unauthorized: "Unauthorized"; check the API token (from the token input): copy it again from Codemagic's Account settings > API token`,
        });
        await assert.rejects(listCaches(http, emulator.baseUrl, APP, "other-token-1234"), {
            message: `codemagic: GET ${url} returned 403 Forbidden: "You do not have access to this application"; the API token (from the token input) belongs to a user with no access to this app; use a token of a team member who can see it`,
        });
        await assert.rejects(listCaches(http, emulator.baseUrl, OTHER_APP, TOKEN), {
            message: `codemagic: GET ${emulator.baseUrl}/apps/${OTHER_APP}/caches returned 404 Not Found: "Application not found"; no app with this id, or the token's user cannot see it: the id is in the app's URL on codemagic.io, and baseUrl must be Codemagic's API (https://api.codemagic.io)`,
        });

        assert.equal(emulator.requests.length, 3);
    });

    it("reads X-RateLimit-Remaining and X-RateLimit-Reset in epoch seconds", () => {
        const headers = new Headers({ "X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1771420145" });

        const info = codemagicRateLimit(headers, 0);

        assert.deepEqual(info, { remaining: 0, resetAtMs: 1771420145000 });
        assert.deepEqual(codemagicRateLimit(new Headers(), 0), {});
    });

    it("polls soon at first, backs off to at most 5 s, and never past the deadline", () => {
        assert.equal(pollDelayMs(0, 60_000), FIRST_POLL_MS);
        assert.equal(pollDelayMs(1, 60_000), FIRST_POLL_MS * 2);
        assert.equal(pollDelayMs(10, 60_000), MAX_POLL_MS);
        assert.equal(pollDelayMs(10, 1_200), 1_200);
        assert.equal(pollDelayMs(3, -5), 0);
    });
});

describe("codemagic emulator", () => {
    let emulator: CodemagicEmulator;

    beforeEach(async () => {
        emulator = await new CodemagicEmulator().start();
        emulator.addToken(TOKEN);
    });

    afterEach(async () => {
        await emulator.stop();
    });

    it("answers a deletion with 202 and Codemagic's body, and lists the cache until the deletion delay has passed", async () => {
        emulator.deletionDelayMs = 60_000;
        emulator.addApp(APP, [{ _id: IPA, workflowId: "build-ipa" }]);
        const http = httpClient([]);

        const response = await http.send({ method: "DELETE", url: new URL(`${emulator.baseUrl}/apps/${APP}/caches/${IPA}`), headers: { "x-auth-token": TOKEN } });

        assert.equal(response.status, 202);
        assert.deepEqual(response.json, { caches: [IPA], message: DELETION_MESSAGE });
        assert.deepEqual(emulator.caches(APP).map((c) => c._id), [IPA]);
        assert.equal(emulator.isDeleting(IPA), true);
    });

    it("writes lastUsed in Codemagic's format with a colon-less offset", () => {
        const [cache] = emulator.addApp(APP, [{ workflowId: "build-ipa", lastUsed: new Date("2022-02-18T13:29:05.541Z") }]);

        assert.equal(cache.lastUsed, "2022-02-18T13:29:05.541+0000");
        assert.match(cache._id, /^[0-9a-f]{24}$/);
    });

    it("sends the legacy X-RateLimit headers when asked, and answers 429 once the window's budget is spent", async () => {
        emulator.addApp(APP);
        emulator.rateLimitHeaderStyle = "legacy";
        emulator.rateLimit = { limit: 1, windowMs: 60_000 };
        const http = httpClient([], false);
        const url = new URL(`${emulator.baseUrl}/apps/${APP}/caches`);

        const first = await http.send({ method: "GET", url, headers: { "x-auth-token": TOKEN } });
        const second = await http.send({ method: "GET", url, headers: { "x-auth-token": TOKEN }, accept: (s) => s === 429 });

        assert.equal(first.headers.get("x-ratelimit-limit"), "1");
        assert.equal(first.headers.get("x-ratelimit-remaining"), "0");
        assert.match(first.headers.get("x-ratelimit-reset") ?? "", /^\d{10}$/);
        assert.equal(second.status, 429);
        assert.deepEqual(second.json, { error: "Rate limit exceeded" });
    });
});

describe("codemagic purge (in process)", () => {
    let emulator: CodemagicEmulator;
    let log: string[];
    const savedEnv = process.env.CODEMAGIC_TOKEN;

    beforeEach(async () => {
        delete process.env.CODEMAGIC_TOKEN;
        emulator = await new CodemagicEmulator().start();
        emulator.addToken(TOKEN);
        emulator.deletionDelayMs = 0;
        log = [];
        setProgressSink((_severity, message) => log.push(message));
    });

    afterEach(async () => {
        setProgressSink(undefined);
        await emulator.stop();
        if (savedEnv !== undefined) {
            process.env.CODEMAGIC_TOKEN = savedEnv;
        }
    });

    function inputs(extra: Props): Props {
        return { baseUrl: emulator.baseUrl, appId: APP, token: TOKEN, maxRetries: 0, ...extra };
    }

    function seedThreeWorkflows(): void {
        emulator.addApp(APP, [
            { _id: IPA, workflowId: "build-ipa", size: 127793163 },
            { _id: APK, workflowId: "build-apk", size: 59377366 },
            { _id: WEB, workflowId: "build-web", size: 1000 },
        ]);
    }

    it("deletes exactly the caches of the two workflows named on the first up, and records bytes freed per workflow", async () => {
        seedThreeWorkflows();
        const news = await checked(inputs({ workflows: { "build-ipa": "hash-ios-1", "build-apk": "hash-android-1" } }));

        const { outs } = await provider.create(news);

        assert.deepEqual(deletesOf(emulator), [`/apps/${APP}/caches/${IPA}`, `/apps/${APP}/caches/${APK}`]);
        const receipt = outs.receipt as Props;
        assert.equal(receipt.targets, "all");
        assert.deepEqual(receipt.reasons, [{ why: "created", targets: "all" }]);
        assert.deepEqual(receipt.ids, { "build-ipa": [IPA], "build-apk": [APK] });
        assert.equal(receipt.completion, "accepted");
        assert.deepEqual(receipt.details, {
            appId: APP,
            bytesFreed: 127793163 + 59377366,
            targets: { "build-ipa": { caches: 1, bytesFreed: 127793163 }, "build-apk": { caches: 1, bytesFreed: 59377366 } },
            workflowIdsWithCaches: ["build-apk", "build-ipa", "build-web"],
            unmatchedWorkflows: [],
        });
        assert.equal(receipt.requests, 3);
    });

    it("previews a changed workflow hash as that workflow with old -> new hash without a request, then deletes only its caches", async () => {
        seedThreeWorkflows();
        const first = await checked(inputs({ workflows: { "build-ipa": "aaaaaaaaaaaaaaaa1", "build-apk": "bbbbbbbbbbbbbbbb1" } }));
        const { outs } = await provider.create(first);
        emulator.addCaches(APP, [{ _id: "630f9f218ab90da6b1b22e0f", workflowId: "build-apk", size: 42 }]);
        const before = emulator.requests.length;

        const second = await checked(inputs({ workflows: { "build-ipa": "aaaaaaaaaaaaaaaa1", "build-apk": "cccccccccccccccc2" } }), first);
        const diff = await provider.diff("id", outs, second);

        assert.equal(second.purgePlan, "purge 1 of 2 targets: build-apk (trigger: bbbbbbbb… -> cccccccc…); "
            + `2 requests: GET ${emulator.baseUrl}/apps/${APP}/caches, DELETE ${emulator.baseUrl}/apps/${APP}/caches/<caches of build-apk>`);
        assert.equal(diff.changes, true);
        assert.equal(emulator.requests.length, before);

        const updated = await provider.update("id", outs, second);

        assert.deepEqual(deletesOf(emulator).slice(2), [`/apps/${APP}/caches/630f9f218ab90da6b1b22e0f`]);
        assert.deepEqual((updated.outs?.receipt as Props).ids, { "build-apk": ["630f9f218ab90da6b1b22e0f"] });
    });

    it("treats a workflow without a cache as nothing to do and says so in the receipt", async () => {
        emulator.addApp(APP, [{ _id: IPA, workflowId: "build-ipa", size: 10 }]);
        const news = await checked(inputs({ workflows: { "build-ipa": "h1", "build-apk": "h2" } }));

        const { outs } = await provider.create(news);

        const receipt = outs.receipt as Props;
        assert.deepEqual(receipt.ids, { "build-ipa": [IPA], "build-apk": [] });
        assert.deepEqual((receipt.details as Props).targets, {
            "build-ipa": { caches: 1, bytesFreed: 10 },
            "build-apk": { caches: 0, bytesFreed: 0, note: "the workflow had no cache" },
        });
    });

    it("purges every cache with one DELETE when no target mode is given, and only lists an app that has none", async () => {
        seedThreeWorkflows();
        emulator.addApp(OTHER_APP);

        const all = await provider.create(await checked(inputs({})));
        const none = await provider.create(await checked(inputs({ appId: OTHER_APP })));

        assert.deepEqual(emulator.requests.map((r) => `${r.method} ${r.path}`), [
            `GET /apps/${APP}/caches`, `DELETE /apps/${APP}/caches`, `GET /apps/${OTHER_APP}/caches`,
        ]);
        assert.deepEqual((all.outs.receipt as Props).ids, { "all caches": [IPA, APK, WEB] });
        assert.equal(((all.outs.receipt as Props).details as Props).bytesFreed, 127793163 + 59377366 + 1000);
        assert.deepEqual((none.outs.receipt as Props).details, {
            appId: OTHER_APP, bytesFreed: 0, targets: { "all caches": { caches: 0, bytesFreed: 0, note: "the app had no caches" } },
        });
    });

    it("deletes named cache ids and takes an id that is already gone as done", async () => {
        seedThreeWorkflows();
        const gone = "6300000000000000000000aa";

        const { outs } = await provider.create(await checked(inputs({ cacheIds: [APK, gone] })));

        assert.deepEqual(deletesOf(emulator), [`/apps/${APP}/caches/${APK}`]);
        assert.deepEqual(((outs.receipt as Props).details as Props).targets, {
            [APK]: { caches: 1, bytesFreed: 59377366 },
            [gone]: { caches: 0, bytesFreed: 0, note: "the cache was not there" },
        });
    });

    it("with wait, returns only once the list no longer holds the deleted ids, and says so in the log", async () => {
        seedThreeWorkflows();
        emulator.deletionDelayMs = 700;
        const news = await checked(inputs({ workflows: { "build-ipa": "h1" }, wait: true }));

        const { outs } = await provider.create(news);

        assert.deepEqual(emulator.caches(APP).map((c) => c._id), [APK, WEB]);
        assert.equal((outs.receipt as Props).completion, "confirmed");
        assert.ok(log.includes("codemagic: waiting for 1 cache(s) to be deleted (up to 120 s)"), log.join("\n"));
        assert.ok(log.some((line) => line.startsWith("codemagic: all 1 cache(s) deleted after ")), log.join("\n"));
    });

    it("without wait, returns while Codemagic is still deleting", async () => {
        seedThreeWorkflows();
        emulator.deletionDelayMs = 60_000;

        const { outs } = await provider.create(await checked(inputs({ workflows: { "build-ipa": "h1" } })));

        assert.deepEqual(emulator.caches(APP).map((c) => c._id), [IPA, APK, WEB]);
        assert.equal((outs.receipt as Props).completion, "accepted");
    });

    it("fails past the wait deadline naming the ids still listed, and the next up deletes them again", async () => {
        seedThreeWorkflows();
        emulator.deletionDelayMs = 60_000;
        const news = await checked(inputs({ workflows: { "build-ipa": "h1", "build-apk": "h2" }, wait: true, waitTimeoutMs: 1_000 }));

        await assert.rejects(provider.create(news), {
            message: `codemagic: 2 of 2 deleted cache(s) still listed by GET ${emulator.baseUrl}/apps/${APP}/caches after waiting 1 s: `
                + `${IPA}, ${APK}; Codemagic may still finish deleting them. The next pulumi up deletes and waits again; raise waitTimeoutMs to wait longer`,
        });
        emulator.deletionDelayMs = 0;
        const { outs } = await provider.create(news);

        assert.deepEqual(emulator.deletions.map((d) => d.cacheId), [IPA, APK, IPA, APK]);
        assert.equal((outs.receipt as Props).completion, "confirmed");
    });

    it("retries a 429 once after the X-RateLimit-Reset it names, and deletes once", async () => {
        seedThreeWorkflows();
        const resetSeconds = Math.ceil(Date.now() / 1000) + 1;
        emulator.inject({
            status: 429, body: JSON.stringify({ error: "Rate limit exceeded" }),
            headers: { "X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(resetSeconds) },
        }, (r) => r.method === "DELETE");
        const news = await checked(inputs({ workflows: { "build-ipa": "h1" }, maxRetries: 2 }));

        const { outs } = await provider.create(news);

        assert.deepEqual(deletesOf(emulator), [`/apps/${APP}/caches/${IPA}`, `/apps/${APP}/caches/${IPA}`]);
        assert.deepEqual(emulator.deletions, [{ appId: APP, cacheId: IPA }]);
        assert.equal((outs.receipt as Props).retries, 1);
        assert.ok(log.some((line) => line.includes(`DELETE ${emulator.baseUrl}/apps/${APP}/caches/${IPA}: 429 Too Many Requests; retrying in`)), log.join("\n"));
    });

    it("records the workflows done before a failure so the next up purges only the rest", async () => {
        seedThreeWorkflows();
        emulator.inject({ status: 500, body: JSON.stringify({ error: "boom" }) }, (r) => r.path.endsWith(APK));
        const news = await checked(inputs({ workflows: { "build-ipa": "h1", "build-apk": "h2" } }));

        const error = await provider.create(news).then(() => undefined, (e: unknown) => e as Error & { properties?: Props });

        assert.equal(error?.message, `codemagic: DELETE ${emulator.baseUrl}/apps/${APP}/caches/${APK} returned 500 Internal Server Error: "boom"; `
            + "1 of 2 targets purged, 1 left for the next pulumi up (build-apk)");
        const purged = error?.properties?.purged as Props;
        assert.deepEqual(purged.pending, ["build-apk"]);
        const diff = await provider.diff("id", error?.properties ?? {}, news);
        await provider.update("id", error?.properties ?? {}, news);
        assert.equal(diff.changes, true);
        assert.deepEqual(deletesOf(emulator), [`/apps/${APP}/caches/${IPA}`, `/apps/${APP}/caches/${APK}`, `/apps/${APP}/caches/${APK}`]);
    });

    it("names the token input, the stack config key and the environment variable when no token is set", async () => {
        emulator.addApp(APP);
        const news = await checked({ baseUrl: emulator.baseUrl, appId: APP });

        await assert.rejects(provider.create(news), {
            message: "codemagic: no API token; pass token, run `pulumi config set --secret cache-purge:codemagicToken <value>`, or set CODEMAGIC_TOKEN",
        });
        assert.equal(emulator.requests.length, 0);
    });

    it("refuses bad inputs in check, naming the field", async () => {
        const bad = await provider.check({}, { appId: "60DDD0B7", workflows: { "": "h", "build-ipa": "h" }, cacheIds: [IPA, "nope"] });
        const both = await provider.check({}, { appId: APP, workflows: { "build-ipa": "h" }, cacheIds: [IPA] });

        assert.deepEqual(bad.failures, [
            { property: "", reason: "appId: expected a Codemagic app id: 24 lower-case hexadecimal characters such as 60ddd0b747960e00124747cb, got \"60DDD0B7\"" },
            { property: "", reason: "workflows[\"\"]: a workflow id must not be empty; use the workflow's key from codemagic.yaml, such as build-ipa" },
            { property: "", reason: "cacheIds[1]: expected a cache id: 24 lower-case hexadecimal characters such as 620f9f218ab90da6b1b22e0e, got \"nope\"" },
        ]);
        assert.deepEqual(both.failures, [{
            property: "",
            reason: "workflows and cacheIds: pass one of them, not both (workflows purges the caches of named workflows, "
                + "cacheIds purges named caches; omit both to purge every cache of the app)",
        }]);
    });
});
