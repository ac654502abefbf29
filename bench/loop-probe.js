// Preloaded into the provider host by bench/imagekit-scale.ts (NODE_OPTIONS=--require): on SIGUSR2 it
// writes the event-loop delay histogram since the last signal to BENCH_LOOP_FILE, then resets it.
"use strict";
const fs = require("fs");
const { monitorEventLoopDelay } = require("perf_hooks");
const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
let seq = 0;
process.on("SIGUSR2", () => {
    seq++;
    const report = { seq, maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, rssMb: process.memoryUsage().rss / 2 ** 20 };
    histogram.reset();
    fs.writeFileSync(process.env.BENCH_LOOP_FILE, JSON.stringify(report));
});
