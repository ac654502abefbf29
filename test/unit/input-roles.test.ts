import assert from "node:assert/strict";
import { isSetting } from "../../src/core/input-roles";

// The resource class and the provider plugin both mark a secret setting with this rule; the tests of
// each (resource-inputs, plugin-grpc) show the marker, these pin which inputs the rule counts.
describe("isSetting", () => {
    const urlPurge = { secretInputs: ["privateKey"], targetInputs: ["urls"] };

    it("counts an input that says where or how to purge as a setting", () => {
        assert.deepEqual(["baseUrl", "purgeTimeoutMs"].map((key) => isSetting(urlPurge, key)), [true, true]);
    });

    it("counts neither the triggers, forcePurge nor the outputs passed as inputs as settings", () => {
        assert.deepEqual(["triggers", "forcePurge", "receipt", "purgePlan"].map((key) => isSetting(urlPurge, key)), [false, false, false, false]);
    });

    it("counts neither a credential nor a target input as a setting, and no marker the class adds", () => {
        assert.deepEqual(["privateKey", "urls", "__urn", "__secretSettings"].map((key) => isSetting(urlPurge, key)), [false, false, false, false]);
    });

    it("reads a resource type without target inputs as having none", () => {
        assert.equal(isSetting({ secretInputs: ["apiKey"] }, "urls"), true);
    });
});
