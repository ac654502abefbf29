/**
 * `npm run demo`: the whole product in a few minutes, without a vendor account.
 *
 * It starts the nine service emulators from `pulumi-cache-purge/testing` on loopback, copies
 * examples/all's content to a temporary folder, and runs examples/all (one program with a purge for
 * every service) through preview -> up -> a content change -> preview -> up -> destroy. It prints each
 * step in one line per resource (what it will purge, or what it purged and how sure that is), the
 * progress lines of the purges that wait, then a table of the requests each emulator received. The exit
 * status is 0 only if every expectation held. Nothing is left running or behind.
 *
 * It runs under the real `pulumi` CLI with a local file backend in a temporary folder: the `pulumi` on
 * PATH when it is 3.139 or later, with the Node.js language host it ships; else one built from source
 * by scripts/pulumi-cli.sh where Go is installed (a few minutes the first time, then reused). Where
 * neither is possible, programs run with the SDK's own runner against the test engine in test/harness.
 * It prints which one it used.
 */
import * as fs from "fs";
import * as path from "path";
import {
    BuddyEmulator, CloudflareEmulator, CloudFrontEmulator, CodemagicEmulator, type Emulator, FastlyEmulator, FlextypeEmulator, ImageKitEmulator, MicroStrategyEmulator,
} from "../src/testing";
import { cliDeployment } from "../test/harness/cli-deployment";
import { AppWebhookEmulator } from "../test/services/http-vendors";
import { CliStack, pulumiCli } from "../test/harness/pulumi-cli";
import { type DeploymentResult, type StackOptions, TestEngine } from "../test/harness/test-engine";
import { linkPackageIntoNodeModules, REPO_ROOT, tempDir } from "../test/harness/workspace";
import { installedLabel, installedPulumi } from "./installed-pulumi";

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
    const cloudfront = await new CloudFrontEmulator({ accounts: { AKIADEMOEXAMPLE00000: "demo-aws-secret-key" }, distributions: ["E2QWRUHEXAMPLE"] }).start();
    const cloudflare = await new CloudflareEmulator({ tokens: { "demo-cloudflare-token": "*" }, zones: "*" }).start();
    const fastly = await new FastlyEmulator({ tokens: { "demo-fastly-token": { scopes: ["purge_select"] } }, services: "*" }).start();
    const app = await new AppWebhookEmulator("demo-app-token").start();
    const services: Service[] = [
        { name: "flextype", resource: "cms", emulator: flextype, expectAfterChange: /^purge cache \(trigger content: / },
        { name: "imagekit", resource: "images", emulator: imagekit, expectAfterChange: /^purge 1 of 2 targets: https:\/\/ik\.imagekit\.io\/acme\/img\/logo\.svg \(trigger: / },
        { name: "codemagic", resource: "mobile", emulator: codemagic, expectAfterChange: /^purge 1 of 2 targets: build-ipa \(trigger: / },
        { name: "microstrategy", resource: "bi", emulator: microstrategy, expectAfterChange: /^purge 2 of 2 targets: element, object \(trigger: / },
        { name: "buddy", resource: "ci", emulator: buddy, expectAfterChange: /^purge pipeline 101 \(trigger: / },
        { name: "cloudfront", resource: "assets", emulator: cloudfront, expectAfterChange: /^purge 1 of 2 targets: \/img\/logo\.svg \(trigger: / },
        { name: "cloudflare", resource: "pages", emulator: cloudflare, expectAfterChange: /^purge tag content \(trigger: / },
        { name: "fastly", resource: "api", emulator: fastly, expectAfterChange: /^purge key orders \(trigger: / },
        { name: "http", resource: "app", emulator: app, expectAfterChange: /^purge cache \(trigger release: / },
    ];
    const config = {
        "all-cache-purges:flextypeUrl": { value: flextype.baseUrl },
        "all-cache-purges:imagekitUrl": { value: imagekit.baseUrl },
        "all-cache-purges:codemagicUrl": { value: codemagic.baseUrl },
        "all-cache-purges:microstrategyUrl": { value: microstrategy.baseUrl },
        "all-cache-purges:buddyUrl": { value: buddy.baseUrl },
        "all-cache-purges:cloudfrontEndpoint": { value: cloudfront.baseUrl },
        "all-cache-purges:cloudflareUrl": { value: cloudflare.baseUrl },
        "all-cache-purges:fastlyUrl": { value: fastly.baseUrl },
        "all-cache-purges:appUrl": { value: app.baseUrl },
        "all-cache-purges:appToken": { value: "demo-app-token", secret: true },
        "cache-purge:flextypeToken": { value: "d3m0t0k3n0123456789abcdef0123456", secret: true },
        "cache-purge:flextypeAccessToken": { value: "demo-access-token", secret: true },
        "cache-purge:imagekitPrivateKey": { value: "private_demo_key", secret: true },
        "cache-purge:codemagicToken": { value: "demo-codemagic-token", secret: true },
        "cache-purge:microstrategyUsername": { value: "admin" },
        "cache-purge:microstrategyPassword": { value: "demo-password", secret: true },
        "cache-purge:buddyToken": { value: "demo-buddy-token", secret: true },
        "aws:accessKey": { value: "AKIADEMOEXAMPLE00000" },
        "aws:secretKey": { value: "demo-aws-secret-key", secret: true },
        "cache-purge:cloudflareApiToken": { value: "demo-cloudflare-token", secret: true },
        "cache-purge:fastlyApiToken": { value: "demo-fastly-token", secret: true },
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

type Command = "preview" | "up" | "destroy";

/**
 * The engine the demo runs on: a `pulumi` the user installed (3.139 or later), with the language host it
 * ships; else the real CLI built from source by scripts/pulumi-cli.sh where Go is installed; else the
 * test engine. A CLI runs a copy of examples/all under the repository's .pulumi-test/ (git ignores it),
 * so the stack's config file is not written into examples/ and the copy still finds the repository's
 * node_modules.
 */
async function chooseEngine(config: NonNullable<StackOptions["config"]>, workDir: string): Promise<{ name: string; run: (command: Command) => Promise<DeploymentResult>; remove: () => void }> {
    const onCli = async (binDir: string, name: string) => {
        const programDir = path.join(REPO_ROOT, ".pulumi-test", `demo-${process.pid}`);
        fs.mkdirSync(path.dirname(programDir), { recursive: true });
        fs.cpSync(EXAMPLE, programDir, { recursive: true, filter: (source) => !/Pulumi\.[^/]+\.yaml$/.test(source) || source.endsWith("Pulumi.yaml") });
        const stack = new CliStack({ binDir, programDir, workDir, stack: "demo" });
        await stack.init(config);
        return {
            name,
            run: (command: Command) => cliDeployment(stack, command, workDir),
            remove: () => fs.rmSync(programDir, { recursive: true, force: true }),
        };
    };
    const installed = installedPulumi();
    if ("binDir" in installed) {
        return onCli(installed.binDir, installedLabel(installed));
    }
    console.log(`No pulumi to use on PATH (${installed.reason}); falling back to one built from source.`);
    const cli = pulumiCli();
    if ("binDir" in cli) {
        return onCli(cli.binDir, `the real pulumi CLI ${path.basename(cli.binDir)}, built from source by scripts/pulumi-cli.sh, with this project's language host, a local file backend`);
    }
    const engine = new TestEngine({ programDir: EXAMPLE, project: "all-cache-purges", stack: "demo", stateFile: path.join(workDir, "state.json"), config });
    return {
        name: `the test engine in test/harness (${cli.missing})`,
        run: (command) => engine[command](),
        remove: () => undefined,
    };
}

interface Receipt {
    /** "all" when the purge covered every declared target; then the plan line names them. */
    readonly targets?: string[] | "all";
    readonly requests?: number;
    readonly completion?: string;
}

const WIDTH = 100;
/** Provider log lines that show a long purge's progress. */
const PROGRESS = /^(imagekit|codemagic|buddy|microstrategy|flextype|cloudfront|cloudflare|fastly|http): (waiting|\d+ of \d+)/;

/** The receipt's `completion` words, explained as the README explains them. */
const COMPLETION_LEGEND = "completion: synchronous = purged before the service answered; accepted = the service\n"
    + "accepted an asynchronous purge, nobody waited; confirmed = polled until the service said done";

function fit(line: string): string {
    return line.length <= WIDTH ? line : `${line.slice(0, WIDTH - 1)}…`;
}

/** `https://ik.imagekit.io/acme/img/logo.svg` as `…/logo.svg`: the demo's URLs all share their start. */
function shortUrls(text: string): string {
    return text.replace(/https?:\/\/[^\s,;()]+\/([^/\s,;()]+)/g, "…/$1");
}

/** The plan line without its request list: `element, object (created)`, `1 of 2: build-ipa (…)`. */
function planWhat(plan: string): { what: string; requests: string } {
    const match = /^purge (.*?); ([\d,]+ requests?):/.exec(plan);
    if (!match) {
        return { what: plan, requests: "" };
    }
    const what = shortUrls(match[1]).replace(/^(\d+) of \1 targets: /, "").replace(/^(\d+ of \d+) targets: /, "$1: ");
    return { what, requests: match[2] };
}

/** One line per resource per step: what the step will do or did, in words. */
function describeStep(label: string, op: string, plan: string | undefined, receipt: Receipt | null | undefined, received: number): string {
    const verb = op.padEnd(7);
    if (op === "delete") {
        return received === 0
            ? `${verb}removed from the stack; nothing purged (purgeOnDelete is off, the default)`
            : `${verb}removed from the stack, purged once more (purgeOnDelete); ${received} requests`;
    }
    if (plan === undefined || !plan.startsWith("purge ")) {
        return `${verb}${plan ?? "no change"}`;
    }
    if (label.startsWith("preview")) {
        const { what, requests } = planWhat(plan);
        return `${verb}will purge ${what}; ${requests}`;
    }
    const targets = Array.isArray(receipt?.targets) ? shortUrls(receipt.targets.join(", ")) : planWhat(plan).what.replace(/ \([^()]*\)$/, "");
    return `${verb}purged ${targets}; ${received} request${received === 1 ? "" : "s"}, completion ${receipt?.completion ?? "unknown"}`;
}

async function main(): Promise<void> {
    linkPackageIntoNodeModules();
    console.log("pulumi-cache-purge demo: examples/all, one program with a purge for each of nine services.");

    const work = tempDir("cache-purge-demo");
    const site = path.join(work.dir, "site");
    fs.cpSync(path.join(EXAMPLE, "site"), site, { recursive: true });
    const { services, config, reseed } = await startServices();
    const engine = await chooseEngine({ ...config, "all-cache-purges:siteDir": { value: site } }, work.dir);
    console.log(`Engine: ${engine.name}.`);

    const counts = new Map<string, number[]>(services.map((s) => [s.name, []]));
    const problems: string[] = [];
    const step = async (label: string, run: () => Promise<DeploymentResult>, check: (s: Service, r: DeploymentResult, requests: number) => string | undefined) => {
        const before = services.map((s) => s.emulator.requests.length);
        const result = await run();
        console.log(`\n== ${label}: ${result.ok ? "ok" : "FAILED"}`);
        if (!result.ok && result.errors.length === 0) {
            // A failure outside any resource (the program, the CLI): its own last words.
            result.errors.push(...result.output.trim().split("\n").slice(-3));
        }
        for (const e of result.errors) {
            console.log(fit(`   error: ${e}`));
            problems.push(`${label}: ${e}`);
        }
        const receipts = result.outputs.receipts as Record<string, Receipt | null> | undefined;
        services.forEach((service, i) => {
            const received = service.emulator.requests.length - before[i];
            counts.get(service.name)!.push(received);
            const resourceStep = result.steps.find((st) => st.name === service.resource);
            const line = resourceStep ? describeStep(label, resourceStep.op, resourceStep.purgePlan, receipts?.[service.resource], received) : "(no step)";
            console.log(fit(`   ${service.name.padEnd(14)}${line}`));
            const problem = check(service, result, received);
            if (problem) {
                problems.push(`${label}, ${service.name}: ${problem}`);
            }
        });
        // The provider's progress lines of the purges that wait (ImageKit's status polls, Codemagic's list).
        for (const entry of result.log.filter((l) => PROGRESS.test(l.message))) {
            console.log(fit(`      ${entry.message}`));
        }
    };

    try {
        const noRequests = (_s: Service, _r: DeploymentResult, n: number) => (n === 0 ? undefined : `${n} requests, expected none`);
        const someRequests = (_s: Service, _r: DeploymentResult, n: number) => (n > 0 ? undefined : "no request, expected a purge");
        await step("preview", () => engine.run("preview"), noRequests);
        await step("up", () => engine.run("up"), someRequests);
        changeContent(site);
        // CI builds made new caches since the first purge.
        reseed();
        console.log("\n== content changed: home.md, logo.svg, Podfile.lock, schema.sql, web/package-lock.json");
        await step("preview after the change", () => engine.run("preview"), (s, r, n) => {
            const plan = r.steps.find((st) => st.name === s.resource)?.purgePlan ?? "";
            return n !== 0 ? `${n} requests, expected none` : s.expectAfterChange.test(plan) ? undefined : `plan "${plan}" does not match ${s.expectAfterChange}`;
        });
        await step("up after the change", () => engine.run("up"), someRequests);
        await step("destroy", () => engine.run("destroy"), noRequests);
    } finally {
        await Promise.all(services.map((s) => s.emulator.stop()));
        engine.remove();
        work.remove();
    }

    console.log("\nrequests each emulator received, per step:\n");
    console.log("  service        preview  up  preview(changed)  up  destroy");
    for (const [name, n] of counts) {
        console.log(`  ${name.padEnd(14)} ${String(n[0]).padStart(7)}  ${String(n[1]).padStart(2)}  ${String(n[2]).padStart(16)}  ${String(n[3]).padStart(2)}  ${String(n[4]).padStart(7)}`);
    }
    console.log(`\n${COMPLETION_LEGEND}`);
    console.log(problems.length === 0 ? "\nevery expectation held" : `\n${problems.length} expectation(s) failed:\n  ${problems.join("\n  ")}`);
    process.exitCode = problems.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
