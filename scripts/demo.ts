/**
 * `npm run demo`: the whole product in a few minutes, without a vendor account.
 *
 * It starts the five service emulators from `pulumi-cache-purge/testing` on loopback, copies
 * examples/all's content to a temporary folder, and runs examples/all (one program with a purge for
 * every service) through preview -> up -> a content change -> preview -> up -> destroy. It prints each
 * step's plan, the requests each emulator received and the receipts, then a summary table. The exit
 * status is 0 only if every expectation held. Nothing is left running or behind.
 *
 * Programs run with the SDK's own runner against the test engine in test/harness (the same one the tests
 * use): no `pulumi` binary is needed.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BuddyEmulator, CodemagicEmulator, type Emulator, FlextypeEmulator, ImageKitEmulator, MicroStrategyEmulator } from "../src/testing";
import { type DeploymentResult, type StackOptions, TestEngine } from "../test/harness/test-engine";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../test/harness/workspace";

const EXAMPLE = path.join(REPO_ROOT, "examples", "all");
const APP = "60ddd0b747960e00124747cb";

interface Service {
    readonly name: string;
    /** The resource in examples/all that purges this service. */
    readonly resource: string;
    readonly emulator: Emulator;
    /** What the content change must make the preview say for this resource. */
    readonly expectAfterChange: RegExp;
}

async function startServices(): Promise<{ services: Service[]; config: StackOptions["config"]; reseed: () => void }> {
    const flextype = await new FlextypeEmulator({ d3m0t0k3n0123456789abcdef0123456: { accessToken: "demo-access-token" } }).start();
    const imagekit = await new ImageKitEmulator({ privateKey: "private_demo_key" }).start();
    const codemagic = await new CodemagicEmulator().start();
    codemagic.addToken("demo-codemagic-token");
    const reseed = () => codemagic.addApp(APP, [{ workflowId: "build-ipa", size: 127_793_163 }, { workflowId: "build-apk", size: 59_377_366 }]);
    reseed();
    const microstrategy = await new MicroStrategyEmulator({
        users: { admin: "demo-password" },
        projects: [{ id: "B7CA92F04B9FAE8D941C3E9B7E0CD754", name: "MicroStrategy Tutorial" }],
    }).start();
    const buddy = await new BuddyEmulator({
        tokens: { "demo-buddy-token": { scopes: ["EXECUTION_MANAGE"] } },
        workspaces: { acme: { projects: { shop: [{ id: 101, name: "Build web", last_execution_status: "SUCCESSFUL" }] } } },
    }).start();
    const services: Service[] = [
        { name: "flextype", resource: "cms", emulator: flextype, expectAfterChange: /^purge cache \(trigger content: / },
        { name: "imagekit", resource: "images", emulator: imagekit, expectAfterChange: /^purge 1 of 2 targets: https:\/\/ik\.imagekit\.io\/acme\/img\/logo\.svg \(trigger: / },
        { name: "codemagic", resource: "mobile", emulator: codemagic, expectAfterChange: /^purge 1 of 2 targets: build-ipa \(trigger: / },
        { name: "microstrategy", resource: "bi", emulator: microstrategy, expectAfterChange: /^purge 2 of 2 targets: element, object \(trigger: / },
        { name: "buddy", resource: "ci", emulator: buddy, expectAfterChange: /^purge pipeline 101 \(trigger: / },
    ];
    const config = {
        "all-cache-purges:flextypeUrl": { value: flextype.baseUrl },
        "all-cache-purges:imagekitUrl": { value: imagekit.baseUrl },
        "all-cache-purges:codemagicUrl": { value: codemagic.baseUrl },
        "all-cache-purges:microstrategyUrl": { value: microstrategy.baseUrl },
        "all-cache-purges:buddyUrl": { value: buddy.baseUrl },
        "cache-purge:flextypeToken": { value: "d3m0t0k3n0123456789abcdef0123456", secret: true },
        "cache-purge:flextypeAccessToken": { value: "demo-access-token", secret: true },
        "cache-purge:imagekitPrivateKey": { value: "private_demo_key", secret: true },
        "cache-purge:codemagicToken": { value: "demo-codemagic-token", secret: true },
        "cache-purge:microstrategyUsername": { value: "admin" },
        "cache-purge:microstrategyPassword": { value: "demo-password", secret: true },
        "cache-purge:buddyToken": { value: "demo-buddy-token", secret: true },
    };
    return { services, config, reseed };
}

/** Edits one input of every service, in the temporary copy: the repository is never touched. */
function changeContent(site: string): void {
    fs.appendFileSync(path.join(site, "content", "home.md"), "subtitle: Now with news\n");
    fs.writeFileSync(path.join(site, "img", "logo.svg"), "<svg><title>new logo</title></svg>\n");
    fs.appendFileSync(path.join(site, "ios", "Podfile.lock"), "  - Firebase (11.0.0)\n");
    fs.appendFileSync(path.join(site, "api", "schema.sql"), "ALTER TABLE orders ADD COLUMN currency CHAR(3);\n");
    fs.writeFileSync(path.join(site, "web", "package-lock.json"), "{ \"lockfileVersion\": 3, \"packages\": { \"node_modules/react\": { \"version\": \"19.1.0\" } } }\n");
}

function pulumiOnPath(): string | undefined {
    try {
        return execFileSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" }).trim() || undefined;
    } catch {
        return undefined;
    }
}

async function main(): Promise<void> {
    linkPackageIntoNodeModules();
    const cli = pulumiOnPath();
    console.log("pulumi-cache-purge demo: examples/all, one program with a purge for each of five services.");
    console.log(cli
        ? `A pulumi binary is on PATH (${cli}), but this demo drives the SDK's program runner and the test engine in test/harness, so it needs no login or backend.`
        : "No pulumi binary on PATH: programs run with the SDK's own runner against the test engine in test/harness.");

    const work = tempDir("cache-purge-demo");
    const site = path.join(work.dir, "site");
    fs.cpSync(path.join(EXAMPLE, "site"), site, { recursive: true });
    const { services, config, reseed } = await startServices();
    const engine = new TestEngine({
        programDir: EXAMPLE, project: "all-cache-purges", stack: "demo",
        stateFile: path.join(work.dir, "state.json"),
        config: { ...config, "all-cache-purges:siteDir": { value: site } },
    });

    const counts = new Map<string, number[]>(services.map((s) => [s.name, []]));
    const problems: string[] = [];
    const step = async (label: string, run: () => Promise<DeploymentResult>, check: (s: Service, r: DeploymentResult, requests: number) => string | undefined) => {
        const before = services.map((s) => s.emulator.requests.length);
        const result = await run();
        console.log(`\n== ${label}: ${result.ok ? "ok" : "FAILED"}`);
        for (const e of result.errors) {
            console.log(`   error: ${e}`);
            problems.push(`${label}: ${e}`);
        }
        services.forEach((service, i) => {
            const received = service.emulator.requests.slice(before[i]);
            counts.get(service.name)!.push(received.length);
            const resourceStep = result.steps.find((st) => st.name === service.resource);
            console.log(`   ${service.name.padEnd(14)} ${resourceStep ? `${resourceStep.op.padEnd(6)} ${resourceStep.purgePlan ?? ""}` : "(no step)"}`);
            for (const r of received) {
                console.log(`   ${"".padEnd(14)} -> ${r.method} ${r.path}`);
            }
            const problem = check(service, result, received.length);
            if (problem) {
                problems.push(`${label}, ${service.name}: ${problem}`);
            }
        });
        const receipts = result.outputs.receipts as Record<string, { targets?: string[] | "all"; count?: number; requests?: number; completion?: string } | null> | undefined;
        if (label.startsWith("up") && receipts) {
            console.log("   receipts:");
            for (const [name, receipt] of Object.entries(receipts)) {
                console.log(`     ${name.padEnd(7)} ${receipt ? `${receipt.targets === "all" ? `all ${receipt.count ?? ""} target(s)` : receipt.targets?.join(", ")}; ${receipt.requests} request(s); ${receipt.completion}` : "(nothing purged)"}`);
            }
        }
    };

    try {
        const noRequests = (_s: Service, _r: DeploymentResult, n: number) => (n === 0 ? undefined : `${n} requests, expected none`);
        const someRequests = (_s: Service, _r: DeploymentResult, n: number) => (n > 0 ? undefined : "no request, expected a purge");
        await step("preview", () => engine.preview(), noRequests);
        await step("up", () => engine.up(), someRequests);
        changeContent(site);
        // CI builds made new caches since the first purge.
        reseed();
        console.log("\n== content changed: home.md, logo.svg, Podfile.lock, schema.sql, web/package-lock.json");
        await step("preview after the change", () => engine.preview(), (s, r, n) => {
            const plan = r.steps.find((st) => st.name === s.resource)?.purgePlan ?? "";
            return n !== 0 ? `${n} requests, expected none` : s.expectAfterChange.test(plan) ? undefined : `plan "${plan}" does not match ${s.expectAfterChange}`;
        });
        await step("up after the change", () => engine.up(), someRequests);
        await step("destroy", () => engine.destroy(), noRequests);
    } finally {
        await Promise.all(services.map((s) => s.emulator.stop()));
        work.remove();
    }

    console.log("\nrequests each emulator received, per step:\n");
    console.log("  service        preview  up  preview(changed)  up  destroy");
    for (const [name, n] of counts) {
        console.log(`  ${name.padEnd(14)} ${String(n[0]).padStart(7)}  ${String(n[1]).padStart(2)}  ${String(n[2]).padStart(16)}  ${String(n[3]).padStart(2)}  ${String(n[4]).padStart(7)}`);
    }
    console.log(problems.length === 0 ? "\nevery expectation held" : `\n${problems.length} expectation(s) failed:\n  ${problems.join("\n  ")}`);
    process.exitCode = problems.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
