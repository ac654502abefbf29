import assert from "node:assert/strict";
import { FlextypeEmulator } from "../../src/services/flextype/emulator";
import { flextypeService } from "../../src/services/flextype/service";
import { frontDoor } from "../../src/testing/emulator";
import { FAST, up } from "./provider-run";

const TOKEN = "0123456789abcdef0123456789abcdef";
const ACCESS = "flextype-access-canary-5e1a";

describe("flextype against its emulator", () => {
    let emulator: FlextypeEmulator;

    beforeEach(async () => {
        emulator = await new FlextypeEmulator({ [TOKEN]: { accessToken: ACCESS } }).start();
    });

    afterEach(() => emulator.stop());

    function purge(extra: Record<string, unknown> = {}) {
        return up(flextypeService, { baseUrl: emulator.baseUrl, token: TOKEN, accessToken: ACCESS, ...FAST, ...extra });
    }

    it("records a clear only for 204 with an empty body", async () => {
        const run = await purge();

        assert.equal(run.error, undefined);
        assert.equal(emulator.clears, 1);
        assert.equal((run.outs?.receipt as { completion: string }).completion, "synchronous");
    });

    it("says a 403 is not Flextype's and names where each credential came from, when baseUrl reaches another service", async () => {
        emulator.inject({ status: 403, body: JSON.stringify({ message: "Your account cannot be authenticated.", help: "For support kindly contact us at support@imagekit.io ." }) });
        process.env.FLEXTYPE_TOKEN = TOKEN;

        const run = await up(flextypeService, { baseUrl: emulator.baseUrl, accessToken: ACCESS, ...FAST }).finally(() => delete process.env.FLEXTYPE_TOKEN);

        assert.equal(run.error?.message, `flextype: POST ${emulator.baseUrl}/api/v1/cache/clear returned 403 Forbidden: "Your account cannot be authenticated."; `
            + "Flextype's cache API never answers 403: check that baseUrl is the Flextype site root (plus its base_path), under which /api/v1/cache/clear lives, "
            + "not another service; then check the token (from environment variable FLEXTYPE_TOKEN) and the access token (from the accessToken input)");
        assert.ok(!run.error.message.includes(TOKEN) && !run.error.message.includes(ACCESS));
    });

    it("fails a 200 carrying PHP's fatal error (wrong base path, display_errors on), quoting its first line", async () => {
        emulator.displayErrors = true;

        const run = await purge({ baseUrl: `${emulator.baseUrl}/blog` });

        assert.equal(run.error?.message, `flextype: POST ${emulator.baseUrl}/blog/api/v1/cache/clear returned 200 OK (text/html) instead of 204 with an empty body: `
            + "\"Fatal error: Uncaught Slim\\\\Exception\\\\HttpNotFoundException: Not found. in /var/www/html/vendor/slim/slim/Slim/Middleware/RoutingMiddleware.php:91\"; "
            + "PHP failed before Flextype's API answered: check that baseUrl is the site root (plus its base_path) and that the site runs Flextype 1.0.0-alpha.1 or later, which has /api/v1/cache/clear");
        assert.equal(emulator.requests.length, 1);
        assert.equal(emulator.clears, 0);
    });

    it("fails a 200 login page from an SSO gateway in front of the site", async () => {
        emulator.inject(frontDoor.ssoLoginPage());

        const run = await purge();

        assert.equal(run.error?.message, `flextype: POST ${emulator.baseUrl}/api/v1/cache/clear returned 200 OK (text/html) instead of 204 with an empty body: `
            + "\"Sign in - Corporate SSO\"; check that baseUrl points at the Flextype site itself, not a login page or proxy in front of it");
    });

    it("does not retry a 500, since every attempt spends one of the token's limit_calls", async () => {
        const run = await purge({ baseUrl: `${emulator.baseUrl}/blog` });

        assert.equal(emulator.requests.length, 1);
        assert.equal(run.error?.message, `flextype: POST ${emulator.baseUrl}/blog/api/v1/cache/clear returned 500 Internal Server Error; `
            + "Flextype answers a bare 500 to a path it has no route for: check that baseUrl is the Flextype site root (plus its base_path), "
            + "under which /api/v1/cache/clear lives; not retried, as each attempt may spend one of the token's limit_calls");
    });

    it("retries a proxy's HTML 502 and 503 (the request never reached Flextype) and quotes the page's title when they persist", async () => {
        emulator.inject([frontDoor.proxyError(502), frontDoor.proxyError(503), frontDoor.proxyError(503)]);

        const run = await purge();

        assert.equal(emulator.requests.length, 3);
        assert.equal(run.error?.message, `flextype: POST ${emulator.baseUrl}/api/v1/cache/clear returned 503 Service Unavailable after 3 attempts: "503 Service Temporarily Unavailable"`);
    });

    it("does not retry a proxy's 504: Flextype may have counted and cleared already", async () => {
        emulator.inject(frontDoor.proxyError(504));

        const run = await purge();

        assert.equal(emulator.requests.length, 1);
        assert.match(run.error?.message ?? "", /returned 504 Gateway Timeout: "504 Gateway Time-out"$/);
    });

    it("names the redirect it did not follow", async () => {
        emulator.inject(frontDoor.redirectToHttps());

        const run = await purge();

        const https = `https://127.0.0.1:${new URL(emulator.baseUrl).port}/api/v1/cache/clear`;
        assert.equal(run.error?.message, `flextype: POST ${emulator.baseUrl}/api/v1/cache/clear returned 301 Moved Permanently: `
            + `"a redirect to ${https}; redirects are not followed, so they cannot carry credentials elsewhere: set baseUrl to where it leads"`);
    });

    it("models limit_calls compared with !== 0: a token created with limit_calls=0 answers 400, and the message lists that cause", async () => {
        emulator.tokens.set(TOKEN, { accessToken: ACCESS, state: "enabled", limitCalls: "0", calls: 0 });

        const run = await purge();

        assert.equal(emulator.clears, 0);
        assert.equal(emulator.requests.length, 1);
        assert.equal(run.error?.message, `flextype: POST ${emulator.baseUrl}/api/v1/cache/clear returned 400 Bad Request: "Validation for this particular item failed"; `
            + "Flextype answers 400 when the token (from the token input) is disabled, its limit_calls is used up (a token created with limit_calls=0 on the command line "
            + "counts as a limit of 0 and is refused every call), or api.cache.enabled is false");
    });

    it("treats the number 0 as unlimited and spends a call per clear", async () => {
        emulator.tokens.set(TOKEN, { accessToken: ACCESS, state: "enabled", limitCalls: 0, calls: 41 });

        const run = await purge();

        assert.equal(run.error, undefined);
        assert.equal(emulator.tokens.get(TOKEN)?.calls, 42);
    });
});
