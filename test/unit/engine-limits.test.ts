import assert from "node:assert/strict";
import { replaceLongNames } from "../../src/core/long-names";
import { MAX_NAME_BYTES, nameProblems } from "../../src/core/names";
import { planPurge, type PurgedState, type PurgePlan } from "../../src/core/plan";
import { summarizePlan } from "../../src/core/plan-summary";
import { buildReceipt } from "../../src/core/receipt";

/**
 * The longest map key at any depth, in UTF-8 bytes: Pulumi's engine asserts that each is under 2^14
 * (sdk/go/property/path_repr.go).
 */
function longestKeyBytes(value: unknown): number {
    if (value === null || typeof value !== "object") {
        return 0;
    }
    const inner = Object.values(value).map(longestKeyBytes);
    const own = Array.isArray(value) ? [] : Object.keys(value).map((k) => Buffer.byteLength(k));
    return Math.max(0, ...own, ...inner);
}

function triggers(count: number, version: string): Record<string, string> {
    return Object.fromEntries(Array.from({ length: count }, (_, i) => [`content/pages/page-${i}.md`, `${version}${String(i).padStart(12, "0")}`]));
}

function changedTriggers(count: number, targets: Record<string, string>): PurgePlan {
    const before: PurgedState = { scope: "s", triggers: triggers(count, "aaaaaaaa"), targets };
    return planPurge(before, { ...before, triggers: triggers(count, "bbbbbbbb") }, true);
}

describe("outputs and lines the engine can carry", () => {
    it("keeps every receipt key short when 600 shared triggers change, and lists five reasons and a count", () => {
        const plan = changedTriggers(600, { cache: "" });

        const receipt = buildReceipt(plan, { completion: "synchronous" }, { requests: 1, retries: 0 }, new Date(0), true);

        assert.ok(longestKeyBytes(receipt) < 64, `longest key ${longestKeyBytes(receipt)} bytes`);
        assert.equal(receipt.reasons.length, 1);
        assert.equal(receipt.reasons[0].targets, "all");
        assert.match(receipt.reasons[0].why, /^trigger content\/pages\/page-0\.md: aaaaaaaa… -> bbbbbbbb…, (trigger [^,]+, ){3}trigger content\/pages\/page-4\.md: aaaaaaaa… -> bbbbbbbb…, and 595 more$/);
    });

    it("prints a bounded plan line for 10,000 changed triggers on 10,000 targets, in linear time", () => {
        const targets = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`https://cdn.example.com/${i}.jpg`, ""]));
        const started = Date.now();

        const plan = changedTriggers(10_000, targets);
        const line = summarizePlan(plan, 10_000, ["POST https://api.example.com/purge"]);
        const receipt = buildReceipt(plan, { completion: "accepted" }, { requests: 1, retries: 0 }, new Date(0), true);

        assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
        assert.ok(line.length < 1_000, `line of ${line.length} characters`);
        assert.match(line, /^purge 10,000 of 10,000 targets: https:\/\/cdn\.example\.com\/0\.jpg, .* and 9,990 more \(trigger content\/pages\/page-0\.md: .*, and 9,995 more\); 1 request: /);
        assert.ok(JSON.stringify(receipt.reasons).length < 1_000);
    });

    it("counts at most ten groups of targets with secret names, however many groups there are", () => {
        const plan: PurgePlan = { targets: Array.from({ length: 10_000 }, (_, i) => ({ key: `secret-${i}`, reasons: [`trigger: a${i} -> b${i}`] })) };

        const line = summarizePlan(plan, 10_000, ["POST /purge"], true);

        assert.ok(line.length < 1_000, `line of ${line.length} characters`);
        assert.match(line, /\(trigger: a9 -> b9\); and 9,990 more; 1 request: POST \/purge$/);
    });

    it("shows a long name by its start and end in the plan line", () => {
        const name = `content/${"x".repeat(3_000)}/index.md`;
        const plan = planPurge({ scope: "s", triggers: { [name]: "1" }, targets: { [name]: "a" } }, { scope: "s", triggers: { [name]: "2" }, targets: { [name]: "a" } }, true);

        const line = summarizePlan(plan, 1, [`POST /purge/${name}`]);

        // Two names at 100 characters, the request's URL at 400 (where the purge goes reads whole up to that).
        assert.ok(line.length < 700, `line of ${line.length} characters`);
        assert.match(line, /^purge content\/x+…x+\/index\.md \(trigger content\/x+…x+\/index\.md: 1 -> 2\); 1 request: POST \/purge\/content\/x+…x+\/index\.md$/);
    });
});

describe("names check refuses", () => {
    it("a name over 4,096 bytes, by its start, naming the input and the limit", () => {
        const failures = nameProblems({ triggers: { [`a${"é".repeat(2_100)}`]: "1", ok: "2" } });

        assert.deepEqual(failures.map((f) => f.property), ["triggers"]);
        assert.match(failures[0].reason, /^triggers\["aé{39}…"\]: the name is 4,201 bytes long; a name may be at most 4,096 bytes \(UTF-8\)/);
    });

    it("a name the resource replaced because the engine could not carry it", () => {
        const props: Record<string, unknown> = { workflows: { [`build-${"x".repeat(20_000)}`]: "1" } };

        replaceLongNames(props, []);
        const failures = nameProblems(props);

        assert.ok(longestKeyBytes(props) < 100);
        assert.match(failures[0].reason, /^workflows\["build-x{34}…"\]: the name is 20,006 bytes long; a name may be at most 4,096 bytes/);
    });

    it("a too-long name in a promised map, and leaves every other input as it was", async () => {
        const triggers = { short: "1" };
        const props: Record<string, unknown> = { triggers, workflows: Promise.resolve({ ["w".repeat(MAX_NAME_BYTES + 1)]: "1" }), token: "t".repeat(20_000) };

        replaceLongNames(props, ["token"]);

        assert.equal(props.triggers, triggers);
        assert.equal(nameProblems({ workflows: await props.workflows }).length, 1);
    });

    for (const [what, name, shown, described] of [
        ["a line break", "page.md\n+ fake", "page.md\\n+ fake", "a line break"],
        ["a terminal escape", "page\u001b[31m.md", "page\\u001b[31m.md", "an escape, ESC"],
        ["a C1 line break", "page\u0085.md", "page\\u0085.md", "a line break"],
        ["a right-to-left override", "page\u202Edm.exe", "page\\u202edm.exe", "a bidirectional text control, U+202E"],
    ] as const) {
        it(`a name holding ${what}, quoted with it escaped`, () => {
            const failures = nameProblems({ triggers: { [name]: "1" } });

            assert.equal(failures.length, 1);
            assert.ok(failures[0].reason.startsWith(`triggers["${shown}"]: a name must not hold control characters (here ${described}`), failures[0].reason);
            assert.doesNotMatch(failures[0].reason, /[\u0000-\u001f\u0085\u202e]/);
        });
    }

    it("a bad name of an input that is secret as a whole without quoting it", () => {
        const failures = nameProblems({ workflows: { ok: "1", "build\nsecret-name": "2" }, __secretTargetNames: ["workflows"] });

        assert.deepEqual(failures.map((f) => f.reason.slice(0, 47)), ["workflows: the 2nd name (secret): a name must n"]);
        assert.ok(!failures[0].reason.includes("secret-name"));
    });

    it("a URL in a list of target names, and accepts ordinary names", () => {
        const failures = nameProblems({ urls: ["https://a.example/1.jpg", "https://a.example/\u001b[2J.jpg"], triggers: { "content/ünïcode.md": "1" } }, ["urls"]);

        assert.deepEqual(failures.map((f) => f.reason.slice(0, 42)), ["urls[1]: a name must not hold control char"]);
    });
});
