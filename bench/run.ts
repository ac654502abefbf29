import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { linkPackageIntoNodeModules, REPO_ROOT } from "../test/harness/workspace";
import { commandFigures } from "./against-command";
import { noOpDeployFigures } from "./no-op-deploy";
import { coldStartFigures } from "./cold-start";
import { diffFigures } from "./diff";
import { firstResourceTimeFigures } from "./first-resource";
import { imagekitBatchFigures } from "./imagekit-batch";
import { imagekitManyFigures } from "./imagekit-many";
import { imagekitScaleFigures } from "./imagekit-scale";
import { largePreviewFigures } from "./large-preview";
import { previewFigures } from "./preview";
import { programScaleFigures } from "./program-scale";
import { cliProgramScaleFigures } from "./program-scale-cli";
import { providerOverheadFigures } from "./provider-overhead";
import { providerSizeFigures } from "./provider-size";
import { type Figure, renderReport } from "./report";

/**
 * `npm run bench`: measures every figure of BENCHMARKS.md side by side with its alternative, in one run,
 * and writes the report. Run counts can be lowered for a quick look with BENCH_QUICK=1. The
 * `@pulumi/command` baseline runs when a `pulumi-resource-command` is on PATH or named by
 * PULUMI_RESOURCE_COMMAND (bench/against-command.ts says how to build one); otherwise it is reported as
 * skipped, with the reason.
 */
async function main(): Promise<void> {
    const quick = process.env.BENCH_QUICK === "1";
    const started = Date.now();
    linkPackageIntoNodeModules();
    const figures: Figure[] = [];
    // BENCH_ONLY=<text>[|<text>…] runs the steps whose name holds one of them, and writes their figures to
    // bench/partial.md: BENCHMARKS.md is only ever the whole run.
    const only = process.env.BENCH_ONLY;
    const step = async (name: string, run: () => Promise<Figure[]> | Figure[]) => {
        if (only && !only.split("|").some((part) => name.includes(part))) {
            return;
        }
        const t = Date.now();
        process.stdout.write(`${name}…\n`);
        const result = await run();
        figures.push(...result);
        for (const f of result) {
            process.stdout.write(`  ${f.name}: ${f.measured.replace(/\*\*/g, "")} [${f.met === undefined ? "reported" : f.met ? "met" : "MISSED"}]\n`);
        }
        process.stdout.write(`  (${((Date.now() - t) / 1000).toFixed(1)} s)\n`);
    };
    await step("__provider size", providerSizeFigures);
    await step("Create, Check and Diff through the host, vs the naive provider", () => providerOverheadFigures(quick ? 30 : 200));
    await step("program preview and up, vs the naive provider", () => programScaleFigures(quick ? [1, 10, 100] : [1, 10, 100, 300], quick ? 1 : 3));
    await step("program preview and up under the real pulumi CLI, vs the naive provider", () => cliProgramScaleFigures(quick ? [1, 10, 100] : [1, 10, 100, 300], quick ? 1 : 3));
    await step("new stacks: the dynamic resources and the provider plugin vs @pulumi/command + curl, under the real pulumi CLI", () => commandFigures(quick ? [1, 10] : [1, 10, 100], quick ? 1 : 3));
    await step("new stacks of ImageKit resources × 10 URLs: the dynamic resources and the provider plugin vs the naive provider and @pulumi/command + curl, under the real pulumi CLI", () => imagekitManyFigures(quick ? 10 : 100, quick ? 1 : 3));
    await step("where the first resource's time goes, under the real pulumi CLI", () => firstResourceTimeFigures(quick ? 1 : 3));
    await step("no-op deploys under the real pulumi CLI", () => noOpDeployFigures(quick ? [30] : [30, 100, 300], quick ? 1 : 3));
    await step("preview of one ImageKit resource of 10,000 URLs after one changed, vs @pulumi/command + curl and the naive dynamic provider, under the real pulumi CLI", () => largePreviewFigures(quick ? 1_000 : 10_000, quick ? 1 : 3));
    await step("one ImageKit resource at 1k / 10k / 50k URLs", () => imagekitScaleFigures(quick ? [1_000, 10_000] : [1_000, 10_000, 50_000], quick ? 1 : 3));
    await step("1,000 ImageKit URLs", () => imagekitBatchFigures(quick ? 1 : 5, quick ? 1 : 3));
    await step("preview requests", previewFigures);
    await step("diff of 1,000 targets", () => diffFigures(quick ? 50 : 500));
    await step("cold start", () => coldStartFigures(quick ? 3 : 10));

    const pulumiVersion = (JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version;
    const cpus = os.cpus();
    const report = renderReport({
        os: `${os.type()} ${os.release()} (${os.arch()})`,
        cpu: cpus[0]?.model ?? "unknown",
        cpus: cpus.length,
        memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
        node: process.version,
        pulumi: pulumiVersion,
    }, `${only ? `BENCH_ONLY="${only}" ` : ""}${quick ? "BENCH_QUICK=1 " : ""}npm run bench`, figures, (Date.now() - started) / 1000, new Date());
    const written = only ? path.join("bench", "partial.md") : "BENCHMARKS.md";
    fs.writeFileSync(path.join(REPO_ROOT, written), report);
    process.stdout.write(`wrote ${written} (${figures.filter((f) => f.met === false).length} goal(s) missed)\n`);
}

main().then(() => process.exit(0), (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
});
