import assert from "node:assert/strict";
import { BuddyEmulator } from "../../src/services/buddy/emulator";
import { PipelineCachePurge } from "../../src/services/buddy/resource";
import { ProviderHost } from "../harness/provider-host";
import { emptyProto, engineProto, engineRpc, grpc, type Props } from "../harness/sdk";
import { serializedProvider } from "../harness/serialize";
import { linkPackageIntoNodeModules, REPO_ROOT } from "../harness/workspace";

const URN = "urn:pulumi:test::p::pulumi-nodejs:dynamic/buddy:PipelineCachePurge::ci";
const TOKEN = "CANARY-buddy-host-token-5e2f";
const HASH_A = "aaaaaaaa1111111111111111";
const HASH_B = "bbbbbbbb2222222222222222";
const HASH_C = "cccccccc3333333333333333";

describe("buddy through the provider host (gRPC, as the engine calls it)", function () {
    this.timeout(60_000);
    let host: ProviderHost;
    let emulator: BuddyEmulator;
    let provider: string;
    let engine: { address: string; log: string[]; stop: () => void };

    before(async () => {
        linkPackageIntoNodeModules();
        provider = await serializedProvider(() => new PipelineCachePurge("ci", { workspace: "acme", project: "web", pipelineId: 1, token: TOKEN }));
        engine = await startEngineLog();
        host = await ProviderHost.start({ cwd: REPO_ROOT, engineAddress: engine.address });
        await host.configure({ "cache-purge:buddyToken": TOKEN });
    });

    after(async () => {
        await host.stop();
        engine.stop();
    });

    async function startEmulator(pathPrefix = ""): Promise<BuddyEmulator> {
        emulator = await new BuddyEmulator({
            pathPrefix,
            tokens: { [TOKEN]: { scopes: ["EXECUTION_MANAGE"] }, "budget-token-0001": { scopes: ["EXECUTION_MANAGE"] } },
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
            },
        }).start();
        return emulator;
    }

    afterEach(() => emulator?.stop());

    async function checked(inputs: Props, olds: Props = {}): Promise<Props> {
        const result = await host.check(URN, olds, { ...inputs, __provider: provider });
        assert.deepEqual(result.failures, []);
        return result.inputs;
    }

    it("serializes to a provider that holds no token", () => {
        assert.ok(!provider.includes(TOKEN));
        assert.match(provider, /"pulumi-cache-purge\/provider\/buddy"/);
    });

    it("clears both pipelines on create, then only the changed one, which check names with old -> new hash before any request", async () => {
        await startEmulator();
        const base = { workspace: "acme", project: "web", baseUrl: emulator.baseUrl };
        const inputs = await checked({ ...base, pipelines: { 101: HASH_A, 102: HASH_B } });
        const created = await host.create(URN, inputs);
        const afterCreate = emulator.requests.length;

        const news = await checked({ ...base, pipelines: { 101: HASH_A, 102: HASH_C } }, inputs);
        const diff = await host.diff(URN, created.id, created.outputs, news);
        const afterPreview = emulator.requests.length;
        const outputs = await host.update(URN, created.id, created.outputs, news);

        assert.equal(inputs.purgePlan, `purge 2 of 2 targets: pipeline 101, pipeline 102 (created); 2 requests: `
            + `PATCH ${emulator.baseUrl}/workspaces/acme/projects/web/pipelines/101, PATCH ${emulator.baseUrl}/workspaces/acme/projects/web/pipelines/102`);
        assert.equal(afterCreate, 2);
        assert.equal(news.purgePlan, `purge 1 of 2 targets: pipeline 102 (trigger: bbbbbbbb… -> cccccccc…); 1 request: `
            + `PATCH ${emulator.baseUrl}/workspaces/acme/projects/web/pipelines/102`);
        assert.equal(diff.changes, "some");
        assert.equal(afterPreview, 2);
        assert.deepEqual(emulator.clears.map((c) => c.pipelineId), [101, 102, 102]);
        const receipt = outputs.receipt as Props;
        assert.deepEqual(receipt.reasons, [{ why: "trigger: bbbbbbbb… -> cccccccc…", targets: ["pipeline 102"] }]);
        assert.deepEqual(receipt.details, { pipelines: { "pipeline 102": { id: 102, name: "Build api", last_execution_status: "FAILED" } } });
    });

    it("reports no change when the hashes are the same and only the map's key order differs", async () => {
        await startEmulator();
        const base = { workspace: "acme", project: "web", baseUrl: emulator.baseUrl };
        const inputs = await checked({ ...base, pipelines: { 101: HASH_A, 102: HASH_B } });
        const created = await host.create(URN, inputs);

        const news = await checked({ ...base, baseUrl: `${emulator.baseUrl}/`, pipelines: { 102: HASH_B, 101: HASH_A } }, inputs);
        const diff = await host.diff(URN, created.id, created.outputs, news);

        assert.equal(news.purgePlan, inputs.purgePlan);
        assert.equal(diff.changes, "none");
        assert.equal(emulator.requests.length, 2);
    });

    it("clears three pipelines on a budget of 1 with a reset 2 s ahead, without a 429, and logs the wait", async () => {
        await startEmulator();
        emulator.budgetAtNextRequest(1, 2_000);
        // Its own token: the rate gate is per account, and this test must start from a fresh one.
        const inputs = await checked({ workspace: "acme", project: "web", baseUrl: emulator.baseUrl, token: "budget-token-0001",
            pipelines: { 101: HASH_A, 102: HASH_B, 103: HASH_C } });

        const created = await host.create(URN, inputs);
        await new Promise((r) => setTimeout(r, 100));

        assert.deepEqual(emulator.clears.map((c) => c.pipelineId), [101, 102, 103]);
        assert.equal(emulator.rateLimited, 0);
        assert.equal((created.outputs.receipt as Props).retries, 0);
        assert.ok(engine.log.some((line) => /^buddy: rate limit budget spent; waiting for its reset \(\d(\.\d)? s\)$/.test(line)), engine.log.join("\n"));
        assert.ok(!engine.log.some((line) => line.includes("budget-token-0001")));
    });

    it("sends to a self-hosted baseUrl below its /api prefix", async () => {
        await startEmulator("/api");

        const inputs = await checked({ workspace: "acme", project: "web", baseUrl: `${emulator.origin}/api/`, pipelineId: 103 });
        await host.create(URN, inputs);

        assert.deepEqual(emulator.requests.map((r) => `${r.method} ${r.path}`), ["PATCH /api/workspaces/acme/projects/web/pipelines/103"]);
    });

    it("plans the eu region's API and the us one by default, without a request", async () => {
        const eu = await checked({ workspace: "acme", project: "web", region: "eu", pipelineId: 2 });
        const us = await checked({ workspace: "acme", project: "web", pipelineId: 2 });

        assert.equal(eu.purgePlan, "purge pipeline 2 (created); 1 request: PATCH https://api.eu.buddy.works/workspaces/acme/projects/web/pipelines/2");
        assert.equal(us.purgePlan, "purge pipeline 2 (created); 1 request: PATCH https://api.buddy.works/workspaces/acme/projects/web/pipelines/2");
    });

    it("clears every pipeline when the region changes, because the endpoint did", async () => {
        const us = await checked({ workspace: "acme", project: "web", pipelines: { 5: HASH_A, 6: HASH_B } });

        const eu = await checked({ workspace: "acme", project: "web", region: "eu", pipelines: { 5: HASH_A, 6: HASH_B } }, us);

        assert.match(eu.purgePlan as string, /^purge 2 of 2 targets: pipeline 5, pipeline 6 \(endpoint changed: https:\/\/api\.buddy\.works\/workspaces\/acme\/projects\/web -> https:\/\/api\.eu\.buddy\.works\/workspaces\/acme\/projects\/web\); 2 requests/);
    });

    it("rejects bad inputs in check, naming each field", async () => {
        const results = await Promise.all([
            host.check(URN, {}, { __provider: provider, workspace: "acme", project: "web", pipelineId: 2.5 }),
            host.check(URN, {}, { __provider: provider, workspace: "acme", project: "web", pipelineId: "two" }),
            host.check(URN, {}, { __provider: provider, workspace: "", project: "web", pipelineId: 2 }),
            host.check(URN, {}, { __provider: provider, workspace: "acme", project: "web", pipelineId: 2, region: "ap" }),
            host.check(URN, {}, { __provider: provider, workspace: "acme", project: "web", pipelines: { two: HASH_A } }),
        ]);

        assert.deepEqual(results.map((r) => r.failures), [
            [{ property: "", reason: "pipelineId: expected a whole number, got 2.5" }],
            [{ property: "", reason: "pipelineId: expected a number, got \"two\"" }],
            [{ property: "", reason: "workspace: must not be empty" }],
            [{ property: "", reason: "region: expected \"us\" or \"eu\", got \"ap\"" }],
            [{ property: "", reason: "pipelines.two: expected a pipeline id (a positive whole number such as \"2\"), got \"two\"" }],
        ]);
    });

    it("does not retry an unknown pipeline's 404 and quotes Buddy's message", async () => {
        await startEmulator();
        const inputs = await checked({ workspace: "acme", project: "web", baseUrl: emulator.baseUrl, pipelineId: 999 });

        await assert.rejects(host.create(URN, inputs), {
            message: `buddy: PATCH ${emulator.baseUrl}/workspaces/acme/projects/web/pipelines/999 returned 404 Not Found: `
                + "\"Pipeline not found\"; check workspace, project (its name ID, not its display name) and the pipeline id, and that baseUrl is Buddy's API (https://api.buddy.works)",
        });
        assert.equal(emulator.requests.length, 1);
    });

    it("names all three ways to set a missing token", async () => {
        const bare = await ProviderHost.start({ cwd: REPO_ROOT, env: { BUDDY_TOKEN: "" } });
        try {
            await bare.configure({});

            const result = await bare.check(URN, {}, { __provider: provider, workspace: "acme", project: "web", pipelineId: 2 });

            assert.deepEqual(result.failures, [{
                property: "",
                reason: "buddy: no token; pass token, run `pulumi config set --secret cache-purge:buddyToken <value>`, or set BUDDY_TOKEN",
            }]);
        } finally {
            await bare.stop();
        }
    });
});

/** The engine's Log service alone: where the provider host sends progress during a purge. */
async function startEngineLog(): Promise<{ address: string; log: string[]; stop: () => void }> {
    const log: string[] = [];
    const server = new grpc.Server();
    server.addService(engineRpc.EngineService, {
        log: (call: { request: InstanceType<typeof engineProto.LogRequest> }, cb: (e: Error | null, v: unknown) => void) => {
            log.push(call.request.getMessage());
            cb(null, new emptyProto.Empty());
        },
    } as never);
    const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(),
        (error, p) => (error ? reject(error) : resolve(p))));
    return { address: `127.0.0.1:${port}`, log, stop: () => server.forceShutdown() };
}
