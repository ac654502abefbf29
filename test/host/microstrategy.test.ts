import assert from "node:assert/strict";
import { MicroStrategyEmulator } from "../../src/services/microstrategy/emulator";
import { CachePurge } from "../../src/services/microstrategy/resource";
import { ProviderError, ProviderHost } from "../harness/provider-host";
import type { Props } from "../harness/sdk";
import { serializedProvider } from "../harness/serialize";
import { linkPackageIntoNodeModules, REPO_ROOT } from "../harness/workspace";

const URN = "urn:pulumi:test::p::pulumi-nodejs:dynamic/microstrategy:CachePurge::bi";
const PASSWORD = "CANARY-mstr-host-password-4411";
const TUTORIAL = { id: "B7CA92F04B9FAE8D941C3E9B7E0CD754", name: "MicroStrategy Tutorial" };
const EDUCATION = { id: "CE52831411E696C8BD2F0080EFD5AF44", name: "Consolidated Education Project" };

describe("microstrategy through the provider host (gRPC, as the engine calls it)", function () {
    this.timeout(60_000);
    let host: ProviderHost;
    let emulator: MicroStrategyEmulator;
    let provider: string;

    before(async () => {
        linkPackageIntoNodeModules();
        provider = await serializedProvider(() => new CachePurge("bi", {
            baseUrl: "https://bi.example.com/MicroStrategyLibrary", project: { name: "x" }, password: PASSWORD,
        }));
        host = await ProviderHost.start({ cwd: REPO_ROOT });
        await host.configure({ "cache-purge:microstrategyUsername": "admin", "cache-purge:microstrategyPassword": PASSWORD });
    });

    after(() => host.stop());

    beforeEach(async () => {
        emulator = await new MicroStrategyEmulator({ users: { admin: PASSWORD }, projects: [TUTORIAL, EDUCATION] }).start();
        emulator.requireCookie = true;
    });

    afterEach(() => emulator.stop());

    async function checked(inputs: Props, olds: Props = {}): Promise<Props> {
        const result = await host.check(URN, olds, { ...inputs, __provider: provider });
        assert.deepEqual(result.failures, []);
        return result.inputs;
    }

    it("serializes to a provider under 2,500 bytes that names the microstrategy subpath and holds no credential", () => {
        assert.ok(provider.length <= 2_500, `__provider is ${provider.length} bytes`);
        assert.ok(!provider.includes(PASSWORD));
        assert.match(provider, /"pulumi-cache-purge\/provider\/microstrategy"/);
    });

    it("creates by logging in from stack config, purging both caches with token and cookies, and logging out once", async () => {
        const inputs = await checked({ baseUrl: `${emulator.baseUrl}/api`, project: { name: TUTORIAL.name } });

        const created = await host.create(URN, inputs);

        assert.equal(inputs.baseUrl, emulator.baseUrl);
        assert.deepEqual(emulator.purges.map((p) => [p.projectId, p.cacheType, p.pathVariant]), [
            [TUTORIAL.id, "element", "caches"], [TUTORIAL.id, "object", "caches"],
        ]);
        assert.equal(emulator.logins, 1);
        assert.equal(emulator.logouts, 1);
        for (const request of emulator.requests.slice(1)) {
            assert.match(request.headers.cookie ?? "", /^JSESSIONID=[0-9A-F]{32}; iSession=/);
            assert.ok(request.headers["x-mstr-authtoken"]);
        }
        const receipt = created.outputs.receipt as Props;
        assert.equal(receipt.targets, "all");
        assert.equal(receipt.count, 2);
        assert.deepEqual(receipt.details, {
            projectId: TUTORIAL.id, projectName: TUTORIAL.name, pathVariant: "caches", failedTicketIds: [],
            purge: "triggered: MicroStrategy answered 204, which says the purge was started, not that it finished", relogins: 0,
        });
        assert.equal(receipt.completion, "accepted");
        assert.equal(receipt.requests, 5);
    });

    it("plans and purges only the object cache when only its trigger changed, with no request before update", async () => {
        const inputs = await checked({ baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id }, cacheTypes: { element: "e-1", object: "o-1" } });
        const created = await host.create(URN, inputs);
        const before = emulator.requests.length;

        const news = await checked({ baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id }, cacheTypes: { element: "e-1", object: "o-2" } }, inputs);
        const diff = await host.diff(URN, created.id, created.outputs, news);
        const requestsBeforeUpdate = emulator.requests.length - before;
        const outputs = await host.update(URN, created.id, created.outputs, news);

        assert.equal(news.purgePlan, `purge 1 of 2 targets: object (trigger: o-1 -> o-2); 1 request: `
            + `DELETE ${emulator.baseUrl}/api/monitors/projects/${TUTORIAL.id}/caches/object`);
        assert.equal(diff.changes, "some");
        assert.equal(requestsBeforeUpdate, 0);
        assert.deepEqual(emulator.purges.map((p) => p.cacheType), ["element", "object", "object"]);
        assert.deepEqual((outputs.receipt as Props).targets, ["object"]);
        assert.equal(emulator.logouts, 2);
    });

    it("purges through /cache/ on a server that only knows it, and records the variant", async () => {
        emulator.onlyOldPath = true;
        const inputs = await checked({ baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id }, cacheTypes: ["object"] });

        const created = await host.create(URN, inputs);

        assert.deepEqual(emulator.purges.map((p) => [p.cacheType, p.pathVariant]), [["object", "cache"]]);
        assert.equal(((created.outputs.receipt as Props).details as Props).pathVariant, "cache");
    });

    it("fails an unknown project name listing the names found, and logs out exactly once", async () => {
        const inputs = await checked({ baseUrl: emulator.baseUrl, project: { name: "Tutorial" } });

        const error = await host.create(URN, inputs).then(() => undefined, (e: ProviderError) => e);

        assert.equal(error?.message, `microstrategy: no project named "Tutorial" on ${emulator.baseUrl}; `
            + `projects found: "MicroStrategy Tutorial", "Consolidated Education Project"`);
        assert.equal(emulator.logouts, 1);
        assert.equal(emulator.purges.length, 0);
    });

    it("fails the purge on a missing privilege with the server's words, logs out once, and never shows the password", async () => {
        emulator.unprivileged.add("admin");
        const inputs = await checked({ baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id }, cacheTypes: ["element"] });

        const error = await host.create(URN, inputs).then(() => undefined, (e: ProviderError) => e);

        assert.match(error?.message ?? "", /caches\/element returned 403 Forbidden: "ERR014 You do not have Cache Administration privilege\(s\) to perform the task\. \(ticketId [0-9a-f]{32}, iServerCode -2147213784\)"; the user needs the Cache Administration privilege/);
        assert.ok(!(error?.message ?? "").includes(PASSWORD));
        assert.equal(emulator.requestsTo("POST", /\/api\/auth\/logout$/).length, 1);
    });

    it("refuses bad inputs in check, naming each field", async () => {
        const result = await host.check(URN, {}, {
            baseUrl: "http://bi.example.com/MicroStrategyLibrary", project: { id: "not-a-guid", name: "Tutorial" }, cacheTypes: ["cache"],
            __provider: provider,
        });

        assert.deepEqual(result.failures.map((f) => f.reason.split(/[:[. ]/)[0]), ["baseUrl", "project", "project", "cacheTypes"]);
        assert.deepEqual(result.failures.map((f) => f.reason.split(":")[0]), ["baseUrl", "project", "project.id", "cacheTypes[0]"]);
        assert.equal(result.failures[3].reason, `cacheTypes[0]: expected "element" or "object", got "cache"`);
        assert.equal(emulator.requests.length, 0);
    });
});

describe("microstrategy API-token login through the provider host", function () {
    this.timeout(60_000);
    const API_TOKEN = "CANARY-mstr-host-api-token-5120";
    let host: ProviderHost;
    let emulator: MicroStrategyEmulator;

    before(async () => {
        linkPackageIntoNodeModules();
        host = await ProviderHost.start({ cwd: REPO_ROOT });
        await host.configure({ "cache-purge:microstrategyApiToken": API_TOKEN });
        emulator = await new MicroStrategyEmulator({ apiTokens: { [API_TOKEN]: "svc-cache" }, projects: [TUTORIAL] }).start();
    });

    after(async () => {
        await emulator.stop();
        await host.stop();
    });

    it("logs in with the token from stack config cache-purge:microstrategyApiToken, as mstrio-py sends it, and keeps it out of the outputs", async () => {
        const provider = await serializedProvider(() => new CachePurge("bi", { baseUrl: "https://bi.example.com/MicroStrategyLibrary", project: { id: TUTORIAL.id } }));
        const checked = await host.check(URN, {}, { baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id }, cacheTypes: ["object"], __provider: provider });

        const created = await host.create(URN, checked.inputs);

        assert.deepEqual(JSON.parse(emulator.requests[0].body), { loginMode: 4096, username: API_TOKEN });
        assert.deepEqual(emulator.purges.map((p) => [p.cacheType, p.username]), [["object", "svc-cache"]]);
        assert.equal((created.outputs.receipt as Props).completion, "accepted");
        assert.ok(!JSON.stringify(created.outputs).includes(API_TOKEN));
    });
});
