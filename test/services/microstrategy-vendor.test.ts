import assert from "node:assert/strict";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import { MicroStrategyEmulator, STICKY_COOKIE } from "../../src/services/microstrategy/emulator";
import { microstrategyService } from "../../src/services/microstrategy/service";
import { frontDoor } from "../../src/testing/emulator";
import { FAST, up } from "./provider-run";

const TUTORIAL = { id: "B7CA92F04B9FAE8D941C3E9B7E0CD754", name: "MicroStrategy Tutorial" };
const PASSWORD = "mstr-vendor-password-2c9d";
const API_TOKEN = "mstr-api-token-canary-81f0";

/** Runs `work` with the environment variable `name` set to `value`, then puts back what was there. */
async function withEnv<T>(name: string, value: string, work: () => Promise<T>): Promise<T> {
    const saved = process.env[name];
    process.env[name] = value;
    try {
        return await work();
    } finally {
        if (saved === undefined) {
            delete process.env[name];
        } else {
            process.env[name] = saved;
        }
    }
}

interface Receipt {
    readonly completion: string;
    readonly requests: number;
    readonly details: Record<string, unknown>;
}

describe("microstrategy as Strategy and mstrio-py behave", () => {
    let emulator: MicroStrategyEmulator;

    beforeEach(async () => {
        emulator = await new MicroStrategyEmulator({ users: { admin: PASSWORD }, apiTokens: { [API_TOKEN]: "svc-cache" }, projects: [TUTORIAL] }).start();
    });

    afterEach(() => emulator.stop());

    function purge(credentials: Record<string, unknown>, extra: Record<string, unknown> = {}) {
        return up(microstrategyService, { baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id }, ...credentials, ...FAST, ...extra });
    }

    const PASSWORD_LOGIN = { username: "admin", password: PASSWORD };
    const paths = () => emulator.requests.map((r) => `${r.method} ${r.path.replace("/MicroStrategyLibrary/api", "")}`);

    it("logs in with an API token as mstrio-py does: JSON {loginMode: 4096, username: <token>} and no password", async () => {
        const run = await purge({ apiToken: API_TOKEN });

        assert.equal(run.error, undefined);
        const [loginRequest] = emulator.requests;
        assert.equal(loginRequest.headers["content-type"], "application/json");
        assert.deepEqual(JSON.parse(loginRequest.body), { loginMode: 4096, username: API_TOKEN });
        assert.deepEqual(emulator.purges.map((p) => [p.cacheType, p.username]), [["element", "svc-cache"], ["object", "svc-cache"]]);
        assert.equal(emulator.logouts, 1);
    });

    it("takes the API token from MSTR_API_TOKEN when no input sets it", async () => {
        const run = await withEnv("MSTR_API_TOKEN", API_TOKEN, () => purge({}, { cacheTypes: ["object"] }));

        assert.equal(run.error, undefined);
        assert.deepEqual(JSON.parse(emulator.requests[0].body), { loginMode: 4096, username: API_TOKEN });
        assert.ok(!run.log.join("\n").includes(API_TOKEN));
    });

    it("refuses the old spelling (the token in password with loginMode 4096) in check, saying where the token goes", async () => {
        const provider = createProviderImplementation(microstrategyService);

        const result = await provider.check({}, { baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id }, username: "admin", password: API_TOKEN, loginMode: 4096 });

        assert.deepEqual(result.failures, [{
            property: "loginMode",
            reason: "loginMode: 4096 is the API-token login; pass the token as apiToken (or run "
                + "`pulumi config set --secret cache-purge:microstrategyApiToken <token>`, or set MSTR_API_TOKEN) and leave loginMode out",
        }]);
        assert.equal(emulator.requests.length, 0);
    });

    it("takes the URL of the server's Swagger page as the server itself, instead of sending requests below it", async () => {
        const provider = createProviderImplementation(microstrategyService);

        const result = await provider.check({}, { baseUrl: "https://bi.example.com/MicroStrategyLibrary/api-docs/index.html", project: { id: TUTORIAL.id }, ...PASSWORD_LOGIN });

        assert.deepEqual(result.failures ?? [], []);
        assert.equal(result.inputs?.baseUrl, "https://bi.example.com/MicroStrategyLibrary");
    });

    it("keeps every cookie any answer sets for the whole session, so a load balancer's rotated sticky cookie is sent back", async () => {
        emulator.requireCookie = true;
        emulator.rotateStickyCookie = true;

        const run = await purge(PASSWORD_LOGIN);

        assert.equal(run.error, undefined);
        assert.deepEqual(paths(), ["POST /auth/login", `DELETE /monitors/projects/${TUTORIAL.id}/caches/element`,
            `DELETE /monitors/projects/${TUTORIAL.id}/caches/object`, "POST /auth/logout"]);
        const session = [...emulator.sessions.values()][0];
        const stickies = emulator.requests.slice(1).map((r) => new RegExp(`${STICKY_COOKIE}=(\\w+)`).exec(r.headers.cookie ?? "")?.[1]);
        assert.equal(new Set(stickies).size, 3, "each request carries the sticky value the answer before it set");
        assert.ok(emulator.requests.slice(1).every((r) => r.headers.cookie?.includes(`JSESSIONID=${session.jsessionid}`)));
        assert.equal(emulator.purges.length, 2);
    });

    it("hides a sticky cookie the load balancer rotated after the login when an error page echoes it", async () => {
        emulator.rotateStickyCookie = true;
        // A front door that echoes the request's Cookie header in its error body, as debugging pages do.
        let echoed = "";
        emulator.inject({
            status: 400,
            get body() {
                return JSON.stringify({ code: "ERR001", message: `bad request; cookie: ${echoed}` });
            },
        }, (r) => {
            echoed = r.headers.cookie ?? "";
            return r.method === "DELETE" && r.path.endsWith("/object");
        });

        const run = await purge(PASSWORD_LOGIN);

        // Set by the answer to the first DELETE, long after the login: not a value the client started with.
        const rotated = new RegExp(`${STICKY_COOKIE}=(\\w+)`).exec(echoed)?.[1];
        assert.ok(rotated !== undefined && rotated.length >= 12, `the object DELETE carried a rotated sticky cookie: ${echoed}`);
        assert.match(run.error?.message ?? "", /bad request; cookie: /);
        assert.ok(!run.error?.message.includes(rotated), run.error?.message);
        assert.ok(!run.log.join("\n").includes(rotated));
    });

    it("fails a 200 from an SSO gateway that let an authToken through, instead of calling it a purge", async () => {
        const session = emulator.openSession("admin");
        emulator.inject(frontDoor.ssoLoginPage(), (r) => r.method === "DELETE");

        const run = await purge({ authToken: session.token, cookies: session.cookies }, { cacheTypes: ["object"] });

        assert.equal(run.error?.message, `microstrategy: DELETE ${emulator.baseUrl}/api/monitors/projects/${TUTORIAL.id}/caches/object returned 200 OK (text/html) `
            + `instead of 204 No Content: "Sign in - Corporate SSO"; is baseUrl the Library server itself, and not an SSO gateway or proxy in front of it?`);
        assert.equal(emulator.purges.length, 0);
    });

    it("fails a login answered by an SSO gateway's page, quoting it", async () => {
        emulator.inject(frontDoor.ssoLoginPage());

        const run = await purge(PASSWORD_LOGIN);

        assert.equal(run.error?.message, `microstrategy: POST ${emulator.baseUrl}/api/auth/login returned 200 OK (text/html) instead of 204 with an X-MSTR-AuthToken header: `
            + `"Sign in - Corporate SSO"; is baseUrl the Library server (https://<host>/MicroStrategyLibrary), and not a login page or proxy in front of it?`);
    });

    it("never retries the login POST: a retried login could open a session nobody logs out", async () => {
        emulator.inject(frontDoor.proxyError(503), (r) => r.path.endsWith("/auth/login"));

        const run = await purge(PASSWORD_LOGIN);

        assert.deepEqual(paths(), ["POST /auth/login"]);
        assert.equal(run.error?.message, `microstrategy: POST ${emulator.baseUrl}/api/auth/login returned 503 Service Unavailable: "503 Service Temporarily Unavailable"`);
    });

    it("records the purge as triggered (accepted), as a 204 only says it started", async () => {
        const run = await purge(PASSWORD_LOGIN);

        const receipt = run.outs?.receipt as Receipt;
        assert.equal(receipt.completion, "accepted");
        assert.equal(receipt.details.purge, "triggered: MicroStrategy answered 204, which says the purge was started, not that it finished");
        assert.ok(run.log.includes(`microstrategy: the server accepted the purge of the object cache of project ${TUTORIAL.id} (2 of 2)`), run.log.join("\n"));
    });

    it("logs in once more when the session expires mid-run, and logs out both sessions", async () => {
        emulator.sessionLifetimeRequests = 1;

        const run = await purge(PASSWORD_LOGIN);

        assert.equal(run.error, undefined);
        assert.deepEqual(paths(), ["POST /auth/login", `DELETE /monitors/projects/${TUTORIAL.id}/caches/element`,
            `DELETE /monitors/projects/${TUTORIAL.id}/caches/object`, "POST /auth/login",
            `DELETE /monitors/projects/${TUTORIAL.id}/caches/object`, "POST /auth/logout", "POST /auth/logout"]);
        assert.deepEqual(emulator.purges.map((p) => p.cacheType), ["element", "object"]);
        assert.ok(run.log.includes("warning: microstrategy: the session expired during the purge; logging in again (once)"));
        assert.equal((run.outs?.receipt as Receipt).details.relogins, 1);
    });

    it("fails when the fresh session expires too, after exactly one more login", async () => {
        emulator.sessionLifetimeRequests = 0;

        const run = await purge(PASSWORD_LOGIN, { cacheTypes: ["element"] });

        assert.equal(emulator.logins, 2);
        assert.equal(emulator.purges.length, 0);
        assert.match(run.error?.message ?? "", new RegExp(`^microstrategy: DELETE \\S+/caches/element returned 401 Unauthorized: "ERR009 The user's session has expired, please reauthenticate \\(ticketId [0-9a-f]{32}\\)"; `
            + "the server ended the session this purge opened by logging in \\(its session timeout, or an administrator\\); "
            + `the session expired again right after a fresh login: check the server's session timeout$`));
    });

    it("does not log in on behalf of a user's own session that expired: the hint names where the token came from and every place to set another", async () => {
        const session = emulator.openSession("admin");
        emulator.sessions.get(session.token)!.open = false;

        const run = await purge({ authToken: session.token, cookies: session.cookies }, { cacheTypes: ["element"] });

        assert.equal(emulator.logins, 0);
        assert.match(run.error?.message ?? "", /returned 401 Unauthorized: "ERR009 [^"]*"; /);
        assert.equal(run.error?.message.replace(/^.*"; /, ""), "the session of the auth token (from the authToken input) is invalid or has expired, "
            + "or was sent without its cookies: pass a fresh authToken with the cookies of its session, "
            + "run `pulumi config set --secret cache-purge:microstrategyAuthToken <token>` and `pulumi config set --secret cache-purge:microstrategyCookies <cookies>`, "
            + "or set MSTR_AUTH_TOKEN and MSTR_COOKIES; or leave authToken unset and log in: "
            + "pass apiToken, run `pulumi config set --secret cache-purge:microstrategyApiToken <token>`, or set MSTR_API_TOKEN; "
            + "or pass username and password, run `pulumi config set cache-purge:microstrategyUsername <name>` and "
            + "`pulumi config set --secret cache-purge:microstrategyPassword <password>`, or set MSTR_USERNAME and MSTR_PASSWORD");
    });

    it("names the environment variable an expired session's token came from", async () => {
        const session = emulator.openSession("admin");
        emulator.sessions.get(session.token)!.open = false;

        const run = await withEnv("MSTR_AUTH_TOKEN", session.token, () => purge({ cookies: session.cookies }, { cacheTypes: ["element"] }));

        assert.match(run.error?.message ?? "", /"; the session of the auth token \(from environment variable MSTR_AUTH_TOKEN\) is invalid or has expired/);
        assert.ok(!(run.error?.message ?? "").includes(session.token));
    });

    it("names the API token's source when a login is refused with ERR003 under a status other than 401", async () => {
        emulator.inject({ status: 400, body: JSON.stringify({ code: "ERR003", message: "Login failed", ticketId: "7" }) }, (r) => r.path.endsWith("/auth/login"));

        const run = await purge({ apiToken: API_TOKEN }, { cacheTypes: ["element"] });

        assert.equal(run.error?.message, `microstrategy: POST ${emulator.baseUrl}/api/auth/login returned 400 Bad Request: "ERR003 Login failed (ticketId 7)"; `
            + "check the API token (from the apiToken input)");
    });

    it("escapes the control characters of the server's words in the error and in the log line that quote them", async () => {
        const words = "\u001b[31mproject locked\u0007 \u009b2J \u202etxt.exe";
        const body = JSON.stringify({ code: "ERR006", message: words, ticketId: "9" });
        emulator.inject({ status: 409, body }, (r) => r.method === "DELETE");
        emulator.inject({ status: 409, body }, (r) => r.path.endsWith("/auth/logout"));

        const run = await purge(PASSWORD_LOGIN, { cacheTypes: ["element"] });

        const escaped = "\\u001b[31mproject locked\\u0007 \\u009b2J \\u202etxt.exe";
        assert.equal(run.error?.message, `microstrategy: DELETE ${emulator.baseUrl}/api/monitors/projects/${TUTORIAL.id}/caches/element `
            + `returned 409 Conflict: "ERR006 ${escaped} (ticketId 9)"`);
        const warning = run.log.find((line) => line.startsWith("warning: microstrategy: logout failed"));
        assert.equal(warning, `warning: microstrategy: logout failed, the session ends when it times out: microstrategy: POST ${emulator.baseUrl}/api/auth/logout `
            + `returned 409 Conflict: "ERR006 ${escaped} (ticketId 9)"`);
        for (const text of [run.error?.message ?? "", ...run.log]) {
            assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f\u202e]/);
        }
    });

    it("retries a proxy's HTML 503 and then quotes its title", async () => {
        emulator.inject([frontDoor.proxyError(503), frontDoor.proxyError(503), frontDoor.proxyError(503)], (r) => r.method === "DELETE");

        const run = await purge(PASSWORD_LOGIN, { cacheTypes: ["element"] });

        assert.match(run.error?.message ?? "", /caches\/element returned 503 Service Unavailable after 3 attempts: "503 Service Temporarily Unavailable"$/);
        assert.equal(emulator.logouts, 1);
    });

    it("names a redirect (a trailing slash added) instead of following it", async () => {
        emulator.inject(frontDoor.redirectToTrailingSlash());

        const run = await purge(PASSWORD_LOGIN);

        assert.equal(run.error?.message, `microstrategy: POST ${emulator.baseUrl}/api/auth/login returned 301 Moved Permanently: `
            + `"a redirect to ${emulator.baseUrl}/api/auth/login/; redirects are not followed, so they cannot carry credentials elsewhere: set baseUrl to where it leads"`);
    });
});
