import assert from "node:assert/strict";
import { Headers } from "node-fetch";
import { HttpClient } from "../../src/core/http/client";
import { RateGate } from "../../src/core/http/rate-gate";
import type { ProgressLog } from "../../src/core/progress-log";
import { setProgressSink } from "../../src/core/progress-log";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import { Redactor } from "../../src/core/redact";
import { clearPipelineCache } from "../../src/services/buddy/client";
import { BuddyEmulator, type BuddyEmulatorOptions } from "../../src/services/buddy/emulator";
import { buddyRateLimit } from "../../src/services/buddy/rate-limit";
import type { BuddyInputs } from "../../src/services/buddy/schema";
import { buddyService } from "../../src/services/buddy/service";

const TOKEN = "buddy-canary-token-7c1e";
const HASH_A = "aaaaaaaa1111111111111111";
const HASH_B = "bbbbbbbb2222222222222222";
const HASH_B2 = "cccccccc3333333333333333";

function standardOptions(extra: Partial<BuddyEmulatorOptions> = {}): BuddyEmulatorOptions {
    return {
        tokens: { [TOKEN]: { scopes: ["WORKSPACE", "EXECUTION_MANAGE"] } },
        workspaces: {
            acme: {
                projects: {
                    web: [
                        { id: 101, name: "Build web", last_execution_status: "SUCCESSFUL" },
                        { id: 102, name: "Build api", last_execution_status: "FAILED" },
                        { id: 103, name: "Deploy", last_execution_status: "INITIAL" },
                    ],
                },
            },
            sleepy: { active: false, projects: { web: [{ id: 1, name: "Build" }] } },
        },
        ...extra,
    };
}

function captureLog(): { lines: string[]; log: ProgressLog } {
    const lines: string[] = [];
    return { lines, log: { info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`) } };
}

function client(log: ProgressLog, maxRetries = 4): HttpClient {
    return new HttpClient({
        service: "buddy",
        timeoutMs: 5_000,
        maxRetries,
        maxRetryDelayMs: 10_000,
        baseRetryDelayMs: 10,
        redactor: new Redactor([TOKEN]),
        log,
        errorMessage: (r) => buddyService.errorMessage(r),
        errorHint: (r) => buddyService.errorHint!(r, (input) => `the ${input} input`),
        rateLimit: { gate: new RateGate(1), read: buddyRateLimit },
    });
}

function inputs(emulator: BuddyEmulator, extra: Partial<BuddyInputs>): Record<string, unknown> {
    return { workspace: "acme", project: "web", baseUrl: emulator.baseUrl, token: TOKEN, ...extra };
}

describe("buddy client", () => {
    let emulator: BuddyEmulator;

    afterEach(async () => {
        await emulator.stop();
    });

    it("clears a pipeline with PATCH, a Bearer token, the v1.1.0 media type and {\"clear_cache\": true}", async () => {
        emulator = await new BuddyEmulator(standardOptions()).start();

        const cleared = await clearPipelineCache(client(captureLog().log), emulator.baseUrl, "acme", "web", 101, TOKEN);

        assert.deepEqual(cleared, { id: 101, name: "Build web", last_execution_status: "SUCCESSFUL" });
        assert.equal(emulator.requests.length, 1);
        const [request] = emulator.requests;
        assert.equal(request.method, "PATCH");
        assert.equal(request.path, "/workspaces/acme/projects/web/pipelines/101");
        assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
        assert.equal(request.headers["x-buddy-media-type"], "buddy.v1.1.0");
        assert.equal(request.headers["content-type"], "application/json");
        assert.equal(request.headers.accept, "application/json");
        assert.equal(request.body, "{\"clear_cache\":true}");
        assert.deepEqual(emulator.clears, [{ workspace: "acme", project: "web", pipelineId: 101, mediaType: "buddy.v1.1.0" }]);
    });

    it("keeps a self-hosted baseUrl's /api prefix and accepts a 201", async () => {
        emulator = await new BuddyEmulator(standardOptions({ pathPrefix: "/api", successStatus: 201 })).start();

        await clearPipelineCache(client(captureLog().log), `${emulator.origin}/api/`, "acme", "web", 102, TOKEN);

        assert.deepEqual(emulator.requests.map((r) => `${r.method} ${r.path}`), ["PATCH /api/workspaces/acme/projects/web/pipelines/102"]);
        assert.equal(emulator.clears.length, 1);
    });

    it("quotes Buddy's message for an unknown pipeline and does not retry the 404", async () => {
        emulator = await new BuddyEmulator(standardOptions()).start();

        const failure = clearPipelineCache(client(captureLog().log), emulator.baseUrl, "acme", "web", 999, TOKEN);

        await assert.rejects(failure, {
            message: `buddy: PATCH ${emulator.baseUrl}/workspaces/acme/projects/web/pipelines/999 returned 404 Not Found: `
                + "\"Pipeline not found\"; check workspace, project (its name ID, not its display name) and the pipeline id, and that baseUrl is Buddy's API (https://api.buddy.works)",
        });
        assert.equal(emulator.requests.length, 1);
    });

    it("explains a 403 from an inactive workspace without retrying it", async () => {
        emulator = await new BuddyEmulator(standardOptions()).start();

        const failure = clearPipelineCache(client(captureLog().log), emulator.baseUrl, "sleepy", "web", 1, TOKEN);

        await assert.rejects(failure, {
            message: `buddy: PATCH ${emulator.baseUrl}/workspaces/sleepy/projects/web/pipelines/1 returned 403 Forbidden: `
                + "\"Only active workspace have access to API\"; the workspace is inactive, as after a suspension or an ended plan: "
                + "reactivate it in Buddy; no token can purge until then",
        });
        assert.equal(emulator.requests.length, 1);
    });

    it("refuses a token without the EXECUTION_MANAGE scope with 403 and an unknown token with 401, never showing the token", async () => {
        emulator = await new BuddyEmulator(standardOptions({ tokens: { [TOKEN]: { scopes: ["WORKSPACE"] } } })).start();
        const http = client(captureLog().log);

        const scopeFailure = clearPipelineCache(http, emulator.baseUrl, "acme", "web", 101, TOKEN);
        const tokenFailure = clearPipelineCache(http, emulator.baseUrl, "acme", "web", 101, `${TOKEN}-unknown`);

        await assert.rejects(scopeFailure, /returned 403 Forbidden: "Access forbidden: the token has no EXECUTION_MANAGE scope for this workspace/);
        await assert.rejects(tokenFailure, (error: Error) => {
            assert.match(error.message, /returned 401 Unauthorized: "Unauthorized"; the token \(from the token input\) is missing, expired or revoked$/);
            assert.ok(!error.message.includes(TOKEN));
            return true;
        });
        assert.equal(emulator.requests.length, 2);
        assert.equal(emulator.clears.length, 0);
    });

    it("quotes an OAuth-style {\"error\"} body", async () => {
        emulator = await new BuddyEmulator(standardOptions()).start();
        emulator.inject({ status: 400, body: JSON.stringify({ error: "invalid_token", error_description: "The access token expired" }) });

        const failure = clearPipelineCache(client(captureLog().log), emulator.baseUrl, "acme", "web", 101, TOKEN);

        await assert.rejects(failure, /returned 400 Bad Request: "invalid_token: The access token expired"$/);
    });

    it("waits for the reset a 429 names and then clears the pipeline", async () => {
        emulator = await new BuddyEmulator(standardOptions()).start();
        const resetSeconds = Math.ceil(Date.now() / 1000);
        emulator.inject({ status: 429, body: JSON.stringify({ errors: [{ message: "Rate limit exceeded" }] }),
            headers: { "x-rate-limit-remaining": "0", "x-rate-limit-reset": String(resetSeconds) } });
        const { lines, log } = captureLog();

        const cleared = await clearPipelineCache(client(log), emulator.baseUrl, "acme", "web", 101, TOKEN);

        assert.equal(cleared.name, "Build web");
        assert.equal(emulator.requests.length, 2);
        assert.equal(emulator.clears.length, 1);
        assert.equal(lines.length, 1);
        assert.match(lines[0], /^buddy: PATCH http:\/\/127\.0\.0\.1:\d+\/workspaces\/acme\/projects\/web\/pipelines\/101: 429 Too Many Requests; retrying in [\d.]+ s \(attempt 2 of 5\)$/);
    });

    it("answers 400 when clear_cache is not true", async () => {
        emulator = await new BuddyEmulator(standardOptions()).start();

        const response = await fetchJson(`${emulator.baseUrl}/workspaces/acme/projects/web/pipelines/101`, { clear_cache: "yes" });

        assert.deepEqual(response, { status: 400, body: { errors: [{ message: "clear_cache: must be set to true" }] } });
        assert.equal(emulator.clears.length, 0);
    });
});

async function fetchJson(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const { default: fetch } = await import("node-fetch");
    const res = await fetch(url, { method: "PATCH", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
}

describe("buddy rate-limit headers", () => {
    it("reads the remaining budget and the reset in epoch seconds, waiting to the end of that second", () => {
        const headers = new Headers({ "x-rate-limit-limit": "100", "x-rate-limit-remaining": "0", "x-rate-limit-reset": "1790000000" });

        const info = buddyRateLimit(headers, 0);

        assert.deepEqual(info, { remaining: 0, resetAtMs: 1_790_000_001_000 });
    });

    it("says nothing when the headers are absent or unreadable", () => {
        const headers = new Headers({ "x-rate-limit-remaining": "many", "x-rate-limit-reset": "-3" });

        assert.deepEqual(buddyRateLimit(headers, 0), {});
        assert.deepEqual(buddyRateLimit(new Headers(), 0), {});
    });
});

describe("buddy service", () => {
    it("resolves the us region by default, the eu region and a self-hosted baseUrl in its plan's requests", () => {
        const base = { workspace: "acme", project: "web", pipelineId: 2 } as BuddyInputs;

        const us = buddyService.describeRequests(base, ["pipeline 2"]);
        const eu = buddyService.describeRequests({ ...base, region: "eu" }, ["pipeline 2"]);
        const selfHosted = buddyService.describeRequests({ ...base, baseUrl: "https://buddy.example.com/api" }, ["pipeline 2"]);

        assert.deepEqual(us, ["PATCH https://api.buddy.works/workspaces/acme/projects/web/pipelines/2"]);
        assert.deepEqual(eu, ["PATCH https://api.eu.buddy.works/workspaces/acme/projects/web/pipelines/2"]);
        assert.deepEqual(selfHosted, ["PATCH https://buddy.example.com/api/workspaces/acme/projects/web/pipelines/2"]);
    });

    it("makes one target per pipeline, each with its own hash, and scopes them to the project's URL", () => {
        const inputs = { workspace: "acme", project: "web", region: "eu", pipelines: { 102: HASH_B, 101: HASH_A } } as unknown as BuddyInputs;

        assert.deepEqual(buddyService.targets(inputs), [{ key: "pipeline 101", trigger: HASH_A }, { key: "pipeline 102", trigger: HASH_B }]);
        assert.equal(buddyService.scope(inputs), "https://api.eu.buddy.works/workspaces/acme/projects/web");
    });
});

describe("buddy provider", () => {
    const provider = createProviderImplementation(buddyService);
    let emulator: BuddyEmulator;
    let logLines: string[];

    beforeEach(() => {
        logLines = [];
        setProgressSink((_severity, message) => logLines.push(message));
    });

    afterEach(async () => {
        setProgressSink(undefined);
        await emulator?.stop();
    });

    it("names each bad input in check", async () => {
        emulator = await new BuddyEmulator(standardOptions()).start();

        const results = await Promise.all([
            provider.check({}, inputs(emulator, { pipelineId: 2.5 })),
            provider.check({}, inputs(emulator, { pipelineId: "two" as unknown as number })),
            provider.check({}, inputs(emulator, { workspace: " ", pipelineId: 2 })),
            provider.check({}, { workspace: "acme", project: "web", region: "ap" as "eu", pipelineId: 2 }),
            provider.check({}, inputs(emulator, { pipelines: { two: HASH_A, "2.5": HASH_B } })),
            provider.check({}, { ...inputs(emulator, { pipelineId: 2 }), region: "eu" }),
            provider.check({}, inputs(emulator, { pipelineId: 2, pipelines: { 3: HASH_A } })),
            provider.check({}, inputs(emulator, {})),
        ]);

        assert.deepEqual(results.map((r) => r.failures), [
            [{ property: "pipelineId", reason: "pipelineId: expected a whole number, got 2.5" }],
            [{ property: "pipelineId", reason: "pipelineId: expected a number, got \"two\"" }],
            [{ property: "workspace", reason: "workspace: must not be empty" }],
            [{ property: "region", reason: "region: expected \"us\" or \"eu\", got \"ap\"" }],
            [
                { property: "pipelines", reason: "pipelines.two: expected a pipeline id (a positive whole number such as \"2\"), got \"two\"" },
                { property: "pipelines", reason: "pipelines[\"2.5\"]: expected a pipeline id (a positive whole number such as \"2\"), got \"2.5\"" },
            ],
            [{ property: "region", reason: `region, baseUrl: pass one of them, not both; region picks Buddy's cloud (us or eu), baseUrl a self-hosted install, got region "eu" and baseUrl "${emulator.baseUrl}"` }],
            [{ property: "pipelineId", reason: "pipelineId, pipelines: pass one of them, not both (pipelines can hold every pipeline with its own hash)" }],
            [{ property: "pipelineId", reason: "pipelineId or pipelines: required; pass pipelineId for one pipeline, or pipelines to map pipeline ids to hashes" }],
        ]);
        assert.equal(emulator.requests.length, 0);
    });

    it("clears both pipelines on create, then only the one whose hash changed, which preview names without a request", async () => {
        emulator = await new BuddyEmulator(standardOptions()).start();
        const first = await provider.check({}, inputs(emulator, { pipelines: { 101: HASH_A, 102: HASH_B } }));
        const created = await provider.create(first.inputs);
        const clearsAfterCreate = emulator.clears.map((c) => c.pipelineId);

        const second = await provider.check(first.inputs, inputs(emulator, { pipelines: { 101: HASH_A, 102: HASH_B2 } }));
        const requestsAfterPreview = emulator.requests.length;
        const updated = await provider.update(created.id, created.outs, second.inputs);

        assert.deepEqual(clearsAfterCreate, [101, 102]);
        assert.equal(second.inputs.purgePlan,
            `purge 1 of 2 targets: pipeline 102 (trigger: bbbbbbbb… -> cccccccc…); 1 request: PATCH ${emulator.baseUrl}/workspaces/acme/projects/web/pipelines/102`);
        assert.equal(requestsAfterPreview, 2);
        assert.deepEqual(emulator.clears.map((c) => c.pipelineId), [101, 102, 102]);
        const receipt = updated.outs.receipt as { targets: string[]; details: unknown; ids: unknown };
        assert.deepEqual(receipt.targets, ["pipeline 102"]);
        assert.deepEqual(receipt.ids, { "pipeline 102": ["102"] });
        assert.deepEqual(receipt.details, { pipelines: { "pipeline 102": { id: 102, name: "Build api", last_execution_status: "FAILED" } } });
    });

    it("clears three pipelines on a budget of 1 with a reset 2 s ahead without a 429, and logs the wait", async () => {
        emulator = await new BuddyEmulator(standardOptions()).start();
        emulator.budgetAtNextRequest(1, 2_000);
        const checked = await provider.check({}, inputs(emulator, { pipelines: { 101: HASH_A, 102: HASH_B, 103: HASH_B2 } }));

        const created = await provider.create(checked.inputs);

        assert.deepEqual(emulator.clears.map((c) => c.pipelineId), [101, 102, 103]);
        assert.equal(emulator.rateLimited, 0);
        assert.equal(emulator.requests.length, 3);
        const waits = logLines.filter((l) => l.includes("rate limit budget spent"));
        assert.equal(waits.length, 1);
        assert.match(waits[0], /^buddy: rate limit budget spent; waiting for its reset \(\d(\.\d)? s\)$/);
        assert.deepEqual((created.outs.receipt as { requests: number; retries: number }).requests, 3);
    });

    it("records the pipelines cleared before one failed, so the next up clears only what is left", async () => {
        emulator = await new BuddyEmulator(standardOptions()).start();
        emulator.inject({ status: 404, body: JSON.stringify({ errors: [{ message: "Pipeline not found" }] }) }, (r) => r.path.endsWith("/102"));
        const checked = await provider.check({}, inputs(emulator, { pipelines: { 101: HASH_A, 102: HASH_B, 103: HASH_B2 } }));

        const failure = provider.create(checked.inputs);

        await assert.rejects(failure, (error: Error & { properties?: { purged: { pending?: string[] } } }) => {
            assert.equal(error.message, `buddy: PATCH ${emulator.baseUrl}/workspaces/acme/projects/web/pipelines/102 returned 404 Not Found: `
                + "\"Pipeline not found\"; check workspace, project (its name ID, not its display name) and the pipeline id, and that baseUrl is Buddy's API (https://api.buddy.works); "
                + "1 of 3 targets purged, 2 left for the next pulumi up (pipeline 102, pipeline 103)");
            assert.deepEqual(error.properties?.purged.pending, ["pipeline 102", "pipeline 103"]);
            return true;
        });
        assert.deepEqual(emulator.clears.map((c) => c.pipelineId), [101]);
    });
});
