import * as path from "path";
import type { ProviderImplementation } from "../src/core/provider-implementation";
import { ImageKitEmulator } from "../src/services/imagekit/emulator";
import { REPO_ROOT } from "../test/harness/workspace";
import type { Figure } from "./report";
import { describe, msSince, summarize } from "./stats";

const IK = "https://ik.imagekit.io/acme";
const URLS = 1_000;
const GOAL_MS = 5;

/**
 * `diff` of an ImageKit resource with 1,000 per-URL targets, one changed, in-process on the built
 * implementation, with the real outputs of a Create as the old state.
 */
export async function diffFigures(runs: number): Promise<Figure[]> {
    const implementation = require(path.join(REPO_ROOT, "dist", "services", "imagekit", "provider.js")) as ProviderImplementation;
    const key = `private_diff_${Math.random().toString(16).slice(2)}`;
    const emulator = await new ImageKitEmulator({ privateKey: key, monthlyQuota: 10 * URLS }).start();
    try {
        const urls = Object.fromEntries(Array.from({ length: URLS }, (_, i) => [`${IK}/img/${String(i).padStart(4, "0")}.jpg`, `h-${i}`]));
        const first = await implementation.check({}, { baseUrl: emulator.baseUrl, privateKey: key, urls });
        if (first.failures?.length) {
            throw new Error(`check failed: ${JSON.stringify(first.failures)}`);
        }
        const created = await implementation.create(first.inputs ?? {});
        const olds = created.outs as Record<string, unknown>;
        const changed = { ...urls, [`${IK}/img/0500.jpg`]: "h-changed" };
        const next = await implementation.check(first.inputs ?? {}, { baseUrl: emulator.baseUrl, privateKey: key, urls: changed });
        const news = next.inputs ?? {};
        const unchanged = (await implementation.check(first.inputs ?? {}, { baseUrl: emulator.baseUrl, privateKey: key, urls })).inputs ?? {};
        const requestsBefore = emulator.requests.length;

        const time = async (fn: () => Promise<unknown>): Promise<number[]> => {
            for (let i = 0; i < 20; i++) {
                await fn();
            }
            const values: number[] = [];
            for (let i = 0; i < runs; i++) {
                const start = process.hrtime.bigint();
                await fn();
                values.push(msSince(start));
            }
            return values;
        };
        const result = await implementation.diff(created.id, olds, news);
        const same = await implementation.diff(created.id, olds, unchanged);
        if (result.changes !== true || same.changes !== false) {
            throw new Error(`diff answered ${String(result.changes)} for one change and ${String(same.changes)} for none`);
        }
        const diffChanged = summarize(await time(() => implementation.diff(created.id, olds, news)));
        const diffSame = summarize(await time(() => implementation.diff(created.id, olds, unchanged)));
        const check = summarize(await time(() => implementation.check(first.inputs ?? {}, { baseUrl: emulator.baseUrl, privateKey: key, urls: changed })));
        const requestsDuring = emulator.requests.length - requestsBefore;
        return [
            {
                name: "`diff` of a resource with 1,000 per-URL targets, one changed",
                goal: `≤ ${GOAL_MS} ms median`,
                measured: `${describe(diffChanged, "ms", 3)}; none changed: ${describe(diffSame, "ms", 3)}; HTTP requests: ${requestsDuring}`,
                met: diffChanged.median <= GOAL_MS && requestsDuring === 0,
                notes: [
                    `In-process on dist/services/imagekit/provider.js: old outputs from a real Create of 1,000 URLs (with their per-URL hashes), new inputs from \`check\` with URL #500's hash changed; ${runs} runs after 20 warm-up runs.`,
                    `For scale, the \`check\` that computes the preview line for the same change (schema validation of 1,000 URLs, plan, summary) takes ${describe(check, "ms", 3)}; preview runs it once per resource.`,
                ],
            },
        ];
    } finally {
        await emulator.stop();
    }
}
