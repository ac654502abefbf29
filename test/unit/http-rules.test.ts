import assert from "node:assert/strict";
import { backoffMs, isTransientStatus, retryAfterMs } from "../../src/core/http/retry-timing";
import { baseUrlProblem, endpointUrl, normalizeBaseUrl, shownUrl } from "../../src/core/http/url";
import { Redactor } from "../../src/core/redact";

describe("retry timing", () => {
    it("reads Retry-After as seconds or as an HTTP date", () => {
        const now = Date.parse("2026-11-24T10:00:00Z");

        assert.equal(retryAfterMs("3", now), 3000);
        assert.equal(retryAfterMs("Tue, 24 Nov 2026 10:00:05 GMT", now), 5000);
        assert.equal(retryAfterMs("soon", now), undefined);
        assert.equal(retryAfterMs(null, now), undefined);
    });

    it("doubles the backoff up to its cap, with jitter in the upper half", () => {
        assert.equal(backoffMs(1, 250, 10_000, () => 0), 125);
        assert.equal(backoffMs(1, 250, 10_000, () => 1), 250);
        assert.equal(backoffMs(3, 250, 10_000, () => 1), 1000);
        assert.equal(backoffMs(20, 250, 10_000, () => 1), 10_000);
    });

    it("treats 408, 429 and 5xx as transient, and other 4xx as final", () => {
        assert.deepEqual([408, 429, 500, 503, 400, 401, 403, 404].map(isTransientStatus), [true, true, true, true, false, false, false, false]);
    });
});

describe("base URLs and endpoints", () => {
    it("allows https anywhere and http only to this machine", () => {
        assert.equal(baseUrlProblem("https://cms.example.com"), undefined);
        assert.equal(baseUrlProblem("http://127.0.0.1:8080"), undefined);
        assert.equal(baseUrlProblem("http://localhost"), undefined);
        assert.equal(baseUrlProblem("http://cms.example.com"), `expected an https:// URL (http:// is allowed only for localhost), got "http://cms.example.com"`);
        assert.equal(baseUrlProblem("ftp://x"), `expected an https:// URL, got "ftp://x"`);
        assert.equal(baseUrlProblem("cms.example.com"), `expected an absolute URL such as https://example.com, got "cms.example.com"`);
        assert.equal(baseUrlProblem("https://u:p@x.com"), "credentials do not belong in the URL; pass them as inputs, got a URL with a user name");
    });

    it("refuses a password holding a slash without quoting it, and leaves an @ in a path alone", () => {
        const refused = baseUrlProblem("https://deploy:wJalr/K7MDENG@cms.example.com");

        assert.equal(refused, "credentials do not belong in the URL; pass them as inputs, got a URL with a user name");
        assert.equal(shownUrl("https://deploy:wJalr/K7MDENG@cms.example.com/x"), `"https://cms.example.com/x"`);
        assert.equal(baseUrlProblem("https://cms.example.com/@team/site"), undefined);
    });

    it("makes two spellings of one endpoint equal", () => {
        assert.equal(normalizeBaseUrl("HTTPS://CMS.Example.com:443/site/"), "https://cms.example.com/site");
        assert.equal(normalizeBaseUrl("https://cms.example.com/site"), "https://cms.example.com/site");
    });

    it("encodes every path segment so an id cannot leave its place", () => {
        const url = endpointUrl("https://api.example.com/api/", ["apps", "../admin", "a/b?c#d"]);

        assert.equal(url.toString(), "https://api.example.com/api/apps/..%2Fadmin/a%2Fb%3Fc%23d");
        assert.throws(() => endpointUrl("https://api.example.com", [".."]), /refusing to build a URL with the path segment "\.\."/);
    });
});

describe("Redactor", () => {
    it("hides secrets, their URL-encoded and base64 forms, and short ones only where they stand alone", () => {
        const redactor = new Redactor(["s3cr3t/token", "ab", undefined]);
        const basic = Buffer.from("s3cr3t/token:").toString("base64");

        const text = redactor.redact(`a s3cr3t/token b s3cr3t%2Ftoken c Basic ${basic} ab tab`);

        assert.equal(text, "a [secret] b [secret] c Basic [secret] [secret] tab");
    });
});

describe("Redactor.redactValue", () => {
    it("keeps two entries whose secret keys redact to one text, numbered, and leaves other keys alone", () => {
        const redactor = new Redactor(["build-ipa-private", "build-apk-private"]);

        const receipt = redactor.redactValue({ ids: { "build-ipa-private": ["c1"], lint: ["c2"], "build-apk-private": ["c3"] }, targets: ["build-apk-private"] });

        assert.deepEqual(receipt, { ids: { "[secret]": ["c1"], lint: ["c2"], "[secret] #2": ["c3"] }, targets: ["[secret]"] });
    });
});

describe("Redactor.add", () => {
    it("hides a secret learnt later in every message built afterwards", () => {
        const redactor = new Redactor([]);

        redactor.add(["m0pjr6ec9lemv0m8782hd8hg48"]);

        assert.equal(redactor.redact("session m0pjr6ec9lemv0m8782hd8hg48 expired"), "session [secret] expired");
    });
});
