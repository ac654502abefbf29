/**
 * `npm run demo`: the whole product in a few minutes, without a vendor account. For each service it
 * starts that service's local emulator, and runs its example program (examples/<service>) through
 * preview -> up -> a content change -> preview -> up -> destroy, printing the plan of each step, the
 * requests the emulator received and the receipt. Exit status 0 only if every expectation held.
 *
 * No Pulumi CLI is needed: programs run with the SDK's own runner against the test engine in
 * test/harness (the same one the tests use), and state lives in a temporary folder that is removed.
 */
import * as fs from "fs";
import * as path from "path";
import { CodemagicEmulator, type Emulator, FlextypeEmulator, ImageKitEmulator, MicroStrategyEmulator, BuddyEmulator } from "../src/testing";
import { type DeploymentResult, TestEngine } from "../test/harness/test-engine";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../test/harness/workspace";

interface Stage {
    readonly emulator: Emulator;
    readonly config: Record<string, { value: string; secret?: boolean }>;
    /** Edits the content the program hashes, in the temporary copy. */
    readonly change: () => void;
    /** What the change should purge, as the preview line names it. */
    readonly expectInPlan: RegExp;
}

interface Scenario {
    readonly service: string;
    readonly project: string;
    readonly setUp: (dir: string) => Promise<Stage>;
}

const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
};

const scenarios: Scenario[] = [
    {
        service: "flextype",
        project: "flextype-cache-purge",
        async setUp(dir) {
            const emulator = await new FlextypeEmulator({ demotoken0123456789abcdef01234567: { accessToken: "demo-access-token" } }).start();
            write(path.join(dir, "content", "home.md"), "title: Home\n");
            return {
                emulator,
                config: {
                    "flextype-cache-purge:baseUrl": { value: emulator.baseUrl },
                    "flextype-cache-purge:contentDir": { value: path.join(dir, "content") },
                    "cache-purge:flextypeToken": { value: "demotoken0123456789abcdef01234567", secret: true },
                    "cache-purge:flextypeAccessToken": { value: "demo-access-token", secret: true },
                },
                change: () => write(path.join(dir, "content", "home.md"), "title: Home, edited\n"),
                expectInPlan: /trigger entries: /,
            };
        },
    },
    {
        service: "codemagic",
        project: "codemagic-cache-purge",
        async setUp(dir) {
            const emulator = await new CodemagicEmulator().start();
            const app = "60ddd0b747960e00124747cb";
            emulator.addToken("demo-codemagic-token");
            emulator.deletionDelayMs = 300;
            const seed = () => emulator.addApp(app, [{ workflowId: "build-ipa", size: 127_793_163 }, { workflowId: "build-apk", size: 59_377_366 }]);
            seed();
            write(path.join(dir, "Podfile.lock"), "PODS:\n  - Flutter (1.0.0)\n");
            write(path.join(dir, "gradle.lockfile"), "androidx.core:core:1.13.1\n");
            return {
                emulator,
                config: {
                    "codemagic-cache-purge:baseUrl": { value: emulator.baseUrl },
                    "codemagic-cache-purge:appId": { value: app },
                    "codemagic-cache-purge:iosLockfile": { value: path.join(dir, "Podfile.lock") },
                    "codemagic-cache-purge:androidLockfile": { value: path.join(dir, "gradle.lockfile") },
                    "cache-purge:codemagicToken": { value: "demo-codemagic-token", secret: true },
                },
                // CI builds made new caches since the first purge; then the iOS lockfile changes.
                change: () => {
                    seed();
                    write(path.join(dir, "Podfile.lock"), "PODS:\n  - Flutter (1.0.0)\n  - Firebase (11.0.0)\n");
                },
                expectInPlan: /^purge 1 of 2 targets: build-ipa \(trigger: /,
            };
        },
    },
    {
        service: "microstrategy",
        project: "microstrategy-cache-purge",
        async setUp() {
            const emulator = await new MicroStrategyEmulator({
                users: { admin: "demo-password" },
                projects: [{ id: "B7CA92F04B9FAE8D941C3E9B7E0CD754", name: "MicroStrategy Tutorial" }],
            }).start();
            const config: Stage["config"] = {
                "microstrategy-cache-purge:baseUrl": { value: emulator.baseUrl },
                "microstrategy-cache-purge:projectName": { value: "MicroStrategy Tutorial" },
                "microstrategy-cache-purge:schemaHash": { value: "5c4e1a0f9b2d7e63aa01" },
                "microstrategy-cache-purge:dataHash": { value: "d1a7f00c3b9e4e21bb02" },
                "cache-purge:microstrategyUsername": { value: "admin" },
                "cache-purge:microstrategyPassword": { value: "demo-password", secret: true },
            };
            return {
                emulator,
                config,
                change: () => {
                    config["microstrategy-cache-purge:schemaHash"] = { value: "77e0b1c2d3f4a5b6c7d8" };
                },
                expectInPlan: /^purge 1 of 2 targets: object \(trigger: /,
            };
        },
    },
    {
        service: "buddy",
        project: "buddy-cache-purge",
        async setUp(dir) {
            const emulator = await new BuddyEmulator({
                tokens: { "demo-buddy-token": { scopes: ["EXECUTION_MANAGE"] } },
                workspaces: { acme: { projects: { shop: [
                    { id: 101, name: "Build web", last_execution_status: "SUCCESSFUL" },
                    { id: 102, name: "Build api", last_execution_status: "FAILED" },
                ] } } },
            }).start();
            write(path.join(dir, "web.lock"), "react 19.0.0\n");
            write(path.join(dir, "api.lock"), "express 5.0.0\n");
            return {
                emulator,
                config: {
                    "buddy-cache-purge:baseUrl": { value: emulator.baseUrl },
                    "buddy-cache-purge:workspace": { value: "acme" },
                    "buddy-cache-purge:project": { value: "shop" },
                    "buddy-cache-purge:webLockfile": { value: path.join(dir, "web.lock") },
                    "buddy-cache-purge:apiLockfile": { value: path.join(dir, "api.lock") },
                    "buddy-cache-purge:webPipelineId": { value: "101" },
                    "buddy-cache-purge:apiPipelineId": { value: "102" },
                    "cache-purge:buddyToken": { value: "demo-buddy-token", secret: true },
                },
                change: () => write(path.join(dir, "api.lock"), "express 5.1.0\n"),
                expectInPlan: /^purge 1 of 2 targets: pipeline 102 \(trigger: /,
            };
        },
    },
    {
        service: "imagekit",
        project: "imagekit-cache-purge",
        async setUp(dir) {
            const emulator = await new ImageKitEmulator({ privateKey: "private_demo_key" }).start();
            for (const name of ["hero.svg", "logo.svg", "team.svg"]) {
                write(path.join(dir, "images", name), `<svg><title>${name}</title></svg>\n`);
            }
            return {
                emulator,
                config: {
                    "imagekit-cache-purge:baseUrl": { value: emulator.baseUrl },
                    "imagekit-cache-purge:urlBase": { value: "https://ik.imagekit.io/acme/img" },
                    "imagekit-cache-purge:imagesDir": { value: path.join(dir, "images") },
                    "imagekit-cache-purge:wait": { value: "true" },
                    "cache-purge:imagekitPrivateKey": { value: "private_demo_key", secret: true },
                },
                change: () => write(path.join(dir, "images", "logo.svg"), "<svg><title>new logo</title></svg>\n"),
                expectInPlan: /^purge 1 of 3 targets: https:\/\/ik\.imagekit\.io\/acme\/img\/logo\.svg \(trigger: /,
            };
        },
    },
];

interface Row { service: string; steps: string[]; ok: boolean; problems: string[] }

async function runScenario(scenario: Scenario): Promise<Row> {
    const work = tempDir(`demo-${scenario.service}`);
    const stage = await scenario.setUp(work.dir);
    const problems: string[] = [];
    const steps: string[] = [];
    const engine = () => new TestEngine({
        programDir: path.join(REPO_ROOT, "examples", scenario.service),
        project: scenario.project,
        stack: "demo",
        stateFile: path.join(work.dir, "state.json"),
        config: stage.config,
    });
    const step = async (label: string, action: (e: TestEngine) => Promise<DeploymentResult>, expect: (r: DeploymentResult, requests: number) => string | undefined) => {
        const before = stage.emulator.requests.length;
        const result = await action(engine());
        const received = stage.emulator.requests.slice(before);
        console.log(`\n  ${label}: ${result.ok ? "ok" : "FAILED"}`);
        for (const s of result.steps) {
            console.log(`    ${s.op.padEnd(6)} ${s.name}${s.purgePlan ? `  purgePlan: ${s.purgePlan}` : ""}`);
        }
        for (const r of received) {
            console.log(`    -> ${r.method} ${r.path}`);
        }
        for (const e of result.errors) {
            console.log(`    error: ${e}`);
        }
        const receipt = result.outputs.receipt as { targets?: string[]; requests?: number; completion?: string } | null | undefined;
        if (label.startsWith("up") && receipt) {
            console.log(`    receipt: ${receipt.targets?.join(", ")}; ${receipt.requests} request(s); completion ${receipt.completion}`);
        }
        const problem = result.ok ? expect(result, received.length) : `${label} failed: ${result.errors.join("; ")}`;
        if (problem) {
            problems.push(problem);
        }
        steps.push(`${received.length}`);
    };

    console.log(`\n=== ${scenario.service} (examples/${scenario.service}, emulator at ${stage.emulator.baseUrl})`);
    try {
        await step("preview", (e) => e.preview(), (_r, n) => (n === 0 ? undefined : `preview made ${n} requests`));
        await step("up", (e) => e.up(), (_r, n) => (n > 0 ? undefined : "the first up made no request"));
        stage.change();
        await step("preview after a change", (e) => e.preview(), (r, n) => n !== 0 ? `preview made ${n} requests`
            : stage.expectInPlan.test(r.steps.find((s) => s.op === "update")?.purgePlan ?? "") ? undefined
                : `the preview line does not match ${stage.expectInPlan}: ${r.steps.map((s) => s.purgePlan).join(" | ")}`);
        await step("up after the change", (e) => e.up(), (_r, n) => (n > 0 ? undefined : "the second up made no request"));
        await step("destroy", (e) => e.destroy(), (_r, n) => (n === 0 ? undefined : `destroy made ${n} requests without purgeOnDelete`));
    } finally {
        await stage.emulator.stop();
        work.remove();
    }
    return { service: scenario.service, steps, ok: problems.length === 0, problems };
}

async function main(): Promise<void> {
    linkPackageIntoNodeModules();
    console.log("pulumi-cache-purge demo: no `pulumi` binary is used; each example runs with the SDK's program runner");
    console.log("against the test engine in test/harness, and each service's API is a local emulator.");
    const rows: Row[] = [];
    for (const scenario of scenarios) {
        rows.push(await runScenario(scenario));
    }
    console.log("\nrequests received by each emulator, per step:\n");
    console.log("  service        preview  up  preview(changed)  up  destroy  result");
    for (const row of rows) {
        const [p1, u1, p2, u2, d] = row.steps.map((s) => s.padStart(2));
        console.log(`  ${row.service.padEnd(14)} ${p1.padStart(7)}  ${u1}  ${p2.padStart(16)}  ${u2}  ${d.padStart(7)}  ${row.ok ? "ok" : "FAILED"}`);
        for (const problem of row.problems) {
            console.log(`    ${problem}`);
        }
    }
    process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
