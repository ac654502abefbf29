import assert from "node:assert/strict";
import { z } from "zod";
import { commonInputShape, toCheckFailures } from "../../src/core/inputs";

function check(input: Record<string, unknown>) {
    const shape = commonInputShape();
    const parsed = z.strictObject(shape).safeParse(input);
    return parsed.success
        ? { data: parsed.data, failures: [] }
        : { data: undefined, failures: toCheckFailures(parsed.error.issues, input, new Set(), Object.keys(shape)) };
}

describe("the inputs every purge resource takes", () => {
    it("gives an empty trigger name its own message, not zod's \"Invalid key in record\"", () => {
        const { failures } = check({ triggers: { "": "3f2a", site: "9c1d" } });

        assert.deepEqual(failures, [{ property: "triggers", reason: `triggers[""]: a trigger name must not be empty` }]);
    });

    it("takes forcePurge as a string, a number or a boolean, and compares it as text", () => {
        const values = [Date.UTC(2026, 0, 1), "1767225600000", true, 0].map((forcePurge) => check({ forcePurge }).data?.forcePurge);

        assert.deepEqual(values, ["1767225600000", "1767225600000", "true", "0"]);
    });

    it("refuses a forcePurge that is an object, saying what it takes", () => {
        const { failures } = check({ forcePurge: { at: 1 } });

        assert.deepEqual(failures, [{ property: "forcePurge", reason: `forcePurge: expected a string, a number, true or false; got {"at":1}` }]);
    });
});
