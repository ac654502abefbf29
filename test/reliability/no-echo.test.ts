import assert from "node:assert/strict";
import type { PurgeService } from "../../src/core/service";
import { BuddyEmulator } from "../../src/services/buddy/emulator";
import { buddyService } from "../../src/services/buddy/service";
import { CodemagicEmulator } from "../../src/services/codemagic/emulator";
import { codemagicService } from "../../src/services/codemagic/service";
import { flextypeService } from "../../src/services/flextype/service";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { imagekitService } from "../../src/services/imagekit/service";
import { MicroStrategyEmulator } from "../../src/services/microstrategy/emulator";
import { microstrategyService } from "../../src/services/microstrategy/service";
import { up } from "./provider-driver";

/**
 * Nothing secret echoed (issue 13, items 2 to 4): check failures never quote a URL's user name,
 * password, query or fragment; every form a server may echo a secret in is redacted, before any cut;
 * receipts are redacted; credentials that cannot be sent are refused in check without their value.
 */

const APP = "60ddd0b747960e00124747cb";
const PROJECT = { id: "B7CA92F04B9FAE8D941C3E9B7E0CD754", name: "MicroStrategy Tutorial" };
const IK = "https://ik.imagekit.io/acme";
const flextype = flextypeService as unknown as PurgeService;
const microstrategy = microstrategyService as unknown as PurgeService;
const imagekit = imagekitService as unknown as PurgeService;
const buddy = buddyService as unknown as PurgeService;
const codemagic = codemagicService as unknown as PurgeService;

const reasons = (r: { failures: readonly { reason: string }[] }) => r.failures.map((f) => f.reason);

describe("check failures quote no credential a URL carries", () => {
    const PASSWORD = "S3cretPassw0rd";

    for (const [label, baseUrl, expected] of [
        ["a user and password", `http://user:${PASSWORD}@example.com`, "baseUrl: credentials do not belong in the URL; pass them as inputs, got a URL with a user name"],
        ["an ftp URL with a password", `ftp://user:${PASSWORD}@example.com`, "baseUrl: credentials do not belong in the URL; pass them as inputs, got a URL with a user name"],
        ["a password and a bad port", `https://user:${PASSWORD}@example.com:99999`, "baseUrl: credentials do not belong in the URL; pass them as inputs, got a URL with a user name"],
        ["a token in the query", `https://example.com/cms?token=${PASSWORD}`, 'baseUrl: expected a URL without ?query or #fragment, got "https://example.com/cms?…"'],
        ["a token in the fragment", `https://example.com/#access_token=${PASSWORD}`, 'baseUrl: expected a URL without ?query or #fragment, got "https://example.com/#…"'],
        ["a query and a bad port", `https://example.com:99999/x?token=${PASSWORD}`, 'baseUrl: expected an absolute URL such as https://example.com, got "https://example.com:99999/x?…"'],
    ] as const) {
        it(`names the problem of a base URL with ${label} without quoting it`, async () => {
            const result = await up(flextype, { baseUrl, token: "tok-echo-1", accessToken: "acc-echo-1" });

            assert.deepEqual(reasons(result), [expected]);
        });
    }

    it("does the same for MicroStrategy, before and after it cuts /api off the URL", async () => {
        const withPassword = await up(microstrategy, { baseUrl: `https://admin:${PASSWORD}@mstr.example.com/Library/api`, project: { id: PROJECT.id }, username: "admin", password: "pw-echo-1" });
        const withQuery = await up(microstrategy, { baseUrl: `https://mstr.example.com/Library?token=${PASSWORD}`, project: { id: PROJECT.id }, username: "admin", password: "pw-echo-1" });

        assert.deepEqual([...reasons(withPassword), ...reasons(withQuery)], [
            "baseUrl: credentials do not belong in the URL; pass them as inputs, got a URL with a user name",
            'baseUrl: expected a URL without ?query or #fragment, got "https://mstr.example.com/Library?…"',
        ]);
    });

    it("refuses an ImageKit URL with a user name and password, and quotes no query of a refused one", async () => {
        const result = await up(imagekit, { urls: [`https://user:${PASSWORD}@ik.imagekit.io/acme/a.jpg`, `${IK}/a*b?sig=${PASSWORD}`], privateKey: "private_ik_echo" });

        assert.deepEqual(reasons(result), [
            "urls[0]: credentials do not belong in the URL; pass them as inputs, got a URL with a user name",
            `urls[1]: a wildcard * is allowed only as the last character, got "${IK}/a*b?…"`,
        ]);
        assert.ok(!JSON.stringify(result).includes(PASSWORD));
    });
});

describe("redaction: every form a server may echo a secret in", function () {
    this.timeout(30_000);
    const stops: Array<() => Promise<void>> = [];

    afterEach(async () => {
        await Promise.all(stops.splice(0).map((stop) => stop()));
    });

    async function mstr(password: string): Promise<MicroStrategyEmulator> {
        const emulator = await new MicroStrategyEmulator({ users: { admin: password }, projects: [PROJECT] }).start();
        stops.push(() => emulator.stop());
        return emulator;
    }

    const login401 = (message: string) => ({ status: 401, body: JSON.stringify({ code: "ERR003", message, ticketId: "1" }) });

    for (const [label, password, echo] of [
        ["form-encoded", "Winter 2024!", "rejected body password=Winter+2024%21&username=admin"],
        ["form-encoded with lower-case %xx", "Winter/2024!", "rejected body password=Winter%2f2024%21"],
        ["JSON-escaped", 'ab"cd\\ef', 'rejected {"password":"ab\\"cd\\\\ef"}'],
        ["URL-encoded with lower-case %xx", "p/ss:w0rd?", "rejected password=p%2fss%3aw0rd%3f"],
        ["shorter than 4 characters", "pw1", "rejected password pw1 for admin"],
        // Issue 23: a login page's <title>, numeric entities, and the start a vendor leaves beside its mask.
        ["HTML-escaped in a page title", "Pa&ss<w0rd>", "<title>Login failed: password Pa&amp;ss&lt;w0rd&gt;</title>"],
        ["with decimal and hex entities", "Pa&ss<w0rd>", "rejected password Pa&#38;ss&#x3C;w0rd&#62;"],
        ["masked by the vendor", "s3cr3t-Password", "rejected password s3cr3t-Pas****"],
    ] as const) {
        it(`hides a password echoed ${label}`, async () => {
            const emulator = await mstr(password);
            emulator.inject(login401(echo));

            const result = await up(microstrategy, { baseUrl: emulator.baseUrl, project: { id: PROJECT.id }, username: "admin", password, maxRetries: 0 });

            assert.match(result.error ?? "", /^microstrategy: POST \S+ returned 401/);
            assert.ok(result.error?.includes("[secret]"), result.error);
            assert.ok(!result.error?.includes(echo.split(/password[=:" ]+"?/i)[1] ?? "never"), result.error);
        });
    }

    it("redacts before it cuts: a token at the cut shows as [secret], never as its first characters", async () => {
        const token = "TOKEN-9f3e2d1c0b";
        const emulator = await new CodemagicEmulator().addToken(token).start();
        stops.push(() => emulator.stop());
        emulator.addApp(APP, []);
        emulator.inject({ status: 403, body: `${"x".repeat(190)} auth=${token} and more after it` });

        const result = await up(codemagic, { baseUrl: emulator.baseUrl, appId: APP, token, maxRetries: 0 });

        assert.ok(!result.error?.includes("TOKEN-9"), result.error);
        assert.ok(result.error?.includes("auth=[sec"), result.error);
    });

    it("hides one cookie value of a cookies credential quoted alone", async () => {
        const emulator = await mstr("pw-unused-1");
        const session = emulator.openSession("admin");
        const jsessionid = session.cookies.split(";")[0].split("=")[1];
        emulator.inject({ status: 401, body: JSON.stringify({ code: "ERR009", message: `session JSESSIONID=${jsessionid} has expired`, ticketId: "2" }) });

        const result = await up(microstrategy, { baseUrl: emulator.baseUrl, project: { id: PROJECT.id }, authToken: session.token, cookies: session.cookies, maxRetries: 0 });

        assert.ok(result.error?.includes("JSESSIONID=[secret]"), result.error);
        assert.ok(!result.error?.includes(jsessionid), result.error);
    });

    it("redacts the receipt: a pipeline name and a request id that quote the credential", async () => {
        const buddyToken = "bd-secret-token-777";
        const buddyEmulator = await new BuddyEmulator({
            pathPrefix: "/api",
            workspaces: { acme: { projects: { web: [{ id: 2, name: `pipeline of Bearer ${buddyToken}` }] } } },
            tokens: { [buddyToken]: { scopes: ["EXECUTION_MANAGE"] } },
        }).start();
        stops.push(() => buddyEmulator.stop());
        const privateKey = "private_ik_secret_888";
        const ikEmulator = await new ImageKitEmulator({ privateKey }).start();
        stops.push(() => ikEmulator.stop());
        ikEmulator.inject({ status: 201, body: JSON.stringify({ requestId: `req-${privateKey}:` }) }, (r) => r.method === "POST");

        const buddyUp = await up(buddy, { baseUrl: buddyEmulator.baseUrl, workspace: "acme", project: "web", pipelineId: 2, token: buddyToken });
        const ikUp = await up(imagekit, { baseUrl: ikEmulator.baseUrl, urls: [`${IK}/a.jpg`], privateKey });

        assert.equal(buddyUp.error, undefined);
        assert.equal(ikUp.error, undefined);
        assert.ok(!JSON.stringify(buddyUp.outs?.receipt).includes(buddyToken), JSON.stringify(buddyUp.outs?.receipt));
        assert.equal((ikUp.outs?.receipt as { details: { requestIds: unknown } }).details.requestIds, JSON.stringify(["req-[secret]:"]));
    });
});

describe("credentials that cannot be sent are refused in check, by name", () => {
    for (const [label, inputs, expected] of [
        ["an auth token with CR/LF", { authToken: "tok\r\nX-Injected: 1", cookies: "JSESSIONID=1" }, "authToken: must not contain a line break (CR or LF); copy the value again without the end of line (from the authToken input)"],
        ["cookies with a line feed", { authToken: "tok-ok-1", cookies: "JSESSIONID=1\n" }, "cookies: must not contain a line break (CR or LF); copy the value again without the end of line (from the cookies input)"],
        ["an auth token with non-Latin-1 text", { authToken: "tök€n", cookies: "JSESSIONID=1" }, "authToken: must contain only Latin-1 characters, since it is sent in an HTTP header; copy the value again (from the authToken input)"],
        ["a password with half a surrogate pair", { username: "admin", password: "pa\uD800ss" }, "password: must be valid Unicode text (it holds half of a surrogate pair); copy the value again (from the password input)"],
    ] as const) {
        it(`refuses ${label} without quoting it`, async () => {
            const result = await up(microstrategy, { baseUrl: "https://mstr.example.com/Library", project: { id: PROJECT.id }, ...inputs });

            assert.deepEqual(reasons(result), [expected]);
        });
    }

    it("accepts a password in any Unicode text, since it travels in a body", async () => {
        const result = await up(microstrategy, { baseUrl: "https://mstr.example.com/Library", project: { id: PROJECT.id }, username: "admin", password: "pässwörd-€-😀" });

        assert.deepEqual(result.failures, []);
    });
});
