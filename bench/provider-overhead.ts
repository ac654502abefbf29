import fetch from "node-fetch";
import * as os from "os";
import * as path from "path";
import type { ProviderImplementation } from "../src/core/provider-implementation";
import { FlextypeEmulator } from "../src/services/flextype/emulator";
import { CachePurge } from "../src/services/flextype/resource";
import { ProviderHost } from "../test/harness/provider-host";
import { serializedProvider } from "../test/harness/serialize";
import { REPO_ROOT } from "../test/harness/workspace";
import type { Figure } from "./report";
import { describe, fixed, msSince, summarize } from "./stats";

const URN = "urn:pulumi:bench::p::pulumi-nodejs:dynamic/flextype:CachePurge::cms";
const TOKEN = "0123456789abcdef0123456789abcdef";
const ACCESS = "bench-access-token";
const GOAL = 1.2;

function cpuCount(): number {
    return os.cpus().length;
}

/** Times one purge per latency: Create through the provider host vs the bare POST, interleaved, N each. */
export async function providerOverheadFigures(runs: number): Promise<Figure[]> {
    const provider = await serializedProvider(() => new CachePurge("cms", { baseUrl: "https://cms.example.com", accessToken: ACCESS }));
    const host = await ProviderHost.start({ cwd: REPO_ROOT });
    const figures: Figure[] = [];
    try {
        await host.configure({ "cache-purge:flextypeToken": TOKEN, "cache-purge:flextypeAccessToken": ACCESS });
        for (const latencyMs of [0, 20]) {
            const emulator = await new FlextypeEmulator({ [TOKEN]: { accessToken: ACCESS } }).start();
            emulator.latencyMs = latencyMs;
            try {
                figures.push(await measure(host, provider, emulator, runs, latencyMs));
            } finally {
                await emulator.stop();
            }
        }
    } finally {
        await host.stop();
    }
    return figures;
}

async function measure(host: ProviderHost, provider: string, emulator: FlextypeEmulator, runs: number, latencyMs: number): Promise<Figure> {
    const checked = await host.check(URN, {}, { baseUrl: emulator.baseUrl, triggers: { entries: "a" }, __provider: provider });
    if (checked.failures.length > 0) {
        throw new Error(`flextype check failed: ${JSON.stringify(checked.failures)}`);
    }
    const url = `${emulator.baseUrl}/api/v1/cache/clear`;
    const bare = async () => {
        const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: TOKEN, access_token: ACCESS }) });
        await response.text();
        if (response.status !== 204) {
            throw new Error(`bare POST answered ${response.status}`);
        }
    };
    const viaHost = () => host.create(URN, checked.inputs);
    // An RPC without HTTP: Diff of unchanged inputs, through the same host and provider closure.
    const rpc = () => host.diff(URN, "cms-id", checked.inputs, checked.inputs);
    // The package's own work without the host: the built implementation's create, in this process.
    const implementation = require(path.join(REPO_ROOT, "dist", "services", "flextype", "provider.js")) as ProviderImplementation;
    (require(path.join(REPO_ROOT, "dist", "core", "progress-log.js")) as { setProgressSink: (s: () => void) => void }).setProgressSink(() => undefined);
    const localInputs = { ...checked.inputs, token: TOKEN, accessToken: ACCESS };
    const inProcess = () => implementation.create(localInputs);
    const warmUp = Math.min(20, runs);
    for (let i = 0; i < warmUp; i++) {
        await viaHost();
        await bare();
        await rpc();
        await inProcess();
    }
    const clearsBefore = emulator.clears;
    const hostMs: number[] = [];
    const bareMs: number[] = [];
    const rpcMs: number[] = [];
    const localMs: number[] = [];
    for (let i = 0; i < runs; i++) {
        let start = process.hrtime.bigint();
        await viaHost();
        hostMs.push(msSince(start));
        start = process.hrtime.bigint();
        await bare();
        bareMs.push(msSince(start));
        start = process.hrtime.bigint();
        await rpc();
        rpcMs.push(msSince(start));
        start = process.hrtime.bigint();
        await inProcess();
        localMs.push(msSince(start));
    }
    if (emulator.clears - clearsBefore !== 3 * runs) {
        throw new Error(`expected ${3 * runs} clears, the emulator counted ${emulator.clears - clearsBefore}`);
    }
    const ours = summarize(hostMs);
    const alone = summarize(bareMs);
    const call = summarize(rpcMs);
    const local = summarize(localMs);
    const ratio = ours.median / alone.median;
    const primary = latencyMs === 0;
    return {
        name: `provider overhead per purge (Flextype, emulator latency ${latencyMs} ms)`,
        goal: primary ? `≤ ${GOAL}× median` : "reported (a realistic round trip)",
        measured: `**${fixed(ratio)}×**; Create via host ${describe(ours, "ms")}; bare POST ${describe(alone, "ms")}; our create in-process (no host) ${describe(local, "ms")} = ${fixed(local.median / alone.median)}×; Diff RPC (no HTTP) ${describe(call, "ms")}`,
        met: primary ? ratio <= GOAL : undefined,
        notes: [
            `Create through the SDK's provider host over gRPC (test/harness/provider-host.ts) vs a bare node-fetch POST from the bench process to the same emulator, interleaved, ${runs} runs each after ${warmUp} warm-up runs; both on keep-alive connections.`,
            "Two decompositions in the same run: the package's own create called in the bench process on dist/ (validation already done, plan, HTTP client with retries and redaction, receipt), and a Diff RPC of unchanged inputs through the same host (the SDK host's gRPC round trip, Struct conversion and cached provider closure, no HTTP).",
            primary
                ? `What bounds it: our code adds ${fixed(local.median - alone.median)} ms to the ${fixed(alone.median)} ms request (${fixed(local.median / alone.median)}×). The rest, ${fixed(ours.median - local.median)} ms, is the engine→host hop of the SDK's dynamic-provider host: one gRPC call costs ${fixed(call.median)} ms on its own, and a Create crosses processes four times (bench→host gRPC, host→emulator HTTP, and back), each a wake-up on this ${cpuCount()}-CPU machine. Against a 0 ms server that fixed cost dominates; it is paid by every Pulumi dynamic resource, not by this package, and cannot be removed from inside the provider. Against a realistic 20 ms endpoint (next row) the same fixed cost is a small fraction.`
                : `With a 20 ms round trip, closer to a real API, the same fixed host cost gives ${fixed(ratio)}×.`,
        ],
    };
}
