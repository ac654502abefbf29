import assert from "node:assert/strict";
import { RateGate } from "../../src/core/http/rate-gate";

/** Fails when more than `limit` of these start times (ms) fall within any `intervalMs`. */
function assertNoWindowOverfull(starts: readonly number[], limit: number, intervalMs: number): void {
    for (const start of starts) {
        const inWindow = starts.filter((s) => s >= start && s < start + intervalMs).length;
        assert.ok(inWindow <= limit, `${inWindow} starts within ${intervalMs} ms of ${start}: ${starts.join(", ")}`);
    }
}

describe("RateGate", () => {
    it("lets one request go before the first response has told the limits, then allows its concurrency", async () => {
        const gate = new RateGate(4);
        const order: string[] = [];

        await gate.acquire(() => undefined);
        order.push("first started");
        const second = gate.acquire(() => undefined).then(() => order.push("second started"));
        await new Promise((r) => setTimeout(r, 20));
        order.push("first answered");
        gate.observe({});
        gate.release();
        await second;

        assert.deepEqual(order, ["first started", "first answered", "second started"]);
    });

    it("remembers a bounded number of starts while the service publishes no limit", async () => {
        const gate = new RateGate(1);

        for (let i = 0; i < 25_000; i++) {
            await gate.acquire(() => undefined);
            gate.observe({});
            gate.release();
        }

        // White box: the one list that grows per request; before the cut it held all 25,000 for the life of the process.
        const remembered = (gate as unknown as { starts: number[] }).starts.length;
        assert.ok(remembered <= 20_000, `${remembered} starts remembered`);
    });

    it("never starts more than the limit within one interval", async () => {
        const gate = new RateGate(8);
        gate.observe({ limit: 5, intervalMs: 200 });
        const starts: number[] = [];
        const t0 = Date.now();

        await Promise.all(Array.from({ length: 12 }, async () => {
            await gate.acquire(() => undefined);
            starts.push(Date.now() - t0);
            gate.release();
        }));

        assertNoWindowOverfull(starts, 5, 200);
    });

    it("still never starts more than the limit within one interval when the clock steps back mid-batch", async () => {
        // The gate's clock steps back 150 ms after the sixth start, as a clock set back by NTP would.
        let offsetMs = 0;
        const gate = new RateGate(8, () => Date.now() - offsetMs);
        gate.observe({ limit: 5, intervalMs: 200 });
        const starts: number[] = [];
        const t0 = Date.now();

        await Promise.all(Array.from({ length: 16 }, async () => {
            await gate.acquire(() => undefined);
            starts.push(Date.now() - t0);
            if (starts.length === 6) {
                offsetMs = 150;
            }
            gate.release();
        }));

        assert.equal(starts.length, 16);
        assertNoWindowOverfull(starts, 5, 200);
    });

    it("keeps the starts it remembers in order when the clock steps back before any limit is published", async () => {
        let offsetMs = 0;
        const gate = new RateGate(1, () => Date.now() - offsetMs);
        for (let i = 0; i < 6; i++) {
            await gate.acquire(() => undefined);
            gate.observe({});
            gate.release();
            offsetMs = i === 2 ? 5_000 : offsetMs;
        }

        // White box: the gate counts starts by binary search, which needs them sorted whatever its clock did.
        const remembered = (gate as unknown as { starts: number[] }).starts;
        assert.equal(remembered.length, 6);
        assert.deepEqual(remembered, [...remembered].sort((x, y) => x - y));
    });
});
