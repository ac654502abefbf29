import * as assert from "node:assert/strict";
import { z } from "zod";
import { PartialPurgeError } from "../../src/core/errors";
import { HttpClient } from "../../src/core/http/client";
import { commonInputShape } from "../../src/core/inputs";
import type { PurgePlan } from "../../src/core/plan";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import { Redactor } from "../../src/core/redact";
import type { PurgeContext } from "../../src/core/service";
import { isRetryableStatus, microStrategyErrorMessage, parseErrorBody } from "../../src/services/microstrategy/client";
import { MicroStrategyEmulator } from "../../src/services/microstrategy/emulator";
import { microStrategyInputShape, type MicroStrategyInputs } from "../../src/services/microstrategy/schema";
import { microstrategyService } from "../../src/services/microstrategy/service";

const TUTORIAL = { id: "B7CA92F04B9FAE8D941C3E9B7E0CD754", name: "MicroStrategy Tutorial" };
const EDUCATION = { id: "CE52831411E696C8BD2F0080EFD5AF44", name: "Consolidated Education Project" };
const PASSWORD = "canary-password-7f3e";

function parseInputs(raw: Record<string, unknown>): MicroStrategyInputs {
    return z.strictObject({ ...commonInputShape(), ...microStrategyInputShape() }).parse(raw) as unknown as MicroStrategyInputs;
}

function planOf(...keys: string[]): PurgePlan {
    return { targets: keys.map((key) => ({ key, reasons: ["created"] })) };
}

interface Harness {
    readonly ctx: PurgeContext<MicroStrategyInputs>;
    readonly logs: string[];
}

function harness(raw: Record<string, unknown>, credentials: Record<string, string | undefined>): Harness {
    const logs: string[] = [];
    const redactor = new Redactor(Object.values(credentials));
    const log = { info: (m: string) => logs.push(`info: ${redactor.redact(m)}`), warn: (m: string) => logs.push(`warn: ${redactor.redact(m)}`) };
    const http = new HttpClient({
        service: "microstrategy", timeoutMs: 5_000, maxRetries: 2, maxRetryDelayMs: 1_000, baseRetryDelayMs: 1,
        redactor, log, errorMessage: microStrategyErrorMessage, retryStatus: isRetryableStatus,
    });
    const inputs = parseInputs(raw);
    return { ctx: { inputs, credentials, http, log, redact: (t) => redactor.redact(t), addSecret: (v) => redactor.add([v]), credentialSource: (input) => `the ${input} input` }, logs };
}

describe("microstrategy client and emulator", () => {
    let emulator: MicroStrategyEmulator;

    beforeEach(async () => {
        emulator = await new MicroStrategyEmulator({ users: { admin: PASSWORD }, projects: [TUTORIAL, EDUCATION] }).start();
    });

    afterEach(async () => {
        await emulator.stop();
    });

    const login = { username: "admin", password: PASSWORD };

    it("logs in with a form body, sends the token and the session cookies together on every purge, and logs out once", async () => {
        emulator.requireCookie = true;
        const { ctx } = harness({ baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id } }, login);

        const outcome = await microstrategyService.purge(ctx, planOf("element", "object"));

        assert.deepEqual(emulator.requests.map((r) => `${r.method} ${r.path}`), [
            "POST /MicroStrategyLibrary/api/auth/login",
            `DELETE /MicroStrategyLibrary/api/monitors/projects/${TUTORIAL.id}/caches/element`,
            `DELETE /MicroStrategyLibrary/api/monitors/projects/${TUTORIAL.id}/caches/object`,
            "POST /MicroStrategyLibrary/api/auth/logout",
        ]);
        const [loginRequest, ...rest] = emulator.requests;
        assert.equal(loginRequest.headers["content-type"], "application/x-www-form-urlencoded");
        assert.deepEqual(loginRequest.fields, { username: "admin", password: PASSWORD, loginMode: "1" });
        const [token] = [...emulator.sessions.keys()];
        const { jsessionid } = emulator.sessions.get(token)!;
        for (const request of rest) {
            assert.equal(request.headers["x-mstr-authtoken"], token);
            assert.equal(request.headers.cookie, `JSESSIONID=${jsessionid}; iSession=${token}`);
        }
        assert.equal(emulator.logouts, 1);
        assert.deepEqual(emulator.purges.map((p) => p.cacheType), ["element", "object"]);
        assert.deepEqual(outcome, {
            completion: "accepted",
            details: {
                projectId: TUTORIAL.id, projectName: null, pathVariant: "caches", failedTicketIds: [],
                purge: "triggered: MicroStrategy answered 204, which says the purge was started, not that it finished", relogins: 0,
            },
        });
    });

    it("logs out exactly once when the purge fails, and quotes the server's code, message and ticket id", async () => {
        emulator.unprivileged.add("admin");
        const { ctx } = harness({ baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id } }, login);

        const error = await microstrategyService.purge(ctx, planOf("element")).then(() => undefined, (e: Error) => e);

        assert.ok(error);
        assert.match(error.message, new RegExp(`^microstrategy: DELETE ${emulator.baseUrl}/api/monitors/projects/${TUTORIAL.id}/caches/element `
            + `returned 403 Forbidden: "ERR014 You do not have Cache Administration privilege\\(s\\) to perform the task. `
            + `\\(ticketId [0-9a-f]{32}, iServerCode -2147213784\\)"; the user needs the Cache Administration privilege `
            + `\\(DssXmlPrivilegesCacheAdministration\\) on the project$`));
        assert.equal(emulator.logouts, 1);
        assert.equal(emulator.requestsTo("POST", /logout$/).length, 1);
        assert.ok(!error.message.includes(PASSWORD));
    });

    it("does not hide the purge error when the logout fails too, and warns about the logout", async () => {
        emulator.unprivileged.add("admin");
        emulator.inject({ status: 500, body: "{}" }, (r) => r.path.endsWith("/logout"));
        emulator.inject({ status: 500, body: "{}" }, (r) => r.path.endsWith("/logout"));
        emulator.inject({ status: 500, body: "{}" }, (r) => r.path.endsWith("/logout"));
        const { ctx, logs } = harness({ baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id } }, login);

        const error = await microstrategyService.purge(ctx, planOf("element")).then(() => undefined, (e: Error) => e);

        assert.match(error?.message ?? "", /returned 403 Forbidden/);
        assert.equal(logs.filter((l) => l.startsWith("warn: microstrategy: logout failed")).length, 1);
    });

    it("says baseUrl lacks the Library path when the login answers 404 ERR004", async () => {
        const origin = new URL(emulator.baseUrl).origin;
        const { ctx } = harness({ baseUrl: origin, project: { id: TUTORIAL.id } }, { username: "admin", password: "wrong-password" });

        const error = await microstrategyService.purge(ctx, planOf("element")).then(() => undefined, (e: Error) => e);

        assert.match(error?.message ?? "", new RegExp(`^microstrategy: POST ${origin}/api/auth/login returned 404 Not Found: `
            + `"ERR004 HTTP 404 Not Found \\(ticketId [0-9a-f]{32}\\)"; MicroStrategy's login never answers 404: check that baseUrl is the Library server `
            + `with its path \\(https://<host>/MicroStrategyLibrary\\)$`));
    });

    it("fails the login with the server's ERR003 and a hint, and never logs out a session it did not get", async () => {
        const { ctx } = harness({ baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id } }, { username: "admin", password: "wrong-password" });

        const error = await microstrategyService.purge(ctx, planOf("element")).then(() => undefined, (e: Error) => e);

        assert.match(error?.message ?? "", new RegExp(`^microstrategy: POST ${emulator.baseUrl}/api/auth/login returned 401 Unauthorized: `
            + `"ERR003 Login failed \\(ticketId [0-9a-f]{32}\\)"; check username \\(from the username input\\), password \\(from the password input\\) and loginMode$`));
        assert.equal(emulator.requests.length, 1);
    });

    it("resolves a project name to its id with GET /api/projects and records both in the receipt details", async () => {
        const { ctx } = harness({ baseUrl: emulator.baseUrl, project: { name: EDUCATION.name }, cacheTypes: ["object"] }, login);

        const outcome = await microstrategyService.purge(ctx, planOf("object"));

        assert.deepEqual(emulator.requests.map((r) => `${r.method} ${r.path}`).slice(1, 3), [
            "GET /MicroStrategyLibrary/api/projects",
            `DELETE /MicroStrategyLibrary/api/monitors/projects/${EDUCATION.id}/caches/object`,
        ]);
        assert.deepEqual(emulator.purges, [{ projectId: EDUCATION.id, cacheType: "object", pathVariant: "caches", username: "admin" }]);
        assert.equal(outcome.details?.projectName, EDUCATION.name);
    });

    it("fails an unknown project name with the names the server listed, and still logs out", async () => {
        const { ctx } = harness({ baseUrl: emulator.baseUrl, project: { name: "Tutorial" } }, login);

        const error = await microstrategyService.purge(ctx, planOf("element")).then(() => undefined, (e: Error) => e);

        assert.equal(error?.message, `microstrategy: no project named "Tutorial" on ${emulator.baseUrl}; `
            + `projects found: "MicroStrategy Tutorial", "Consolidated Education Project"`);
        assert.equal(emulator.purges.length, 0);
        assert.equal(emulator.logouts, 1);
    });

    it("fails an ambiguous project name and asks for the id", async () => {
        emulator.projects.push({ id: "0123456789ABCDEF0123456789ABCDEF", name: TUTORIAL.name });
        const { ctx } = harness({ baseUrl: emulator.baseUrl, project: { name: TUTORIAL.name } }, login);

        const error = await microstrategyService.purge(ctx, planOf("element")).then(() => undefined, (e: Error) => e);

        assert.equal(error?.message, `microstrategy: 2 projects are named "MicroStrategy Tutorial" on ${emulator.baseUrl} `
            + `(ids ${TUTORIAL.id}, 0123456789ABCDEF0123456789ABCDEF); pass project.id instead`);
    });

    it("falls back once to /cache/ on a server that answers 404 ERR004 on /caches/, and remembers the variant", async () => {
        emulator.onlyOldPath = true;
        const { ctx } = harness({ baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id } }, login);

        const outcome = await microstrategyService.purge(ctx, planOf("element", "object"));

        assert.deepEqual(emulator.requestsTo("DELETE", /./).map((r) => r.path.replace(/^.*\/projects\/\w+/, "")), [
            "/caches/element", "/cache/element", "/cache/object",
        ]);
        assert.deepEqual(emulator.purges.map((p) => `${p.pathVariant}/${p.cacheType}`), ["cache/element", "cache/object"]);
        assert.equal(outcome.details?.pathVariant, "cache");
        assert.equal((outcome.details?.failedTicketIds as string[]).length, 1);
    });

    it("uses an existing token with its cookies and neither logs in nor out", async () => {
        emulator.requireCookie = true;
        const session = emulator.openSession("admin");
        const { ctx } = harness({ baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id } }, { authToken: session.token, cookies: session.cookies });

        await microstrategyService.purge(ctx, planOf("element"));

        assert.deepEqual(emulator.requests.map((r) => [r.method, r.headers["x-mstr-authtoken"], r.headers.cookie]), [
            ["DELETE", session.token, session.cookies],
        ]);
        assert.equal(emulator.logins + emulator.logouts, 0);
    });

    it("reports a token sent without its cookie as an invalid session, with the fix", async () => {
        emulator.requireCookie = true;
        const session = emulator.openSession("admin");
        const { ctx } = harness({ baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id } }, { authToken: session.token });

        const error = await microstrategyService.purge(ctx, planOf("element")).then(() => undefined, (e: Error) => e);

        assert.match(error?.message ?? "", /returned 401 Unauthorized: "ERR009 The user's session has expired, please reauthenticate \(ticketId [0-9a-f]{32}\)"; the session of the auth token \(from the authToken input\) is invalid or has expired, or was sent without its cookies: pass a fresh authToken with the cookies of its session, run `pulumi config set --secret cache-purge:microstrategyAuthToken <token>` and `pulumi config set --secret cache-purge:microstrategyCookies <cookies>`, or set MSTR_AUTH_TOKEN and MSTR_COOKIES; /);
        assert.ok(!(error?.message ?? "").includes(session.token));
    });

    it("records what was purged when a later cache type fails, so the next up purges only the rest", async () => {
        emulator.inject({ status: 400, body: JSON.stringify({ code: "ERR006", message: "Invalid input", ticketId: "abc123" }) }, (r) => r.path.endsWith("/object"));
        const { ctx } = harness({ baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id } }, login);

        const error = await microstrategyService.purge(ctx, planOf("element", "object")).then(() => undefined, (e: Error) => e);

        assert.ok(error instanceof PartialPurgeError);
        assert.deepEqual([error.purgedKeys, error.leftKeys, error.partialIds], [["element"], ["object"], { object: ["abc123"] }]);
        assert.match(error.message, /returned 400 Bad Request: "ERR006 Invalid input \(ticketId abc123\)"; MicroStrategy answers 400 when project B7CA92F04B9FAE8D941C3E9B7E0CD754 does not exist on the server or the cache type is not element or object; 1 of 2 targets purged, 1 left for the next pulumi up \(object\)$/);
        assert.equal(emulator.logouts, 1);
    });

    it("retries 503 but not 502", async () => {
        emulator.inject({ status: 503, body: "" }, (r) => r.method === "DELETE");
        const { ctx } = harness({ baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id } }, login);

        await microstrategyService.purge(ctx, planOf("element"));
        emulator.inject({ status: 502, body: "<html>Bad Gateway</html>" }, (r) => r.method === "DELETE");
        const error = await microstrategyService.purge(ctx, planOf("element")).then(() => undefined, (e: Error) => e);

        assert.equal(emulator.purges.length, 1);
        assert.equal(emulator.requestsTo("DELETE", /./).length, 3);
        assert.match(error?.message ?? "", /caches\/element returned 502 Bad Gateway: "Bad Gateway"$/);
    });

    it("names every way to set credentials when none is given", async () => {
        const { ctx } = harness({ baseUrl: emulator.baseUrl, project: { id: TUTORIAL.id } }, { username: "admin" });

        const error = await microstrategyService.purge(ctx, planOf("element")).then(() => undefined, (e: Error) => e);

        assert.equal(error?.message, "microstrategy: a user name but no password; either pass apiToken, run "
            + "`pulumi config set --secret cache-purge:microstrategyApiToken <token>`, or set MSTR_API_TOKEN; or pass username and password, "
            + "run `pulumi config set cache-purge:microstrategyUsername <name>` and `pulumi config set --secret cache-purge:microstrategyPassword <password>`, "
            + "or set MSTR_USERNAME and MSTR_PASSWORD; or pass authToken (and cookies) of an open session, "
            + "run `pulumi config set --secret cache-purge:microstrategyAuthToken <token>`, or set MSTR_AUTH_TOKEN");
        assert.equal(emulator.requests.length, 0);
    });
});

describe("microstrategy error bodies", () => {
    it("reads code, message, ticket id and I-Server code case-insensitively, also inside errors[]", () => {
        const wrapped = { errors: [{ Code: "ERR014", MESSAGE: "no privilege", TicketId: "t1", IserverCode: -2147213784 }] };

        const body = parseErrorBody(wrapped);

        assert.deepEqual(body, { code: "ERR014", message: "no privilege", ticketId: "t1", iServerCode: -2147213784 });
    });
});

describe("microstrategy check and plan", () => {
    const provider = createProviderImplementation(microstrategyService);
    const base = { baseUrl: "https://bi.example.com/MicroStrategyLibrary/api/", project: { id: TUTORIAL.id.toLowerCase() } };

    it("stores the base URL without /api and the project id upper-case", async () => {
        const result = await provider.check({}, base);

        assert.equal(result.failures, undefined);
        assert.equal(result.inputs.baseUrl, "https://bi.example.com/MicroStrategyLibrary");
        assert.deepEqual(result.inputs.project, { id: TUTORIAL.id });
        // Not declared, so not stored: the default (both caches) applies where it is read.
        assert.equal(result.inputs.cacheTypes, undefined);
        assert.match(String(result.inputs.purgePlan), /element.*object|object.*element/);
    });

    it("refuses bad inputs in check, naming each field", async () => {
        const result = await provider.check({}, {
            baseUrl: "http://bi.example.com/MicroStrategyLibrary", project: { id: "B7CA92F0", name: "Tutorial" }, cacheTypes: ["element", "cache"],
        });

        assert.deepEqual(result.failures, [
            { property: "baseUrl", reason: `baseUrl: expected an https:// URL (http:// is allowed only for localhost), got "http://bi.example.com/MicroStrategyLibrary"` },
            { property: "project", reason: `project: pass either id or name, not both (got id "B7CA92F0" and name "Tutorial")` },
            { property: "project", reason: `project.id: expected a project GUID of 32 hex digits such as B7CA92F04B9FAE8D941C3E9B7E0CD754, got "B7CA92F0"` },
            { property: "cacheTypes", reason: `cacheTypes[1]: expected "element" or "object", got "cache"` },
        ]);
    });

    it("plans only the object cache when only the object trigger changed", async () => {
        const first = await provider.check({}, { ...base, cacheTypes: { element: "e1", object: "o1" } });

        const second = await provider.check(first.inputs, { ...base, cacheTypes: { element: "e1", object: "o2" } });

        assert.equal(second.inputs.purgePlan, `purge 1 of 2 targets: object (trigger: o1 -> o2); 1 request: `
            + `DELETE https://bi.example.com/MicroStrategyLibrary/api/monitors/projects/${TUTORIAL.id}/caches/object`);
    });

    it("shows the project lookup in the plan when the project is given by name", async () => {
        const result = await provider.check({}, { ...base, project: { name: "Tutorial" }, cacheTypes: ["element"] });

        assert.equal(result.inputs.purgePlan, `purge element (created); 2 requests: GET https://bi.example.com/MicroStrategyLibrary/api/projects, `
            + `DELETE https://bi.example.com/MicroStrategyLibrary/api/monitors/projects/{id of "Tutorial"}/caches/element`);
    });
});
