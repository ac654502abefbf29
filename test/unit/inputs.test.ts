import assert from "node:assert/strict";
import { z } from "zod";
import { pathSegment, toCheckFailures } from "../../src/core/inputs";
import { UNKNOWN } from "../../src/core/unknown";

function failuresOf(shape: z.ZodRawShape, input: Record<string, unknown>, secret: string[] = []) {
    const parsed = z.strictObject(shape).safeParse(input);
    return parsed.success ? [] : toCheckFailures(parsed.error.issues, input, new Set(secret), Object.keys(shape));
}

describe("input validation messages", () => {
    it("refuses path segments that would name another path or cannot be encoded", () => {
        const shape = { workspace: pathSegment() };

        assert.deepEqual(failuresOf(shape, { workspace: ".." }), [{ property: "workspace", reason: `workspace: must not be "." or ".."` }]);
        assert.deepEqual(failuresOf(shape, { workspace: "a\ud800" }), [{ property: "workspace", reason: "workspace: must be valid Unicode text (it holds half of a surrogate pair, which no URL can carry)" }]);
        assert.deepEqual(failuresOf(shape, { workspace: "a/b é" }), []);
    });

    it("names the path, the value and what is allowed, and never shows a secret's value", () => {
        const shape = { cacheTypes: z.array(z.enum(["element", "object"])), password: z.string() };

        const failures = failuresOf(shape, { cacheTypes: ["element", "cache"], password: 42 }, ["password"]);

        assert.deepEqual(failures, [
            { property: "cacheTypes", reason: `cacheTypes[1]: expected "element" or "object", got "cache"` },
            { property: "password", reason: "password: expected a string, got [secret]" },
        ]);
    });

    it("names a misspelt input and the inputs that exist", () => {
        assert.deepEqual(failuresOf({ baseUrl: z.string(), triggers: z.record(z.string(), z.string()) }, { baseUrl: "x", trigers: {} }), [
            { property: "triggers", reason: "triggers: required, expected an object" },
            { property: "trigers", reason: "trigers: unknown input; expected one of baseUrl, triggers" },
        ]);
    });

    it("leaves values not known until apply to be checked then", () => {
        assert.deepEqual(failuresOf({ timeoutMs: z.number() }, { timeoutMs: UNKNOWN }), []);
    });
});
