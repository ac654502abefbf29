import assert from "node:assert/strict";
import * as diagnostics from "diagnostics_channel";
import type { ClientRequest } from "http";
import fc from "fast-check";
import { commonInputShape } from "../../src/core/inputs";
import { setProgressSink } from "../../src/core/progress-log";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import { HttpEmulator } from "../../src/services/http/emulator";
import { httpService } from "../../src/services/http/service";
import { adversarialKey, adversarialString, commonFields, dictionary, field, inputObject, junk, nastyPiece, URL_PASSWORD } from "./fuzz-inputs";

const CHECK_RUNS = 5_000;
const INJECTION_RUNS = 150;
const HEADER_SECRET = "CANARY-fuzz-header-3e9a";
const provider = createProviderImplementation(httpService);
const INPUT_NAMES = new Set([...Object.keys(commonInputShape()), ...Object.keys(httpService.inputShape())]);

/** URL templates: good ones, and the malformed, foreign and credential-carrying ones check must refuse. */
function urlTemplates(base: string): fc.Arbitrary<unknown> {
    return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(`${base}/purge`, `${base}/purge/{target}`, `${base}/purge?url={target}`, `${base}/p/{target}/x?y={target}`) },
        {
            weight: 3,
            arbitrary: fc.constantFrom(
                `${base}/purge/{{target}}`, `${base}/purge/{target`, `${base}/purge/{tagret}`, `${base}/purge/{ target }`, `${base}/{id}`,
                "https://{target}.example.com/purge", "http://{target}/x", "{target}", "ftp://127.0.0.1/purge", "http://cdn.example.com/purge",
                `https://user:${URL_PASSWORD}@cdn.example.com/purge`, `https://cdn.example.com/purge?token=${URL_PASSWORD}`,
                `https://cdn.example.com/purge?url={target}&api_key=${URL_PASSWORD}`, `https://cdn.example.com:99999/x?access_token=${URL_PASSWORD}`,
                "https://cdn.example.com/#frag", "", "javascript:alert(1)", "x".repeat(9000),
            ),
        },
        { weight: 2, arbitrary: nastyPiece.map((p) => `${base}/purge/${p}{target}`) },
        { weight: 1, arbitrary: junk },
    );
}

function checkInputs(base: string): fc.Arbitrary<Record<string, unknown>> {
    return inputObject({
        ...commonFields(),
        request: field(inputObject({
            method: field(fc.constantFrom("POST", "GET", "PUT", "PATCH", "DELETE", "PURGE", "post")),
            url: urlTemplates(base),
            headers: field(dictionary(adversarialKey, fc.oneof(adversarialString, fc.constant("{target}"), fc.constant(`Bearer ${HEADER_SECRET}`)), 2)),
            json: field(fc.oneof(fc.constant({ tags: ["{target}"] }), fc.anything({ maxDepth: 2, maxKeys: 3 }), fc.constant({ note: "{{target}}" }))),
            form: field(dictionary(adversarialKey, fc.oneof(adversarialString, fc.constant("{target}")), 2)),
        })),
        secretHeaders: field(dictionary(adversarialKey, fc.oneof(fc.constant(HEADER_SECRET), fc.constant(`${HEADER_SECRET}\r\n`), fc.constant(`${HEADER_SECRET}€`)), 2)),
        targets: field(fc.oneof(fc.array(adversarialString, { maxLength: 4 }), dictionary(adversarialKey, adversarialString, 4))),
        batch: field(inputObject({ size: field(fc.integer({ min: -1, max: 20_000 })), jsonPath: field(fc.oneof(fc.constantFrom("files", "a.b", "a..b", "__proto__.x", ""), adversarialString)), header: field(fc.oneof(fc.constant("Surrogate-Key"), adversarialString)) })),
        success: field(inputObject({ statuses: field(fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 3 })), jsonPath: field(fc.oneof(fc.constant("success"), adversarialString)), equals: field(fc.oneof(fc.boolean(), adversarialString)) })),
        wait: field(inputObject({ url: urlTemplates(base).map((u) => (typeof u === "string" ? u.replace("{target}", "{id}") : u)), idPath: field(fc.constantFrom("id", "result.id", "a..b")), donePath: field(fc.constant("status")), doneValue: field(fc.oneof(fc.constant("done"), junk)) })),
        maxRequestsPerSecond: field(fc.oneof(fc.double({ min: -1, max: 20_000 }), fc.constant(0))),
        maxRequests: field(fc.integer({ min: -1, max: 2_000_000 })),
    });
}

/** Inputs of the right shape whose targets try to leave the path the template puts them in. */
function injections(base: string): fc.Arbitrary<Record<string, unknown>> {
    return fc.record({
        request: fc.constantFrom({ url: `${base}/zone/purge/{target}` }, { url: `${base}/zone/purge?url={target}` }, { url: `${base}/zone/purge`, json: { files: ["{target}"] } }),
        targets: fc.array(fc.oneof(nastyPiece, adversarialString).filter((t) => t !== "" && t.length <= 8192), { minLength: 1, maxLength: 3 }),
        secretHeaders: fc.constant({ AccessKey: HEADER_SECRET }),
    });
}

interface Sent { readonly origin: string; readonly path: string }

function watchOutgoingRequests(): { sent: Sent[]; stop: () => void } {
    const sent: Sent[] = [];
    const onStart = (message: unknown) => {
        const request = (message as { request: ClientRequest }).request;
        sent.push({ origin: `${request.protocol}//${String(request.getHeader("host"))}`, path: request.path });
    };
    diagnostics.subscribe("http.client.request.start", onStart);
    return { sent, stop: () => diagnostics.unsubscribe("http.client.request.start", onStart) };
}

describe("http purge: random, malformed and hostile inputs", function () {
    this.timeout(300_000);
    let server: HttpEmulator;

    before(() => setProgressSink(() => undefined));
    after(() => setProgressSink(undefined));

    beforeEach(async () => {
        server = await new HttpEmulator().start();
    });

    afterEach(() => server.stop());

    it(`check never throws, sends no request, names a top-level input first, and quotes no credential, over ${CHECK_RUNS.toLocaleString("en-US")} inputs`, async () => {
        const outgoing = watchOutgoingRequests();
        let refused = 0;
        let accepted = 0;
        try {
            await fc.assert(fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: checkInputs(server.baseUrl) }, { weight: 1, arbitrary: injections(server.baseUrl) }), async (input) => {
                const result = await provider.check({}, input);
                const failures = result.failures ?? [];
                for (const { property, reason } of failures) {
                    assert.ok(INPUT_NAMES.has(property) || Object.hasOwn(input, property), `property ${JSON.stringify(property)} is not an input`);
                    assert.ok(reason.startsWith(property) && /^($|[:.[, ])/.test(reason.slice(property.length)), `reason does not start with ${property}: ${reason.slice(0, 200)}`);
                    // Any input of the wrong type is quoted (as for every service); a URL, never with its credentials.
                    const aboutUrl = /^(request|wait)\.url\b/.test(reason);
                    assert.ok(!(aboutUrl && reason.includes(URL_PASSWORD)) && !reason.includes(HEADER_SECRET), `a failure quotes a credential: ${reason.slice(0, 300)}`);
                }
                if (failures.length > 0) {
                    refused++;
                } else {
                    accepted++;
                    const plan = String(result.inputs.purgePlan);
                    assert.ok(!plan.includes(HEADER_SECRET), plan);
                    assert.ok(plan.length < 4_000, `a plan line of ${plan.length} characters`);
                }
            }), { numRuns: CHECK_RUNS });
        } finally {
            outgoing.stop();
        }

        assert.equal(server.requests.length, 0);
        assert.deepEqual(outgoing.sent, []);
        assert.ok(refused > 0 && accepted > 0, `both kinds were tried: ${refused} refused, ${accepted} accepted`);
        console.log(`      http: ${CHECK_RUNS} inputs, ${refused} refused, ${accepted} accepted, 0 requests`);
    });

    it("sends every request to the template's origin, each target inside the path segment or query value it fills", async () => {
        const outgoing = watchOutgoingRequests();
        try {
            await fc.assert(fc.asyncProperty(injections(server.baseUrl), async (input) => {
                const checked = await provider.check({}, { ...input, maxRetries: 0, timeoutMs: 2_000 });
                fc.pre((checked.failures ?? []).length === 0);
                const start = server.requests.length;
                const sentBefore = outgoing.sent.length;
                await provider.create(checked.inputs);
                for (const request of outgoing.sent.slice(sentBefore)) {
                    assert.equal(request.origin, new URL(server.baseUrl).origin);
                }
                const targets = [...new Set(input.targets as string[])];
                const received = server.requests.slice(start);
                assert.equal(received.length, targets.length);
                // Each request carries one target in its place; the order is the plan's (a map's key order puts
                // "0" before " "), so the targets are compared as a set.
                const request = input.request as { url: string; json?: unknown };
                const carried = received.map((r) => {
                    if (request.json !== undefined) {
                        const body = JSON.parse(r.body) as { files: string[] };
                        assert.equal(body.files.length, 1);
                        return body.files[0];
                    }
                    if (request.url.includes("?url=")) {
                        assert.equal(r.path, "/zone/purge");
                        return r.query.url;
                    }
                    const path = decodeURIComponent(r.path);
                    assert.ok(path.startsWith("/zone/purge/"), path);
                    return path.slice("/zone/purge/".length);
                });
                assert.deepEqual([...carried].sort(), [...targets].sort());
            }), { numRuns: INJECTION_RUNS });
        } finally {
            outgoing.stop();
        }
    });

    it("checks and plans 50,000 targets in bounded time and a bounded plan line, and batches them into requests of 1,000", async () => {
        const targets: Record<string, string> = {};
        for (let i = 0; i < 50_000; i++) {
            targets[`https://cdn.example.com/assets/${i}/${"x".repeat(40)}.js`] = `h${i}`;
        }
        const started = Date.now();

        const unbatched = await provider.check({}, { request: { url: `${server.baseUrl}/purge?url={target}` }, targets });
        const batched = await provider.check({}, { request: { url: `${server.baseUrl}/purge` }, targets, batch: { size: 1_000, jsonPath: "files" }, maxRequests: 50 });
        const checkMs = Date.now() - started;
        const created = await provider.create(batched.inputs);

        assert.deepEqual(unbatched.failures?.map((f) => f.reason), [
            "maxRequests: this update would send 50,000 purge requests, more than maxRequests (1,000); set batch to send several targets per request, or raise maxRequests",
        ]);
        assert.ok(checkMs < 10_000, `two checks of 50,000 targets took ${checkMs} ms`);
        assert.ok(String(batched.inputs.purgePlan).length < 2_000, `${String(batched.inputs.purgePlan).length} characters`);
        assert.equal(server.requests.length, 50);
        assert.equal(server.requests.reduce((n, r) => n + (JSON.parse(r.body) as { files: string[] }).files.length, 0), 50_000);
        assert.equal((created.outs?.receipt as { count: number }).count, 50_000);
        console.log(`      http: 50,000 targets checked twice in ${checkMs} ms; plan line ${String(batched.inputs.purgePlan).length} characters`);
    });
});
