import assert from "node:assert/strict";
import { BuddyEmulator } from "../../src/services/buddy/emulator";
import { buddyService } from "../../src/services/buddy/service";
import { frontDoor } from "../../src/testing/emulator";
import { FAST, up } from "./provider-run";

const TOKEN = "buddy-vendor-canary-0d3f";
const SCOPES = ["WORKSPACE", "EXECUTION_MANAGE"];

describe("buddy as its docs, Go SDK and Terraform provider say", () => {
    let emulator: BuddyEmulator;

    beforeEach(async () => {
        emulator = await new BuddyEmulator({
            tokens: { [TOKEN]: { scopes: SCOPES } },
            workspaces: {
                acme: { projects: { web: [{ id: 101, name: "Build" }, { id: 102, name: "Test" }, { id: 103, name: "Deploy" }] } },
                locked: { apiDisabled: true, projects: { web: [{ id: 1, name: "Build" }] } },
                sleepy: { active: false, projects: { web: [{ id: 1, name: "Build" }] } },
            },
        }).start();
    });

    afterEach(() => emulator.stop());

    function purge(extra: Record<string, unknown>, token = TOKEN) {
        return up(buddyService, { workspace: "acme", project: "web", baseUrl: emulator.baseUrl, token, ...FAST, ...extra });
    }

    it("clears every pipeline within the retry bounds when answers carry X-Rate-Limit-Limit and -Remaining but no -Reset, as the docs' sample does", async () => {
        emulator.omitResetHeader = true;
        const token = "buddy-token-without-reset";
        emulator.tokens.set(token, { scopes: SCOPES });
        emulator.budgetAtNextRequest(1, 600);

        const run = await purge({ pipelines: { "101": "a", "102": "b", "103": "c" }, maxRetries: 4 }, token);

        assert.equal(run.error, undefined, run.log.join("\n"));
        assert.deepEqual(emulator.clears.map((c) => c.pipelineId), [101, 102, 103]);
        assert.ok(emulator.requests.every((r) => r.headers.authorization === `Bearer ${token}`));
        assert.ok(emulator.rateLimited >= 1, "the budget was spent and refused at least once");
    });

    it("says a workspace administrator must turn the API on when it is disabled in the workspace", async () => {
        const run = await purge({ workspace: "locked", pipelineId: 1 });

        assert.equal(run.error?.message, `buddy: PATCH ${emulator.baseUrl}/workspaces/locked/projects/web/pipelines/1 returned 403 Forbidden: `
            + "\"API is disabled in this workspace\"; a workspace administrator must turn API access on in the workspace's settings; newer workspaces have it off");
        assert.equal(emulator.requests.length, 1);
    });

    it("says the workspace is inactive, in Buddy's words, without retrying", async () => {
        const run = await purge({ workspace: "sleepy", pipelineId: 1 });

        assert.equal(run.error?.message, `buddy: PATCH ${emulator.baseUrl}/workspaces/sleepy/projects/web/pipelines/1 returned 403 Forbidden: `
            + "\"Only active workspace have access to API\"; the workspace is inactive, as after a suspension or an ended plan: reactivate it in Buddy; no token can purge until then");
        assert.equal(emulator.requests.length, 1);
    });

    it("says an expired token has expired and how to get one that lasts", async () => {
        emulator.tokens.set(TOKEN, { scopes: SCOPES, expiresAt: new Date(Date.now() - 1) });

        const run = await purge({ pipelineId: 101 });

        assert.equal(run.error?.message, `buddy: PATCH ${emulator.baseUrl}/workspaces/acme/projects/web/pipelines/101 returned 401 Unauthorized: `
            + "\"Token expired\"; the token (from the token input) has expired: an OAuth access token lasts 8 hours, so refresh it, or use a personal access token whose expiry date is later");
    });

    it("keeps the pipelines cleared before the token expired mid-run, and names the rest", async () => {
        const expiresAt = new Date(Date.now() + 60_000);
        emulator.tokens.set(TOKEN, { scopes: SCOPES, expiresAt });
        emulator.inject({ kind: "delay", ms: 0 }, (r) => {
            if (r.path.endsWith("/102")) {
                emulator.tokens.set(TOKEN, { scopes: SCOPES, expiresAt: new Date(0) });
            }
            return false;
        });

        const run = await purge({ pipelines: { "101": "a", "102": "b", "103": "c" } });

        assert.deepEqual(emulator.clears.map((c) => c.pipelineId), [101]);
        assert.match(run.error?.message ?? "", /pipelines\/102 returned 401 Unauthorized: "Token expired"; the token \(from the token input\) has expired: .*; 1 of 3 targets purged, 2 left for the next pulumi up \(pipeline 102, pipeline 103\)$/);
    });

    it("fails a 200 HTML page from an SSO gateway instead of recording a clear", async () => {
        emulator.inject(frontDoor.ssoLoginPage());

        const run = await purge({ pipelineId: 101 });

        assert.equal(run.error?.message, `buddy: PATCH ${emulator.baseUrl}/workspaces/acme/projects/web/pipelines/101 returned 200 OK (text/html) `
            + "instead of 200 with the pipeline as JSON: \"Sign in - Corporate SSO\"; check that baseUrl is Buddy's API "
            + "(https://api.buddy.works, https://api.eu.buddy.works or https://<host>/api), not a login page or proxy in front of it");
        assert.equal(emulator.clears.length, 0);
    });

    it("retries a proxy's HTML 502 and quotes its title when it persists", async () => {
        emulator.inject([frontDoor.proxyError(502), frontDoor.proxyError(502), frontDoor.proxyError(502)]);

        const run = await purge({ pipelineId: 101 });

        assert.match(run.error?.message ?? "", /pipelines\/101 returned 502 Bad Gateway after 3 attempts: "502 Bad Gateway"$/);
    });

    it("names the trailing-slash redirect it did not follow", async () => {
        emulator.inject(frontDoor.redirectToTrailingSlash());

        const run = await purge({ pipelineId: 101 });

        assert.match(run.error?.message ?? "", /returned 301 Moved Permanently: "a redirect to http:\/\/127\.0\.0\.1:\d+\/workspaces\/acme\/projects\/web\/pipelines\/101\/; redirects are not followed/);
    });
});
