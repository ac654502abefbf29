import assert from "node:assert/strict";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import { httpService } from "../../src/services/http/service";
import { FAST, up } from "./provider-run";
import { HttpEmulator } from "../../src/services/http/emulator";

const provider = createProviderImplementation(httpService);
const KEY = "bunny-CANARY-access-key-7f3e";
type Failed = Error & { properties?: Record<string, unknown>; id?: string };

describe("http purge against a local server", () => {
    let server: HttpEmulator;

    beforeEach(async () => {
        server = await new HttpEmulator().start();
    });

    afterEach(() => server.stop());

    function purge(extra: Record<string, unknown>) {
        return up(httpService, { ...FAST, ...extra });
    }

    it("sends one request per target, the target URL-encoded into the query and the secret header as given", async () => {
        const run = await purge({
            request: { url: `${server.baseUrl}/purge?url={target}&async=false` },
            secretHeaders: { AccessKey: KEY },
            targets: ["https://cdn.example.com/a b.css", "https://cdn.example.com/app.js"],
        });

        assert.equal(run.error, undefined);
        assert.deepEqual(server.requests.map((r) => [r.method, r.query.url, r.query.async, r.headers.accesskey]), [
            ["POST", "https://cdn.example.com/a b.css", "false", KEY],
            ["POST", "https://cdn.example.com/app.js", "false", KEY],
        ]);
        assert.equal((run.outs?.receipt as { completion: string; count: number }).completion, "accepted");
        assert.ok(!JSON.stringify([run.outs?.receipt, run.outs?.purgePlan, run.outs?.purged, run.log]).includes(KEY), "the key is shown");
    });

    it("shows the plan with [secret] for the secret header and no value of it", async () => {
        const checked = await provider.check({}, {
            request: { url: `${server.baseUrl}/purge?url={target}` },
            secretHeaders: { AccessKey: KEY },
            targets: ["https://cdn.example.com/a.css"],
        });

        assert.equal(checked.inputs.purgePlan, `purge https://cdn.example.com/a.css (created); 1 request: POST ${server.baseUrl}/purge?url=https%3A%2F%2Fcdn.example.com%2Fa.css (AccessKey: [secret])`);
        assert.equal(server.requests.length, 0);
    });

    it("puts a batch's targets in a JSON array at the body path, in requests of the batch size", async () => {
        const run = await purge({
            request: { url: `${server.baseUrl}/zones/z1/purge_cache`, json: { zone: "z1" } },
            targets: ["a", "b", "c", "d", "e"],
            batch: { size: 2, jsonPath: "purge.files" },
        });

        assert.equal(run.error, undefined);
        assert.deepEqual(server.requests.map((r) => JSON.parse(r.body)), [
            { zone: "z1", purge: { files: ["a", "b"] } },
            { zone: "z1", purge: { files: ["c", "d"] } },
            { zone: "z1", purge: { files: ["e"] } },
        ]);
    });

    it("puts a batch's targets in a header joined by spaces", async () => {
        await purge({ request: { url: `${server.baseUrl}/service/s1/purge` }, targets: ["k1", "k2", "k3"], batch: { size: 10, header: "Surrogate-Key" } });

        assert.deepEqual(server.requests.map((r) => r.headers["surrogate-key"]), ["k1 k2 k3"]);
    });

    it("fills {target} JSON-escaped in a JSON body and as it is in a form", async () => {
        await purge({ request: { url: `${server.baseUrl}/p`, json: { tags: ["{target}"] } }, targets: ["say \"hi\""] });
        await purge({ request: { url: `${server.baseUrl}/f`, form: { url: "{target}" } }, targets: ["https://x.example/?a=1&b=2"] });

        assert.equal(server.requests[0].body, "{\"tags\":[\"say \\\"hi\\\"\"]}");
        assert.deepEqual(server.requests[1].fields, { url: "https://x.example/?a=1&b=2" });
    });

    it("fails a listed-success status whose body does not hold success.jsonPath's value, quoting the API's message", async () => {
        server.answer = () => ({ status: 200, body: { success: false, errors: [{ message: "Zone not found" }] } });

        const run = await purge({ request: { url: `${server.baseUrl}/purge` }, success: { jsonPath: "success", equals: true } });

        assert.equal(run.error?.message, `http: POST ${server.baseUrl}/purge returned 200 OK with false at success.jsonPath "success", expected true; `
            + "not counted as purged: \"Zone not found\"");
    });

    it("fails a 2xx that is not in success.statuses, quoting status, content type and first line", async () => {
        server.answer = () => ({ status: 200, body: "<html><title>Sign in</title></html>" });

        const run = await purge({ request: { url: `${server.baseUrl}/admin/cache/clear` }, success: { statuses: [204] } });

        assert.equal(run.error?.message, `http: POST ${server.baseUrl}/admin/cache/clear returned 200 OK (text/plain) instead of a status in success.statuses (204): `
            + "\"Sign in\"; check request.url, or list this status in success.statuses if the API documents it as success");
    });

    it("retries a 429 after its Retry-After and a 503, and never a 400", async () => {
        server.inject([{ status: 429, headers: { "retry-after": "1" } }, { status: 503 }]);
        const started = Date.now();

        const retried = await purge({ request: { url: `${server.baseUrl}/purge` } });
        const elapsedMs = Date.now() - started;
        server.inject({ status: 400, body: JSON.stringify({ message: "bad url" }) });
        const refused = await purge({ request: { url: `${server.baseUrl}/purge` } });

        assert.equal(retried.error, undefined);
        assert.ok(elapsedMs >= 1000, `waited ${elapsedMs} ms`);
        assert.equal((retried.outs?.receipt as { retries: number }).retries, 2);
        assert.equal(refused.error?.message, `http: POST ${server.baseUrl}/purge returned 400 Bad Request: "bad url"`);
        assert.equal(server.requests.length, 4);
    });

    it("fails at once when the server asks to wait a day, without a second request", async () => {
        server.inject({ status: 429, headers: { "retry-after": "86400" } });

        const run = await purge({ request: { url: `${server.baseUrl}/purge` } });

        assert.equal(run.error?.message, `http: POST ${server.baseUrl}/purge returned 429 Too Many Requests (server asked to wait 86400 s, more than maxRetryDelayMs allows)`);
        assert.equal(server.requests.length, 1);
    });

    it("waits for RateLimit-Reset when RateLimit-Remaining is 0", async () => {
        let n = 0;
        server.answer = () => ({ status: 200, headers: n++ === 0 ? { "ratelimit-remaining": "0", "ratelimit-reset": "1" } : undefined, body: {} });

        await purge({ request: { url: `${server.baseUrl}/purge/{target}` }, targets: ["a", "b"] });

        assert.ok(server.requests[1].atMs - server.requests[0].atMs >= 900, `${server.requests[1].atMs - server.requests[0].atMs} ms apart`);
    });

    it("paces requests to maxRequestsPerSecond", async () => {
        await purge({ request: { url: `${server.baseUrl}/purge/{target}` }, targets: ["a", "b", "c", "d", "e"], maxRequestsPerSecond: 10 });

        const spanMs = server.requests[4].atMs - server.requests[0].atMs;
        assert.ok(spanMs >= 380, `5 requests at 10/s took ${spanMs} ms`);
    });

    it("redacts the secret header, and its token after the scheme word, from an error that echoes them", async () => {
        const token = "sk_live_CANARY_webhook_91c2";
        server.answer = (r) => ({ status: 401, body: { message: `bad token ${r.headers.authorization}; got ${token} / ${encodeURIComponent(token)}` } });

        const run = await purge({ request: { url: `${server.baseUrl}/admin/cache/clear` }, secretHeaders: { Authorization: `Bearer ${token}` } });

        assert.equal(run.error?.message, `http: POST ${server.baseUrl}/admin/cache/clear returned 401 Unauthorized: "bad token [secret]; got [secret] / [secret]"`);
    });

    it("records the batches done when one fails, and the next update sends only what is left", async () => {
        const targets = ["a", "b", "c", "d", "e"];
        server.answer = (r) => (JSON.parse(r.body).files.includes("c") ? { status: 400, body: { message: "nope" } } : { status: 200, body: {} });
        const checked = await provider.check({}, { ...FAST, request: { url: `${server.baseUrl}/purge` }, targets, batch: { size: 2, jsonPath: "files" } });

        const error = await provider.create(checked.inputs).then(() => undefined, (e: Failed) => e);
        server.answer = () => ({ status: 200, body: {} });
        const retried = await provider.update(error!.id!, error!.properties!, checked.inputs);

        assert.equal(error?.message, `http: POST ${server.baseUrl}/purge returned 400 Bad Request: "nope"; 2 of 5 targets purged, 3 left for the next pulumi up (c, d, e)`);
        assert.deepEqual((error?.properties?.purged as { pending: string[] }).pending, ["c", "d", "e"]);
        assert.deepEqual(server.requests.map((r) => JSON.parse(r.body).files), [["a", "b"], ["c", "d"], ["c", "d"], ["e"]]);
        assert.deepEqual((retried.outs?.receipt as { targets: string[] }).targets, ["c", "d", "e"]);
    });

    it("polls the status URL with the id from each answer until done, and records confirmed", async () => {
        let polls = 0;
        server.answer = (r) => (r.method === "POST" ? { status: 201, body: { result: { id: `p/${r.query.url}` } } } : { status: 200, body: { state: ++polls < 3 ? "pending" : "done" } });

        const run = await purge({
            request: { url: `${server.baseUrl}/purge?url={target}` },
            targets: ["one"],
            wait: { url: `${server.baseUrl}/purges/{id}`, idPath: "result.id", donePath: "state", doneValue: "done" },
        });

        assert.equal(run.error, undefined);
        assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path}`), ["POST /purge", "GET /purges/p%2Fone", "GET /purges/p%2Fone", "GET /purges/p%2Fone"]);
        assert.equal((run.outs?.receipt as { completion: string }).completion, "confirmed");
    });

    it("stops polling at wait.timeoutMs, keeps the purge recorded, and says so", async () => {
        server.answer = (r) => (r.method === "POST" ? { status: 202, body: { id: 7 } } : { status: 200, body: { state: "pending" } });
        const started = Date.now();

        const checked = await provider.check({}, { ...FAST, request: { url: `${server.baseUrl}/purge` }, wait: { url: `${server.baseUrl}/s/{id}`, idPath: "id", donePath: "state", doneValue: "done", timeoutMs: 1000 } });
        const error = await provider.create(checked.inputs).then(() => undefined, (e: Failed) => e);

        assert.ok(Date.now() - started < 3000);
        assert.equal(error?.message, "http: 1 of 1 purges not done after waiting 1 s (ids 7): state never read \"done\"; the API accepted them and may finish on its own: "
            + "raise wait.timeoutMs or leave wait out; all 1 targets were accepted by the service and are recorded as purged, so the next pulumi up does not send them again");
        assert.deepEqual((error?.properties?.receipt as { count: number }).count, 1);
    });
});
