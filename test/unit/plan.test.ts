import { createHash } from "crypto";
import assert from "node:assert/strict";
import { fromPurgedRecord, partiallyPurgedState, PENDING, planPurge, type PurgedState, toPurgedRecord } from "../../src/core/plan";
import { summarizePlan } from "../../src/core/plan-summary";
import { buildReceipt } from "../../src/core/receipt";

const base: PurgedState = { scope: "https://api.example.com app1", triggers: { build: "3f2a1b4c5d6e7f80" }, targets: { ios: "a", android: "b" } };

describe("planPurge", () => {
    it("purges every target on create, with the reason created", () => {
        const plan = planPurge(undefined, base, true);

        assert.deepEqual(plan.targets, [{ key: "ios", reasons: ["created"] }, { key: "android", reasons: ["created"] }]);
    });

    it("purges nothing on create when purgeOnCreate is false", () => {
        assert.deepEqual(planPurge(undefined, base, false).targets, []);
    });

    it("purges nothing when nothing changed", () => {
        assert.deepEqual(planPurge(base, { ...base }, true).targets, []);
    });

    it("says a target's own trigger changed without its values when the targets' triggers are secret", () => {
        const secrets = { triggers: new Set<string>(), forcePurge: false, targets: true };
        const plan = planPurge(base, { ...base, targets: { ios: "sk_9fa1", android: "b", web: "c" } }, true, secrets);

        assert.deepEqual(plan.targets, [
            { key: "ios", reasons: ["trigger changed (secret)"] },
            { key: "web", reasons: ["target added"] },
        ]);
        assert.match(summarizePlan(plan, 3, []), /trigger changed \(secret\)/);
        assert.doesNotMatch(summarizePlan(plan, 3, []), /sk_9fa1|-> a|a ->/);
        assert.equal(summarizePlan(plan, 3, ["DELETE /a", "DELETE /b"], true),
            "purge 2 of 3 targets: 1 target with a secret name (trigger changed (secret)); 1 target with a secret name (target added); 2 requests: DELETE /a, DELETE /b");
    });

    it("purges all targets when a shared trigger changes, naming old and new values", () => {
        const plan = planPurge(base, { ...base, triggers: { build: "9c1d2e3f4a5b6c7d" } }, true);

        assert.deepEqual(plan.targets.map((t) => [t.key, t.reasons]), [
            ["ios", ["trigger build: 3f2a1b4c… -> 9c1d2e3f…"]],
            ["android", ["trigger build: 3f2a1b4c… -> 9c1d2e3f…"]],
        ]);
    });

    it("purges only the target whose own trigger changed, and targets that are new", () => {
        const plan = planPurge(base, { ...base, targets: { ios: "a2", android: "b", web: "c" } }, true);

        assert.deepEqual(plan.targets, [
            { key: "ios", reasons: ["trigger: a -> a2"] },
            { key: "web", reasons: ["target added"] },
        ]);
    });

    it("purges nothing for a target that was removed", () => {
        assert.deepEqual(planPurge(base, { ...base, targets: { ios: "a" } }, true).targets, []);
    });

    it("purges all on a forcePurge change, a scope change, or a trigger added or removed", () => {
        const forced = planPurge(base, { ...base, forcePurge: "1" }, true);
        const moved = planPurge(base, { ...base, scope: "https://api.example.com app2" }, true);
        const added = planPurge(base, { ...base, triggers: { ...base.triggers, schema: "x" } }, true);
        const removed = planPurge(base, { ...base, triggers: {} }, true);

        assert.deepEqual(forced.targets[0].reasons, ["forcePurge: (none) -> 1"]);
        assert.deepEqual(moved.targets[0].reasons, ["endpoint changed: https://api.example.com app1 -> https://api.example.com app2"]);
        assert.deepEqual(added.targets[0].reasons, ["trigger schema added: x"]);
        assert.deepEqual(removed.targets[0].reasons, ["trigger build removed"]);
        assert.equal(forced.targets.length, 2);
    });

    it("purges for a new forcePurge value and not when forcePurge is removed or emptied", () => {
        const forcedBefore = { ...base, forcePurge: "1" };

        const changed = planPurge(forcedBefore, { ...base, forcePurge: "2" }, true);
        const removed = planPurge(forcedBefore, { ...base }, true);
        const emptied = planPurge(forcedBefore, { ...base, forcePurge: "" }, true);

        assert.deepEqual(changed.targets[0].reasons, ["forcePurge: 1 -> 2"]);
        assert.deepEqual(removed.targets, []);
        assert.deepEqual(emptied.targets, []);
    });

    it("records failed targets as pending so the next plan purges exactly them", () => {
        const desired = { ...base, triggers: { build: "new" } };
        const plan = planPurge(base, desired, true);

        const recorded = partiallyPurgedState(desired, plan, ["ios"]);
        const next = planPurge(recorded, desired, true);

        assert.deepEqual(recorded.targets, { ios: "a", android: PENDING });
        assert.deepEqual(next.targets, [{ key: "android", reasons: ["left over from a failed purge"] }]);
    });
});

describe("summarizePlan", () => {
    it("says no purge for an empty plan", () => {
        assert.equal(summarizePlan({ targets: [] }, 3, []), "no purge");
    });

    it("groups targets that share their reasons and counts the requests", () => {
        const plan = planPurge(base, { ...base, triggers: { build: "9c1d2e3f4a5b6c7d" } }, true);

        const text = summarizePlan(plan, 2, ["DELETE /a", "DELETE /b", "DELETE /c", "DELETE /d"]);

        assert.equal(text, "purge 2 of 2 targets: ios, android (trigger build: 3f2a1b4c… -> 9c1d2e3f…); 4 requests: DELETE /a, DELETE /b, DELETE /c, …");
    });

    it("shows at most ten targets of a large plan and counts the rest", () => {
        const targets = Array.from({ length: 1000 }, (_, i) => ({ key: `u${i}`, reasons: ["created"] }));

        const text = summarizePlan({ targets }, 1000, targets.map(() => "POST /purge"));

        assert.equal(text, "purge 1,000 of 1,000 targets: u0, u1, u2, u3, u4, u5, u6, u7, u8, u9 and 990 more (created); 1,000 requests: POST /purge, POST /purge, POST /purge, …");
    });
});

describe("the purge record kept in outputs", () => {
    it("names only the pending targets, and stands for the whole state beside the inputs' targets", () => {
        const state: PurgedState = { ...base, targets: { ios: "a", android: PENDING } };

        const record = toPurgedRecord(state);

        assert.deepEqual(record, { scope: base.scope, triggers: base.triggers, pending: ["android"] });
        assert.deepEqual(fromPurgedRecord(record, () => ({ ios: "a", android: "b" })), state);
    });

    it("names a pending target whose name is secret by its place among the sorted names, and finds it again among the targets", () => {
        const state: PurgedState = { ...base, targets: { ios: "a", android: PENDING, "4242": "c", "7331": PENDING } };

        const record = toPurgedRecord(state, true);

        assert.deepEqual(record.pending, ["(secret target 1)", "(secret target 2)"]);
        assert.deepEqual(fromPurgedRecord(record, () => ({ "7331": "d", ios: "a", android: "b", "4242": "c" })), state);
    });

    it("records nothing from which a secret name of a small space can be found by trying every one", () => {
        // A pipeline id below 100,000: its SHA-256 was found by trying them all.
        const state: PurgedState = { ...base, targets: { "4242": PENDING, "7331": "a" } };

        const recorded = JSON.stringify(toPurgedRecord(state, true).pending);

        const found = Array.from({ length: 100_000 }, (_, id) => String(id))
            .filter((id) => recorded.includes(createHash("sha256").update(id).digest("hex").slice(0, 16)) || (id.length > 1 && recorded.includes(id)));
        assert.equal(recorded, '["(secret target 0)"]');
        assert.deepEqual(found, []);
    });

    it("takes a record written by 0.1.0, with every target in it, as it is", () => {
        const old = { ...base, targets: { ios: "a", android: PENDING } };

        assert.deepEqual(fromPurgedRecord(old, () => ({ ios: "x" })), old);
    });
});

describe("summarizePlan of many groups", () => {
    it("shows the first ten targets across groups and counts the targets of the groups not shown", () => {
        const targets = Array.from({ length: 30 }, (_, i) => ({ key: `u${i}`, reasons: [`trigger: a${i} -> b${i}`] }));

        const text = summarizePlan({ targets }, 100, targets.map(() => "POST /purge"));

        assert.match(text, /^purge 30 of 100 targets: u0 \(trigger: a0 -> b0\); .*; u9 \(trigger: a9 -> b9\); and 20 more; 30 requests: /);
    });
});

describe("buildReceipt", () => {
    const outcome = { completion: "synchronous" as const };
    const counts = { requests: 2, retries: 0 };
    const at = new Date("2026-12-01T00:00:00.000Z");

    it("says all, rather than listing them again, when the purge covered every declared target", () => {
        const plan = planPurge(undefined, base, true);

        const receipt = buildReceipt(plan, outcome, counts, at, true);

        assert.deepEqual([receipt.count, receipt.targets, receipt.reasons], [2, "all", [{ why: "created", targets: "all" }]]);
    });

    it("lists the targets of a partial purge, grouped by reason", () => {
        const plan = planPurge(base, { ...base, targets: { ios: "a2", android: "b", web: "c" } }, true);

        const receipt = buildReceipt(plan, outcome, counts, at, false);

        assert.deepEqual(receipt.targets, ["ios", "web"]);
        assert.deepEqual(receipt.reasons, [{ why: "trigger: a -> a2", targets: ["ios"] }, { why: "target added", targets: ["web"] }]);
    });
});
