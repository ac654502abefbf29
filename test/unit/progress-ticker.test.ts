import assert from "node:assert/strict";
import { ProgressTicker } from "../../src/core/progress-ticker";

describe("ProgressTicker", () => {
    function ticker(total: number, now: () => number): { ticker: ProgressTicker; lines: string[] } {
        const lines: string[] = [];
        return { ticker: new ProgressTicker({ info: (m) => lines.push(m), warn: (m) => lines.push(m) }, total, now), lines };
    }

    it("logs at each tenth of the work and once at the end", () => {
        const { ticker: t, lines } = ticker(30, () => 0);

        for (let done = 1; done <= 30; done++) {
            t.tick(done, () => `${done}/30`);
        }

        assert.deepEqual(lines, ["3/30", "6/30", "9/30", "12/30", "15/30", "18/30", "21/30", "24/30", "27/30", "30/30"]);
    });

    it("logs after 5 s without progress, and not in between", () => {
        let nowMs = 0;
        const { ticker: t, lines } = ticker(20, () => nowMs);

        t.tick(1, () => "1 of 20");
        t.tick(2, () => "2 of 20");
        t.tick(3, () => "3 of 20");
        nowMs = 5_000;
        t.tick(3, () => "still 3 of 20");
        t.tick(3, () => "again 3 of 20");

        assert.deepEqual(lines, ["2 of 20", "still 3 of 20"]);
    });
});
