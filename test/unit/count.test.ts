import * as assert from "assert";
import * as fc from "fast-check";
import { formatCount } from "../../src/core/count";

describe("formatCount", () => {
    it("groups thousands with commas", () => {
        assert.equal(formatCount(0), "0");
        assert.equal(formatCount(999), "999");
        assert.equal(formatCount(1000), "1,000");
        assert.equal(formatCount(16_777_216), "16,777,216");
        assert.equal(formatCount(-1234567), "-1,234,567");
    });

    it("writes every safe integer as toLocaleString(\"en-US\") does", () => {
        fc.assert(fc.property(fc.maxSafeInteger(), (n) => formatCount(n) === n.toLocaleString("en-US")));
    });
});
