import assert from "node:assert/strict";
import { CachePurge } from "../../src/services/microstrategy/resource";
import { ProviderHost } from "../harness/provider-host";
import { serializedProvider } from "../harness/serialize";
import { linkPackageIntoNodeModules, REPO_ROOT } from "../harness/workspace";

const URN = "urn:pulumi:test::p::pulumi-nodejs:dynamic/microstrategy:CachePurge::bi";
const INPUTS = { baseUrl: "https://bi.example.com/MicroStrategyLibrary", project: { name: "MicroStrategy Tutorial" } };
const HOW = "either pass apiToken, run `pulumi config set --secret cache-purge:microstrategyApiToken <token>`, or set MSTR_API_TOKEN; "
    + "or pass username and password, run `pulumi config set cache-purge:microstrategyUsername <name>` "
    + "and `pulumi config set --secret cache-purge:microstrategyPassword <password>`, or set MSTR_USERNAME and MSTR_PASSWORD; "
    + "or pass authToken (and cookies) of an open session, run `pulumi config set --secret cache-purge:microstrategyAuthToken <token>`, "
    + "or set MSTR_AUTH_TOKEN";

/** Preview runs only `check`: a MicroStrategy resource that cannot authenticate must fail there, as every other service does. */
describe("microstrategy credentials in preview (check, with a stack config that holds none)", function () {
    this.timeout(60_000);
    let host: ProviderHost;
    let provider: string;

    before(async () => {
        linkPackageIntoNodeModules();
        provider = await serializedProvider(() => new CachePurge("bi", INPUTS));
        host = await ProviderHost.start({ cwd: REPO_ROOT });
        await host.configure({});
    });

    after(() => host.stop());

    it("fails check when no credential is set anywhere, saying both ways to set one", async () => {
        const result = await host.check(URN, {}, { ...INPUTS, __provider: provider });

        assert.deepEqual(result.failures, [{ property: "", reason: `microstrategy: no credentials; ${HOW}` }]);
    });

    it("fails check for a user name without a password", async () => {
        const result = await host.check(URN, {}, { ...INPUTS, username: "admin", __provider: provider });

        assert.deepEqual(result.failures, [{ property: "", reason: `microstrategy: a user name but no password; ${HOW}` }]);
    });

    it("passes check with a user name and a password", async () => {
        const result = await host.check(URN, {}, { ...INPUTS, username: "admin", password: "pw", __provider: provider });

        assert.deepEqual(result.failures, []);
    });
});
