import assert from "node:assert/strict";
import { createProviderImplementation } from "../../src/core/provider-implementation";
import { httpService } from "../../src/services/http/service";
import { HttpEmulator } from "../../src/services/http/emulator";

const provider = createProviderImplementation(httpService);

/** The reasons `check` gives, in order. */
async function refusals(inputs: Record<string, unknown>): Promise<string[]> {
    const result = await provider.check({}, inputs);
    return (result.failures ?? []).map((f) => f.reason);
}

describe("http purge check", () => {
    let server: HttpEmulator;

    before(async () => {
        server = await new HttpEmulator().start();
    });

    after(() => server.stop());

    afterEach(() => {
        // Every refusal is decided before any request.
        assert.equal(server.requests.length, 0);
    });

    it("refuses a URL that is not http(s), and plain http away from this machine", async () => {
        assert.deepEqual(await refusals({ request: { url: "ftp://files.example.com/purge" } }), ["request.url: expected an https:// URL, got \"ftp://files.example.com/purge\""]);
        assert.deepEqual(await refusals({ request: { url: "http://cdn.example.com/purge" } }),
            ["request.url: expected an https:// URL (http:// is allowed only for localhost), got \"http://cdn.example.com/purge\""]);
        assert.deepEqual(await refusals({ request: { url: `${server.baseUrl}/purge` } }), []);
    });

    it("refuses a credential in the URL, user name or token parameter, without quoting it", async () => {
        const userinfo = await refusals({ request: { url: "https://admin:hunter22@cdn.example.com/purge" } });
        const token = await refusals({ request: { url: "https://cdn.example.com/purge?url={target}&access_token=sk_9f2e" }, targets: ["a"] });

        assert.deepEqual(userinfo, ["request.url: credentials do not belong in the URL; pass them as inputs, got a URL with a user name"]);
        assert.deepEqual(token, ["request.url: the query parameter \"access_token\" looks like a credential, and the URL is stored in plaintext and shown in the plan; send it in secretHeaders"]);
        assert.ok(!JSON.stringify([userinfo, token]).includes("hunter22") && !JSON.stringify(token).includes("sk_9f2e"));
    });

    it("refuses {target} in the host, where a value would choose where the secret headers go", async () => {
        assert.deepEqual(await refusals({ request: { url: "https://{target}.example.com/purge" }, targets: ["a"] }),
            ["request.url: {target} may be used in the path and query only, never in the scheme or host: the secret headers must not go to a host a value chooses"]);
    });

    it("refuses a placeholder no target can fill, and targets no request uses", async () => {
        assert.deepEqual(await refusals({ request: { url: "https://cdn.example.com/purge/{target}" } }),
            ["targets: request uses {target}, but no targets are declared to fill it; add targets, or remove {target}"]);
        assert.deepEqual(await refusals({ request: { url: "https://cdn.example.com/purge" }, targets: ["a"] }),
            ["targets: no part of request uses {target} and there is no batch, so every target's request would be the same; put {target} in request.url, a header or the body, or set batch"]);
    });

    it("refuses malformed placeholders, naming where they are", async () => {
        assert.deepEqual(await refusals({ request: { url: "https://cdn.example.com/purge/{{target}}", json: { tag: "{tagret}" } }, targets: ["a"] }), [
            "request.url: write the placeholder as {target}, with single braces and no blanks, got \"{{target}}\"",
            "request.json.tag: unknown placeholder {tagret}; the only placeholder here is {target}",
            "targets: no part of request uses {target} and there is no batch, so every target's request would be the same; put {target} in request.url, a header or the body, or set batch",
        ]);
    });

    it("refuses a target of \".\" or \"..\" that fills a whole path segment, which the URL would resolve away", async () => {
        assert.deepEqual(await refusals({ request: { url: "https://cdn.example.com/purge/{target}" }, targets: ["a", ".."] }),
            ["targets[1]: fills a whole path segment of request.url, where \".\" and \"..\" name another path (the URL is resolved before it is sent); purge it through another URL"]);
        assert.deepEqual(await refusals({ request: { url: "https://cdn.example.com/purge?url={target}" }, targets: [".."] }), []);
    });

    it("refuses a batch without a place, or with {target} it cannot fill", async () => {
        assert.deepEqual(await refusals({ request: { url: "https://cdn.example.com/purge" }, targets: ["a"], batch: { size: 10 } }),
            ["batch: a batch needs one place for its targets: jsonPath (a JSON array at that path of the body) or header (the targets joined by spaces)"]);
        assert.deepEqual(await refusals({ request: { url: "https://cdn.example.com/purge/{target}" }, targets: ["a"], batch: { size: 10, jsonPath: "files" } }),
            ["batch: a batched request carries several targets, so {target} cannot be filled; the batch puts them at batch.jsonPath or batch.header"]);
        assert.deepEqual(await refusals({ request: { url: "https://cdn.example.com/purge" }, targets: ["a b"], batch: { size: 10, header: "Surrogate-Key" } }),
            ["targets[0]: goes into batch.header, where targets are joined by spaces, so it must not contain one"]);
    });

    it("refuses a credential in the plaintext headers, and a secret header's bad value without quoting it", async () => {
        const refused = await refusals({
            request: { url: "https://cdn.example.com/purge", headers: { Authorization: "Bearer sk_live_1" } },
            secretHeaders: { "X-Api-Key": "sk_live_2\n" },
        });

        assert.deepEqual(refused, [
            "secretHeaders[\"X-Api-Key\"]: must not contain a line break (CR or LF); copy the value again without the end of line",
        ]);
        assert.deepEqual(await refusals({ request: { url: "https://cdn.example.com/purge", headers: { Authorization: "Bearer sk_live_1" } } }),
            ["request.headers.Authorization: this header carries a credential, and headers are stored in plaintext; move it to secretHeaders"]);
        assert.ok(!JSON.stringify(refused).includes("sk_live"));
    });

    it("refuses a plan of more requests than maxRequests, in preview already", async () => {
        const targets = Array.from({ length: 30 }, (_, i) => `t${i}`);

        assert.deepEqual(await refusals({ request: { url: "https://cdn.example.com/purge/{target}" }, targets, maxRequests: 20 }),
            ["maxRequests: this update would send 30 purge requests, more than maxRequests (20); set batch to send several targets per request, or raise maxRequests"]);
        assert.deepEqual(await refusals({ request: { url: "https://cdn.example.com/purge", json: {} }, targets, maxRequests: 20, batch: { size: 30, jsonPath: "files" } }), []);
    });

    it("refuses a status URL without {id}", async () => {
        assert.deepEqual(await refusals({ request: { url: "https://cdn.example.com/purge" }, wait: { url: "https://cdn.example.com/status", idPath: "id", donePath: "s", doneValue: "done" } }),
            ["wait.url: must hold {id}, where the id read from each answer at wait.idPath goes"]);
    });

    it("does not purge again when only a secret header changes, and does when a target's trigger does", async () => {
        const inputs = { request: { url: `${server.baseUrl}/purge/{target}` }, targets: { a: "h1", b: "h1" }, secretHeaders: { AccessKey: "old-key-1" } };
        const first = await provider.check({}, inputs);
        const created = await provider.create(first.inputs);

        const rotated = await provider.check(first.inputs, { ...inputs, secretHeaders: { AccessKey: "new-key-2" } });
        await provider.update(created.id, created.outs, rotated.inputs);
        const afterRotation = server.requests.length;
        const changed = await provider.check(rotated.inputs, { ...inputs, targets: { a: "h2", b: "h1" } });

        assert.equal(afterRotation, 2);
        assert.equal(rotated.inputs.purgePlan, "no purge");
        assert.equal(changed.inputs.purgePlan, `purge 1 of 2 targets: a (trigger: h1 -> h2); 1 request: POST ${server.baseUrl}/purge/a (AccessKey: [secret])`);
        server.requests.length = 0;
    });
});
