import assert from "node:assert/strict";
import { PENDING } from "../../src/core/plan";
import type { Fault } from "../../src/testing/emulator";
import type { Props } from "../harness/sdk";
import type { DeploymentResult, TestEngine } from "../harness/test-engine";
import { linkPackageIntoNodeModules, tempDir } from "../harness/workspace";

/**
 * What the nothing-lost cases share (nothing-lost.test.ts, a failed up; nothing-lost-half-way.test.ts, a
 * batch failed half-way): each case's workspace and emulator, the state checks, and the tally.
 */

/** Default maxRetries is 4: five 500s outlast every attempt of one request. */
export const BEYOND_RETRIES: readonly Fault[] = Array.from({ length: 5 }, () => ({ status: 500, body: JSON.stringify({ error: "Internal server error" }) }));

/** Tallies for the README's reliability section. */
export const tally = { failedUps: 0, recoveredUps: 0, targetsLost: 0, targetsPurgedTwice: 0 };

/** What the state says was purged last: the scope, triggers and each target's hash. */
export function purged(stack: TestEngine): Props {
    const resources = stack.state.read().filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    assert.equal(resources.length, 1, "one purge resource in the state");
    return resources[0].outputs.purged as Props;
}

/** The targets the state says are still owed, marked PENDING (the outputs name only those). */
export function targets(stack: TestEngine): Record<string, string> {
    return Object.fromEntries(((purged(stack).pending ?? []) as string[]).map((key) => [key, PENDING]));
}

export function ok(result: DeploymentResult): void {
    assert.equal(result.ok, true, `${result.errors.join("\n")}\n${result.output}`);
}

/** Counts what the next up purged against what was owed: each owed target once, nothing else. */
export function settle(owed: readonly string[], purgedOnRetry: readonly string[]): void {
    tally.targetsLost += owed.filter((t) => !purgedOnRetry.includes(t)).length;
    tally.targetsPurgedTwice += purgedOnRetry.length - new Set(purgedOnRetry).size + purgedOnRetry.filter((t) => !owed.includes(t)).length;
}

export const LEFT_OVER = "left over from a failed purge";

/** The reasons of the purge an up ran, from its `receipt` stack output (unwrapped if the SDK marked it secret). */
export function receiptReasons(result: DeploymentResult): Props {
    const raw = result.outputs.receipt;
    const receipt = (raw !== null && typeof raw === "object" && "4dabf18193072939515e22adb298388d" in raw ? (raw as unknown as { value: unknown }).value : raw) as Props;
    // The receipt groups targets by reason; tests compare per target.
    return Object.fromEntries((receipt.reasons as { why: string; targets: string[] }[]).flatMap(({ why, targets }) => targets.map((key) => [key, [why]])));
}

/** Counts one failed up that the next up recovered, and what that up purged against what was owed. */
export function recovered(owed: readonly string[], purgedOnRetry: readonly string[]): void {
    tally.failedUps++;
    tally.recoveredUps++;
    settle(owed, purgedOnRetry);
}

/**
 * After a content change: previews the owed purge, makes `inject` fail it, ups, and checks that the
 * failed up left the state's recorded purge and the next preview's plan as they were; then ups again,
 * the server healthy. Returns the failed up, the owed plan, and what `purgedSoFar` gained on the retry.
 */
export async function failThenRecover(stack: TestEngine, inject: () => void, purgedSoFar: () => readonly string[]): Promise<{
    failed: DeploymentResult; owedPlan: string | undefined; retried: string[];
}> {
    const before = purged(stack);
    const owedPlan = (await stack.preview()).steps[0].purgePlan;
    inject();
    const failed = await stack.up();
    assert.equal(failed.ok, false, "the up with the failing purge failed");
    assert.deepEqual(purged(stack), before, "the failed up left the recorded purge as it was");
    assert.equal((await stack.preview()).steps[0].purgePlan, owedPlan, "the next preview plans what the failed up owed");
    const done = purgedSoFar().length;
    ok(await stack.up());
    return { failed, owedPlan, retried: purgedSoFar().slice(done) };
}

/**
 * Ups with a batch set to fail half-way, then, the server healthy, ups again. Returns the failed up, what
 * was purged before it stopped, the targets the state marks owed, the retry's receipt reasons, and what
 * `purgedSoFar` gained on the retry.
 */
export async function halfWayThenRecover(stack: TestEngine, purgedSoFar: () => readonly string[]): Promise<{
    failed: DeploymentResult; halfWay: string[]; owed: string[]; reasons: Props; retried: string[];
}> {
    const failed = await stack.up();
    assert.equal(failed.ok, false, "the up with the failing batch failed");
    const halfWay = [...purgedSoFar()];
    const recorded = targets(stack);
    assert.deepEqual((await stack.preview()).steps.map((step) => step.op), ["update"]);
    const retried = await stack.up();
    ok(retried);
    return { failed, halfWay, owed: Object.keys(recorded).filter((k) => recorded[k] === PENDING), reasons: receiptReasons(retried), retried: purgedSoFar().slice(halfWay.length) };
}

// Registered here, at the root, once however many files import this: both files add to one tally, and the
// README's reliability figures are its single line.
after(() => {
    console.log(`      nothing lost: ${tally.failedUps} failed ups, ${tally.recoveredUps} recovered, `
        + `${tally.targetsLost} targets lost, ${tally.targetsPurgedTwice} purged more than owed`);
});

/** A case's run: its own workspace, and the emulator to stop after it. */
export interface CaseRun {
    readonly dir: string;
    stop: (() => Promise<void>) | undefined;
}

/** Called in a file's describe: a fresh workspace for each case, removed with its emulator after it. */
export function eachCaseInItsOwnWorkspace(): CaseRun {
    let workspace: { dir: string; remove: () => void } | undefined;
    const run = {
        get dir(): string {
            assert.ok(workspace, "a case's workspace exists only while the case runs");
            return workspace.dir;
        },
        stop: undefined as (() => Promise<void>) | undefined,
    };

    before(linkPackageIntoNodeModules);

    beforeEach(() => {
        workspace = tempDir("nothing-lost");
    });

    afterEach(async () => {
        await run.stop?.();
        run.stop = undefined;
        workspace?.remove();
        workspace = undefined;
    });

    return run;
}
