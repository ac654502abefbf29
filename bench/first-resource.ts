import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { commandProvider, newStack, type Variant, withCliAndEmulator } from "./against-command";
import { installedBench } from "./installed";
import type { Figure } from "./report";
import { describe, fixed, type Summary, summarize } from "./stats";

/** The provider each variant's one resource is served by, as the engine's log names its plugin. */
const PLUGIN_OF: Partial<Record<Variant, string>> = { package: "pulumi-nodejs", plugin: "cache-purge", command: "command" };
const LABEL: Partial<Record<Variant, string>> = { package: "the dynamic resources", plugin: "the plugin (installed)", command: "command" };

/** What one pass of `pulumi up` (the preview pass, then the update pass) spends on the resource's provider. */
interface Pass { start: number; setup: number; check: number; create: number; total: number }

interface LogLine { readonly at: number; readonly msg: string }

/** The engine's own log (`-v=7 --logtostderr`): one JSON object per line, with a time to the nanosecond. */
function logLines(output: string): LogLine[] {
    const lines: LogLine[] = [];
    for (const text of output.split("\n")) {
        // The CLI's progress dots may share a line with a log entry (both on a terminal's stream).
        const line = text.slice(text.indexOf("{\"time\""));
        if (line.startsWith("{\"time\"")) {
            try {
                const entry = JSON.parse(line) as { time: string; msg: string };
                // Date.parse keeps milliseconds only: the seconds, then the fraction to the microsecond.
                const fraction = /\.(\d+)Z$/.exec(entry.time)?.[1] ?? "0";
                lines.push({ at: Date.parse(`${entry.time.slice(0, 19)}Z`) + Number(`0.${fraction}`) * 1000, msg: entry.msg });
            } catch {
                // A line the engine cut or interleaved: not one of the events read here.
            }
        }
    }
    return lines;
}

/**
 * Splits each pass at the engine's events: the plugin launched (the last GetPluginPath of its package
 * before the handshake) to its port read (Handshake), then to the resource's Check (CheckConfig and
 * Configure), Check executing to success, Create executing to success (the update pass only: preview
 * creates nothing). The rest of the pass is the program and the engine, which the empty program pays too.
 */
export function passesOf(output: string, plugin: string): Pass[] {
    const passes: Pass[] = [];
    let pass: Pass | undefined;
    let begun = 0;
    let launched = 0;
    let handshake = 0;
    let checking = 0;
    let creating = 0;
    for (const { at, msg } of logLines(output)) {
        if (msg.startsWith("*** Starting Update(")) {
            pass = { start: 0, setup: 0, check: 0, create: 0, total: 0 };
            begun = at;
            launched = handshake = 0;
        } else if (pass && msg.startsWith(`GetPluginPath(resource, ${plugin},`) && handshake === 0) {
            launched = at;
        } else if (pass && msg.startsWith("Handshake:") && msg.includes(`pulumi-resource-${plugin}`) && launched > 0) {
            handshake = at;
            pass.start = at - launched;
        } else if (pass && /^Provider\[[^\]]+\]\.Check\(/.test(msg) && msg.includes(") executing")) {
            checking = at;
            pass.setup = handshake > 0 ? at - handshake : 0;
        } else if (pass && /^Provider\[[^\]]+\]\.Check\(/.test(msg) && msg.includes(") success")) {
            pass.check = at - checking;
        } else if (pass && /^Provider\[[^\]]+\]\.Create\(/.test(msg) && msg.includes(") executing")) {
            creating = at;
        } else if (pass && /^Provider\[[^\]]+\]\.Create\(/.test(msg) && msg.includes(") success")) {
            pass.create = at - creating;
        } else if (pass && msg.startsWith("*** Update(") && msg.includes("complete")) {
            pass.total = at - begun;
            passes.push(pass);
            pass = undefined;
        }
    }
    return passes;
}

/** Milliseconds of one step in a fresh Node process, the process start excluded, in the installed project. */
function inProcessMs(cwd: string, script: string, args: string[] = []): number {
    return Number(execFileSync(process.execPath, ["-e", script, ...args], { cwd, encoding: "utf8" }));
}

/** The wall time of a Node process that does nothing: what any Node provider pays per start. */
function nodeStartMs(): number {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, ["-e", "0"]);
    return Number(process.hrtime.bigint() - t) / 1e6;
}

const REQUIRE = "const t = process.hrtime.bigint(); require(process.argv[1]); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));";
/** The first check of one Flextype resource in a process that has the SDK loaded: zod's load, the schema, the plan line. */
const FIRST_CHECK = `require("@pulumi/pulumi");
const impl = require("pulumi-cache-purge/provider/flextype");
const t = process.hrtime.bigint();
impl.configure({ config: { get: () => undefined, require: () => "" } })
    .then(() => impl.check({}, { baseUrl: "https://cms.example.com", triggers: { content: "3f2a" }, __urn: "urn:pulumi:s::p::pulumi-nodejs:dynamic/flextype:CachePurge::cms" }))
    .then(() => process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6)));`;

/**
 * Where the cost of the first purge resource goes, for the dynamic resources, the plugin and
 * `@pulumi/command`: the engine's own timestamps of one `pulumi up` of a new stack with one resource,
 * and the parts of a provider start measured alone.
 */
export async function firstResourceTimeFigures(runs: number): Promise<Figure[]> {
    return withCliAndEmulator(async (binDir, emulator) => {
        const command = commandProvider();
        const variants: Variant[] = ["package", ...(fs.existsSync(path.join(binDir, "pulumi-language-yaml")) ? ["plugin" as const] : []), ...("dir" in command ? ["command" as const] : [])];
        const passes: Record<string, Pass[][]> = {};
        for (let i = 0; i < runs; i++) {
            for (const variant of i % 2 === 0 ? variants : [...variants].reverse()) {
                const { stack, remove } = await newStack(binDir, variant, 1, emulator, "dir" in command ? command.dir : undefined);
                try {
                    const up = await stack.run(["up", "--yes", "-v=7", "--logtostderr"]);
                    const found = passesOf(up.output, PLUGIN_OF[variant]!);
                    if (!up.ok || found.length !== 2 || found.some((p) => p.start === 0 || p.check === 0)) {
                        throw new Error(`${variant}: expected two passes with the provider's start and Check in the engine's log:\n${up.output.slice(-3000)}`);
                    }
                    (passes[variant] ??= []).push(found);
                } finally {
                    remove();
                }
            }
        }
        const project = installedBench();
        const parts = { node: [] as number[], sdk: [] as number[], ours: [] as number[], check: [] as number[], grpc: [] as number[] };
        // The plugin's gRPC pieces (@grpc/grpc-js and the SDK's protobuf stubs), by path: not an export of the package.
        const pluginSdk = path.join(project.dir, "node_modules", "pulumi-cache-purge", "dist", "plugin", "sdk.js");
        for (let i = 0; i < Math.max(runs, 5); i++) {
            parts.node.push(nodeStartMs());
            parts.sdk.push(inProcessMs(project.dir, REQUIRE, ["@pulumi/pulumi"]));
            parts.ours.push(inProcessMs(project.dir, `require("@pulumi/pulumi"); ${REQUIRE}`, ["pulumi-cache-purge/provider/flextype"]));
            parts.check.push(inProcessMs(project.dir, FIRST_CHECK));
            parts.grpc.push(inProcessMs(project.dir, REQUIRE, [pluginSdk]));
        }
        const ms = (s: Summary) => `${fixed(s.median, 0)} ms`;
        const of = (variant: Variant, pass: number, key: keyof Pass) => summarize(passes[variant].map((p) => p[pass][key]));
        const rows = variants.map((variant) => {
            const each = [0, 1].map((pass) => {
                const [start, setup, check, create, total] = (["start", "setup", "check", "create", "total"] as const).map((k) => of(variant, pass, k));
                return `${pass === 0 ? "preview pass" : "update pass"} ${ms(total)}: start ${ms(start)}, to Check ${ms(setup)}, Check ${ms(check)}${pass === 1 ? `, Create ${ms(create)}` : ""}`;
            });
            return `**${LABEL[variant]}**: ${each.join("; ")}`;
        });
        const [node, sdk, ours, check, grpc] = [summarize(parts.node), summarize(parts.sdk), summarize(parts.ours), summarize(parts.check), summarize(parts.grpc)];
        return [{
            name: "where the first resource's time goes: one `pulumi up` of a new stack with one Flextype purge, per pass",
            goal: "reported: every part this package controls found",
            measured: `${rows.join("; ")}. Alone, in a fresh process: Node's own start ${describe(node, "ms", 0)}; \`require("@pulumi/pulumi")\` ${describe(sdk, "ms", 0)} (the SDK, paid by every dynamic provider host); this package's Flextype module after it ${describe(ours, "ms", 1)}; its first check ${describe(check, "ms", 1)} (zod's load included); the plugin's gRPC server library and protobuf stubs ${describe(grpc, "ms", 1)}`,
            met: undefined,
            notes: [
                `The engine's own timestamps (\`pulumi up --yes -v=7 --logtostderr\`), ${runs} run(s) of each, interleaved: *start* is from the engine finding the provider's plugin to the plugin answering the handshake (the process start, its modules, its gRPC server: for the dynamic resources, \`pulumi-resource-pulumi-nodejs\` and the SDK's host); *to Check* is Handshake, GetPluginInfo, CheckConfig and Configure (for the plugin, the services' modules load at Configure); *Check* and *Create* are the RPCs, executing to success. \`up\` runs two passes (preview, then update) and each starts its own provider process. A pass's rest is the program and the engine, which the empty program pays too.`,
                "Parts alone: `node -e 0` spawned and waited for; `require` timed inside a fresh `node -e` in the project where the package is installed from its tarball; the first check times the installed module's `configure` and `check` of one resource, after the SDK is loaded (as in the host).",
                "What is the SDK's and what is ours, for the dynamic resources: the host start is Node's start and the SDK's load (the host script requires `@pulumi/pulumi`), neither of which the package can change; the serialized provider text the host evaluates is one `require` of 276 bytes; ours is the module's load and the first check (zod, the schema, the plan line), and Create's request. For the plugin, the start is Node's, @grpc/grpc-js's and the protobuf stubs' load and the schema's; ours is the rest.",
            ],
        }];
    });
}
