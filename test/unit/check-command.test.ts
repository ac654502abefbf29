import assert from "node:assert/strict";
import { checkStack } from "../../src/cli/check";
import { CodemagicEmulator, FlextypeEmulator, ImageKitEmulator, MicroStrategyEmulator } from "../../src/testing";

const CM_TOKEN = "cm-token-CANARY-3f1c";
const APP = "60ddd0b747960e00124747cb";
const IK_KEY = "private_CANARY-right-key";
const IK_WRONG = "private_CANARY-wrong-key";
const MSTR_PASSWORD = "mstr-CANARY-pass";
const FT_ACCESS = "ft-access-CANARY-77";
const SIG = "4dabf18193072939515e22adb298388d";

/** A secret as `pulumi stack export --show-secrets` prints it. */
const secret = (value: string) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(value) });
const resource = (type: string, name: string, inputs: Record<string, unknown>) => ({
    urn: `urn:pulumi:dev::site::pulumi-nodejs:dynamic/${type}::${name}`, type: `pulumi-nodejs:dynamic/${type}`, inputs: { ...inputs, purgePlan: "purge cache (created)" },
});

describe("npx pulumi-cache-purge check", () => {
    let codemagic: CodemagicEmulator;
    let imagekit: ImageKitEmulator;
    let mstr: MicroStrategyEmulator;
    let flextype: FlextypeEmulator;

    beforeEach(async () => {
        codemagic = await new CodemagicEmulator().start();
        codemagic.addToken(CM_TOKEN);
        codemagic.addApp(APP, [{ _id: "620f9e948ab90da6b1b2217d", workflowId: "build-ipa", size: 10 }]);
        imagekit = await new ImageKitEmulator({ privateKey: IK_KEY }).start();
        mstr = await new MicroStrategyEmulator({ users: { admin: MSTR_PASSWORD } }).start();
        flextype = await new FlextypeEmulator({ "0123456789abcdef0123456789abcdef": { accessToken: FT_ACCESS } }).start();
        process.env.IMAGEKIT_PRIVATE_KEY = IK_WRONG;
    });

    afterEach(async () => {
        delete process.env.IMAGEKIT_PRIVATE_KEY;
        await Promise.all([codemagic.stop(), imagekit.stop(), mstr.stop(), flextype.stop()]);
    });

    it("reads each account once, says where each credential came from and whether the service accepted it, and purges nothing", async () => {
        const state = { deployment: { resources: [
            resource("codemagic:CachePurge", "ios", { baseUrl: codemagic.baseUrl, appId: APP, workflows: { "build-ipa": "h1" } }),
            resource("codemagic:CachePurge", "ios-again", { baseUrl: codemagic.baseUrl, appId: APP, workflows: { "build-ipa": "h2" } }),
            resource("imagekit:UrlPurge", "images", { baseUrl: imagekit.baseUrl, urls: ["https://ik.imagekit.io/acme/a.jpg"] }),
            resource("microstrategy:CachePurge", "bi", { baseUrl: mstr.baseUrl, project: { name: "MicroStrategy Tutorial" }, username: "admin" }),
            resource("flextype:CachePurge", "cms", { baseUrl: flextype.baseUrl, token: "0123456789abcdef0123456789abcdef", accessToken: secret(FT_ACCESS) }),
        ] } };
        const config = {
            "cache-purge:codemagicToken": { value: CM_TOKEN, secret: true },
            "cache-purge:microstrategyPassword": { value: MSTR_PASSWORD, secret: true },
            "site:other": { value: "x" },
        };
        const lines: string[] = [];

        const code = await checkStack(state, config, (line) => lines.push(line));

        assert.deepEqual(lines, [
            "codemagic (ios, ios-again): API token from stack config cache-purge:codemagicToken: accepted: listed 1 cache(s) of app 60ddd0b747960e00124747cb with 1 request(s)",
            "imagekit (images): private key from environment variable IMAGEKIT_PRIVATE_KEY: refused: "
                + `imagekit: GET ${imagekit.baseUrl}/v1/files?limit=1 returned 403 Forbidden: "Your account cannot be authenticated."; `
                + "check the private key (from environment variable IMAGEKIT_PRIVATE_KEY): it must be the account's private key (private_…, not the public one), "
                + "not expired, and the account active; copy it again from ImageKit's dashboard > Developer options",
            "microstrategy (bi): user name from the username input, password from stack config cache-purge:microstrategyPassword: accepted: listed 0 project(s) the user can see with 3 request(s)",
            "flextype (cms): token from the token input, access token from the accessToken input: unverified: "
                + "Flextype checks the token and access token only in its cache API, which clears the cache: they are not verified",
            "4 account(s) checked, 1 refused; nothing was purged",
        ]);
        assert.equal(code, 1);
        assert.deepEqual(codemagic.requests.map((r) => r.method), ["GET"]);
        assert.equal(imagekit.purges.length + flextype.requests.length, 0);
        assert.equal(mstr.logins, mstr.logouts);
        for (const canary of [CM_TOKEN, IK_KEY, IK_WRONG, MSTR_PASSWORD, FT_ACCESS]) {
            assert.ok(!lines.join("\n").includes(canary), `${canary} is shown`);
        }
    });

    it("says a missing credential the way preview does, and that a stack with no purge resource has nothing to check", async () => {
        const state = { deployment: { resources: [resource("codemagic:CachePurge", "ios", { baseUrl: codemagic.baseUrl, appId: APP })] } };
        const lines: string[] = [];
        const empty: string[] = [];

        const code = await checkStack(state, {}, (line) => lines.push(line));
        await checkStack({ deployment: { resources: [] } }, {}, (line) => empty.push(line));

        assert.equal(code, 1);
        assert.equal(lines[0], "codemagic (ios): refused: codemagic: no API token; pass token, run `pulumi config set --secret cache-purge:codemagicToken <value>`, or set CODEMAGIC_TOKEN");
        assert.equal(codemagic.requests.length, 0);
        assert.deepEqual(empty, ["no purge resources found: check reads what `pulumi up` deployed; before the first up, run check --preview"]);
    });

    it("escapes the control characters of a refusal's quoted words, so the service cannot drive the terminal", async () => {
        mstr.inject({ status: 401, body: JSON.stringify({ code: "ERR003", message: "\u001b[31mLogin failed\u0007 \u009b2J", ticketId: "1" }) });
        const state = { deployment: { resources: [resource("microstrategy:CachePurge", "bi", { baseUrl: mstr.baseUrl, project: { id: "B7CA92F04B9FAE8D941C3E9B7E0CD754" }, username: "admin" })] } };
        const lines: string[] = [];

        await checkStack(state, { "cache-purge:microstrategyPassword": { value: MSTR_PASSWORD, secret: true } }, (line) => lines.push(line));

        assert.equal(lines[0], "microstrategy (bi): user name from the username input, password from stack config cache-purge:microstrategyPassword: refused: "
            + `microstrategy: POST ${mstr.baseUrl}/api/auth/login returned 401 Unauthorized: "ERR003 \\u001b[31mLogin failed\\u0007 \\u009b2J (ticketId 1)"; `
            + "check username (from the username input), password (from stack config cache-purge:microstrategyPassword) and loginMode");
    });
});
