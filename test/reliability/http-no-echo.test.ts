import assert from "node:assert/strict";
import type { PurgeService } from "../../src/core/service";
import { HttpEmulator } from "../../src/services/http/emulator";
import { httpService } from "../../src/services/http/service";
import { up } from "./provider-driver";

const http = httpService as unknown as PurgeService;

/** Every spelling of a value a server might echo. */
function spellings(value: string): string[] {
    return [value, encodeURIComponent(value), encodeURIComponent(value).toLowerCase(), JSON.stringify(value).slice(1, -1),
        new URLSearchParams({ x: value }).toString().slice(2), Buffer.from(value).toString("base64")];
}

function assertNoneShown(what: unknown, secrets: readonly string[]): void {
    const text = JSON.stringify(what);
    for (const secret of secrets) {
        for (const form of spellings(secret)) {
            assert.ok(!text.includes(form), `${JSON.stringify(form)} is shown: ${text.slice(0, 600)}`);
        }
    }
}

/**
 * Canaries for the generic purge: a secret header, and target names marked secret that the template
 * puts into the URL, a header and the JSON body, echoed back by the server in every encoding, never
 * reach an error, a log line, the plan line, the receipt or the record.
 */
describe("http purge: nothing secret echoed", function () {
    this.timeout(30_000);
    let server: HttpEmulator;

    beforeEach(async () => {
        server = await new HttpEmulator().start();
    });

    afterEach(() => server.stop());

    /** Answers `status` with the whole request, every part in every spelling, as a debugging API might. */
    function echo(status: number): void {
        server.answer = (r) => ({
            status,
            body: { message: `rejected ${r.method} ${r.path}?${new URLSearchParams(r.query).toString()} headers ${JSON.stringify(r.headers)} body ${r.body} `
                + `decoded ${decodeURIComponent(r.path)} ${Object.values(r.headers).map((v) => Buffer.from(String(v)).toString("base64")).join(" ")}` },
        });
    }

    it("hides a secret header echoed raw, URL-encoded, JSON-escaped and base64, and its token after Bearer", async () => {
        const token = "sk_live_CANARY/http+header=7e1f";
        echo(401);

        const result = await up(http, { request: { url: `${server.baseUrl}/purge` }, secretHeaders: { Authorization: `Bearer ${token}`, "X-Api-Key": "CANARY-api-key-4c2d" }, maxRetries: 0 });

        assert.match(result.error ?? "", /^http: POST \S+\/purge returned 401 Unauthorized: "rejected POST/);
        assertNoneShown([result.error, result.log, result.partialOuts], [token, `Bearer ${token}`, "CANARY-api-key-4c2d"]);
    });

    it("hides secret target names templated into the URL, a header and the JSON body, in the failure, the log, the plan and the record", async () => {
        const targets = { "CANARY-tag-alpha-91ab": "h1", "CANARY-tag-beta \"x\"/y-22cd": "h1", "CANARY-tag-gamma-33ef": "h1" };
        let n = 0;
        server.answer = (r) => (n++ === 1
            ? { status: 400, body: { message: `bad target ${decodeURIComponent(r.path)} ${r.headers["x-tag"]} ${r.body} ${r.path}` } }
            : { status: 200, body: { ok: true } });

        const result = await up(http, {
            request: { url: `${server.baseUrl}/purge/{target}?tag={target}`, headers: { "X-Tag": "{target}" }, json: { tags: ["{target}"], note: "purge {target}" } },
            targets, __secretTargetNames: ["targets"], __secretTargets: true, maxRetries: 0,
        });

        assert.equal(server.requests.length, 2);
        assert.match(result.error ?? "", /^http: POST \S+\/purge\/\[secret\]\?tag=\[secret\] returned 400 Bad Request: "bad target \/purge\/\[secret\] \[secret\] \{\\"tags\\":\[\\"\[secret\]\\"\],\\"note\\":\\"purge \[secret\]\\"\} \/purge\/\[secret\]"; 1 of 3 targets purged, 2 left for the next pulumi up \(\[secret\], \[secret\]\)$/);
        assertNoneShown([result.error, result.log, result.partialOuts?.receipt, result.partialOuts?.purged, result.partialOuts?.purgePlan], Object.keys(targets));
    });

    it("refuses bad secret header values and names in check without quoting them", async () => {
        const secret = "CANARY-unsendable-5a6b";

        const result = await up(http, {
            request: { url: `${server.baseUrl}/purge` },
            secretHeaders: { "X-Key": `${secret}\r\nX-Injected: 1`, "X-Other": `${secret}€`, "X-Number": 7 },
        });

        assert.deepEqual(result.failures.map((f) => f.reason), [
            "secretHeaders[\"X-Key\"]: must not contain a line break (CR or LF); copy the value again without the end of line",
            "secretHeaders[\"X-Other\"]: must contain only printable Latin-1 characters, since it is sent in an HTTP header; copy the value again",
            "secretHeaders[\"X-Number\"]: expected a non-empty string (the value is not shown: it is secret)",
        ]);
        assert.equal(server.requests.length, 0);
    });

    it("never quotes a credential in the URL template, whichever way it is written", async () => {
        const password = "CANARY-url-password-7c8d";
        const urls = [
            `https://admin:${password}@cdn.example.com/purge`,
            `https://cdn.example.com/purge?api_key=${password}`,
            `https://cdn.example.com/purge?x=1&Access-Token=${password}`,
            `https://cdn.example.com:99999/purge?token=${password}`,
            `ftp://cdn.example.com/purge?sig=${password}`,
        ];

        const results = await Promise.all(urls.map((url) => up(http, { request: { url } })));

        assert.ok(results.every((r) => r.failures.length === 1 && r.failures[0].property === "request"), JSON.stringify(results.map((r) => r.failures)));
        assertNoneShown(results.map((r) => r.failures), [password]);
    });
});
