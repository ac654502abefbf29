import assert from "node:assert/strict";
import { Headers } from "node-fetch";
import { jsonPathProblem, readJsonPath, writeJsonPath } from "../../src/services/http/json-path";
import { readRateLimitHeaders } from "../../src/services/http/rate-limit";
import { fill, fillJson, placeholdersIn } from "../../src/services/http/template";

describe("http purge templates", () => {
    it("URL-encodes a target that lands in a URL and leaves it as it is in a header", () => {
        const target = "https://cdn.example.com/a b/ü.png?v=1&x=2";

        assert.equal(fill("https://api.example.com/purge?url={target}", { target }, "url"),
            "https://api.example.com/purge?url=https%3A%2F%2Fcdn.example.com%2Fa%20b%2F%C3%BC.png%3Fv%3D1%26x%3D2");
        assert.equal(fill("tag:{target}", { target: "a b" }, "raw"), "tag:a b");
    });

    it("JSON-escapes a target in a JSON body, because the body is written by JSON.stringify", () => {
        const body = fillJson({ files: ["{target}"], note: "purge {target} now", n: 3 }, { target: "x\"y\\z\n" });

        assert.equal(JSON.stringify(body), "{\"files\":[\"x\\\"y\\\\z\\n\"],\"note\":\"purge x\\\"y\\\\z\\n now\",\"n\":3}");
    });

    it("names unknown, doubled and unclosed placeholders, and leaves other braces as text", () => {
        assert.deepEqual(placeholdersIn("{\"a\": \"{ not one }\"} {target}", ["target"]), { names: new Set(["target"]), problems: [] });
        assert.deepEqual(placeholdersIn("/purge/{tagret}", ["target"]).problems, ["unknown placeholder {tagret}; the only placeholder here is {target}"]);
        assert.deepEqual(placeholdersIn("/purge/{{target}}", ["target"]).problems, ["write the placeholder as {target}, with single braces and no blanks, got \"{{target}}\""]);
        assert.deepEqual(placeholdersIn("/purge/{target", ["target"]).problems, ["the placeholder {target} is not closed"]);
    });

    it("reads and writes dot paths, refusing prototype names", () => {
        assert.equal(readJsonPath({ result: { items: [{ id: "r-1" }] } }, "result.items.0.id"), "r-1");
        assert.equal(readJsonPath({ a: 1 }, "a.b"), undefined);
        assert.equal(readJsonPath({}, "constructor"), undefined);
        assert.deepEqual(writeJsonPath({ zone: "z1" }, "purge.files", ["a"]), { zone: "z1", purge: { files: ["a"] } });
        assert.match(jsonPathProblem("a..b") ?? "", /expected names joined by dots/);
        assert.match(jsonPathProblem("__proto__.x") ?? "", /prototype/);
    });

    it("reads RateLimit-*, the combined RateLimit header, and X-RateLimit-* with a reset in seconds or as an epoch", () => {
        const now = 1_700_000_000_000;

        assert.deepEqual(readRateLimitHeaders(new Headers({ "ratelimit-limit": "100", "ratelimit-remaining": "0", "ratelimit-reset": "7" }), now),
            { limit: 100, remaining: 0, resetAtMs: now + 7000 });
        assert.deepEqual(readRateLimitHeaders(new Headers({ ratelimit: "limit=10, remaining=3, reset=2" }), now), { limit: 10, remaining: 3, resetAtMs: now + 2000 });
        assert.deepEqual(readRateLimitHeaders(new Headers({ "x-ratelimit-remaining": "5", "x-ratelimit-reset": "1700000030" }), now), { remaining: 5, resetAtMs: 1_700_000_030_000 });
        assert.deepEqual(readRateLimitHeaders(new Headers({ "x-ratelimit-reset": "soon" }), now), {});
    });
});
