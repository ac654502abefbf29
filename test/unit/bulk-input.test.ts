import assert from "node:assert/strict";
import { expandBulk, fromBulkText, packBulk, toBulkText } from "../../src/core/bulk-input";

describe("bulk inputs: a list or map that travels as its JSON text", () => {
    it("reads back the list or map it was written from, and leaves every other value as it is", () => {
        const urls = { "https://a.example/1.jpg": "h1", "https://a.example/2.jpg": "h2" };

        assert.deepEqual(fromBulkText(toBulkText(urls)), urls);
        assert.deepEqual(fromBulkText(toBulkText(["https://a.example/1.jpg"])), ["https://a.example/1.jpg"]);
        for (const other of ["https://a.example/1.jpg", "[not json", "{\"a\":", "42", 42, undefined, null, "04da6b54-80e4-46f7-96ec-b56ff0331ba9"]) {
            assert.equal(fromBulkText(other), other);
            assert.equal(toBulkText(other), other);
        }
        // JSON text of a string or number is no list or map: left as the text it is.
        assert.equal(fromBulkText("\"[x]\""), "\"[x]\"");
    });

    it("writes a value read from a text back as that same text, spacing and key order included", () => {
        const text = "{ \"https://a.example/b.jpg\": \"h2\",\n  \"https://a.example/a.jpg\": \"h1\" }";

        const value = fromBulkText(text);

        assert.equal(toBulkText(value), text);
        assert.equal(fromBulkText(text), value, "a text read again is not parsed again");
    });

    it("expands and packs only the keys it is given, without touching the object passed", () => {
        const props = { urls: "[\"https://a.example/1.jpg\"]", triggers: { a: "1" }, name: "[x]" };

        const expanded = expandBulk(props, ["urls"]);
        const packed = packBulk({ ...expanded, other: ["y"] }, ["urls"]);

        assert.deepEqual(expanded, { urls: ["https://a.example/1.jpg"], triggers: { a: "1" }, name: "[x]" });
        assert.equal(props.urls, "[\"https://a.example/1.jpg\"]");
        assert.deepEqual(packed, { urls: "[\"https://a.example/1.jpg\"]", triggers: { a: "1" }, name: "[x]", other: ["y"] });
    });
});
