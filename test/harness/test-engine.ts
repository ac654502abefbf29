import { spawn } from "child_process";
import * as path from "path";
import { ProviderError, ProviderHost } from "./provider-host";
import {
    emptyProto, engineProto, engineRpc, fromStruct, grpc, PROGRAM_RUNNER, type Props, resourceProto, resourceRpc,
    toStruct, unwrapSecrets, wrapSecret,
} from "./sdk";
import { type ResourceState, StateFile } from "./state-file";

export type StepOp = "create" | "update" | "same" | "delete";

/** One step of a deployment, with the plan line `pulumi preview --diff` would show for it. */
export interface Step {
    readonly op: StepOp;
    readonly urn: string;
    readonly name: string;
    /** The `purgePlan` input `check` computed: what will be purged and why. */
    readonly purgePlan?: string;
}

export interface LogEntry {
    readonly severity: "debug" | "info" | "warning" | "error";
    readonly message: string;
    /** The resource the message is about, as the CLI shows it under that resource; none for the stack. */
    readonly urn?: string;
}

export interface DeploymentResult {
    readonly ok: boolean;
    readonly steps: Step[];
    /** Engine.Log messages, from the program and from the provider host. */
    readonly log: LogEntry[];
    /** Resource errors, as the CLI prints them. */
    readonly errors: string[];
    /** The stack's outputs, secrets still wrapped. */
    readonly outputs: Props;
    /** What the program and the provider host wrote to stdout and stderr. */
    readonly output: string;
}

export interface StackOptions {
    /** The folder of the Pulumi program (with Pulumi.yaml and index.ts). */
    readonly programDir: string;
    readonly project: string;
    readonly stack: string;
    readonly stateFile: string;
    /** Namespaced stack config (`cache-purge:flextypeAccessToken`); `secret` values travel as secrets. */
    readonly config?: Readonly<Record<string, { readonly value: string; readonly secret?: boolean }>>;
    /** Environment for the program and the provider host. */
    readonly env?: NodeJS.ProcessEnv;
    /**
     * The `@pulumi/pulumi` folder whose runner and provider host to use, as a project's own install
     * would; default the repository's.
     */
    readonly sdkDir?: string;
}

const DYNAMIC_TYPE = /^pulumi-nodejs:dynamic(\/|:)/;
type Callback<T> = (error: Error | null, value?: T) => void;
type Call<T> = { request: T };

/**
 * A small stand-in for the Pulumi engine, for machines without the CLI: it runs a program with the SDK's
 * own runner (`@pulumi/pulumi/cmd/run`), answers its resource registrations as a resource monitor, and
 * drives dynamic resources through the SDK's real provider host as the engine does: check with old
 * inputs, diff and update with old outputs, secrets unwrapped for the provider and re-marked on outputs
 * that share a key with a secret input or are listed in `additionalSecretOutputs`, an init failure's
 * partial outputs recorded, deletes of what the program no longer declares. State goes to a file with
 * secrets encrypted.
 */
export class TestEngine {
    constructor(private readonly options: StackOptions) {}

    get state(): StateFile {
        return new StateFile(this.options.stateFile);
    }

    preview(): Promise<DeploymentResult> {
        return this.run("preview");
    }

    up(): Promise<DeploymentResult> {
        return this.run("up");
    }

    destroy(): Promise<DeploymentResult> {
        return this.run("destroy");
    }

    private async run(mode: "preview" | "up" | "destroy"): Promise<DeploymentResult> {
        const { options } = this;
        const dryRun = mode === "preview";
        const previous = new Map(this.state.read().map((r) => [r.urn, r]));
        const next = new Map<string, ResourceState>();
        const steps: Step[] = [];
        const log: LogEntry[] = [];
        const errors: string[] = [];
        const output: string[] = [];
        let outputs: Props = {};
        let rootUrn = "";
        let stopProgram: () => void = () => undefined;
        const stopProgramSoon = () => setTimeout(() => stopProgram(), 1_000).unref();

        const server = new grpc.Server();
        const engineService = {
            log: (call: Call<InstanceType<typeof engineProto.LogRequest>>, cb: Callback<unknown>) => {
                const names = ["debug", "info", "warning", "error"] as const;
                const urn = call.request.getUrn();
                log.push({ severity: names[call.request.getSeverity()] ?? "info", message: call.request.getMessage(), ...(urn ? { urn } : {}) });
                cb(null, new emptyProto.Empty());
            },
            getRootResource: (_call: unknown, cb: Callback<unknown>) => cb(null, new engineProto.GetRootResourceResponse().setUrn(rootUrn)),
            setRootResource: (call: Call<InstanceType<typeof engineProto.SetRootResourceRequest>>, cb: Callback<unknown>) => {
                rootUrn = call.request.getUrn();
                cb(null, new engineProto.SetRootResourceResponse());
            },
            requirePulumiVersion: (_call: unknown, cb: Callback<unknown>) => cb(null, new emptyProto.Empty()),
        };
        server.addService(engineRpc.EngineService, engineService as never);
        const address = await new Promise<string>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(),
            (error, port) => (error ? reject(error) : resolve(`127.0.0.1:${port}`))));

        const host = await ProviderHost.start({
            cwd: options.programDir, engineAddress: address, env: options.env,
            hostScript: options.sdkDir && path.join(options.sdkDir, "cmd", "dynamic-provider", "index.js"),
        });
        try {
            await host.configure(Object.fromEntries(Object.entries(options.config ?? {}).map(([k, v]) => [k, v.value])));

            const register = async (req: InstanceType<typeof resourceProto.RegisterResourceRequest>): Promise<InstanceType<typeof resourceProto.RegisterResourceResponse>> => {
                const type = req.getType();
                const name = req.getName();
                const urn = urnOf(options, type, name, req.getParent());
                const response = new resourceProto.RegisterResourceResponse().setUrn(urn);
                if (!req.getCustom() || !DYNAMIC_TYPE.test(type)) {
                    response.setObject(toStruct({}));
                    return response;
                }
                const secretInputs = new Set<string>();
                const news = unwrapSecrets(fromStruct(req.getObject()), secretInputs) as Props;
                const secretKeys = [...new Set([...secretInputs, ...req.getAdditionalsecretoutputsList()])];
                const old = previous.get(urn);

                const checked = await host.check(urn, old?.inputs ?? {}, news);
                if (checked.failures.length > 0) {
                    if (old) {
                        next.set(urn, old);
                    }
                    throw new Error(checked.failures.map((f) => `${type} resource '${name}' has a problem: ${f.reason}`).join("\n"));
                }
                const inputs = checked.inputs;
                let op: StepOp = "create";
                if (old) {
                    const diff = await host.diff(urn, old.id, old.outputs, inputs);
                    op = diff.changes === "none" ? "same" : "update";
                }
                steps.push({ op, urn, name, purgePlan: typeof inputs.purgePlan === "string" ? inputs.purgePlan : undefined });

                let id = old?.id ?? "";
                let result: Props;
                try {
                    if (op === "same") {
                        result = old!.outputs;
                    } else if (dryRun) {
                        // A provider host without preview support: the engine shows the checked inputs as outputs.
                        result = inputs;
                    } else if (op === "create") {
                        ({ id, outputs: result } = await host.create(urn, inputs));
                    } else {
                        result = await host.update(urn, id, old!.outputs, inputs);
                    }
                } catch (error) {
                    if (error instanceof ProviderError && error.partialOutputs) {
                        next.set(urn, { urn, type, name, id: error.partialId ?? id, inputs, outputs: error.partialOutputs, secretKeys });
                    } else if (old) {
                        next.set(urn, old);
                    }
                    throw error;
                }
                if (!dryRun) {
                    next.set(urn, { urn, type, name, id, inputs, outputs: result, secretKeys });
                }
                const visible = Object.fromEntries(Object.entries(result).map(([k, v]) =>
                    [k, secretKeys.includes(k) && req.getAcceptsecrets() ? wrapSecret(v) : v]));
                return response.setId(id).setObject(toStruct(visible));
            };

            const monitorService = {
                supportsFeature: (call: Call<InstanceType<typeof resourceProto.SupportsFeatureRequest>>, cb: Callback<unknown>) =>
                    cb(null, new resourceProto.SupportsFeatureResponse().setHassupport(call.request.getId() === "secrets")),
                registerResource: (call: Call<InstanceType<typeof resourceProto.RegisterResourceRequest>>, cb: Callback<unknown>) => {
                    register(call.request).then((r) => cb(null, r), (error: Error) => {
                        errors.push(error.message);
                        // The engine ends a deployment at its first failed step and stops the program; without
                        // that the SDK's open channel keeps a failed program alive for most of a minute.
                        stopProgramSoon();
                        cb(Object.assign(new Error(error.message), { code: grpc.status.UNKNOWN, details: error.message }));
                    });
                },
                registerResourceOutputs: (call: Call<InstanceType<typeof resourceProto.RegisterResourceOutputsRequest>>, cb: Callback<unknown>) => {
                    if (call.request.getUrn() === rootUrn || call.request.getUrn().includes("::pulumi:pulumi:Stack::")) {
                        outputs = fromStruct(call.request.getOutputs());
                    }
                    cb(null, new emptyProto.Empty());
                },
                signalAndWaitForShutdown: (_call: unknown, cb: Callback<unknown>) => cb(null, new emptyProto.Empty()),
            };
            server.addService(resourceRpc.ResourceMonitorService, monitorService as never);

            let ok = true;
            if (mode !== "destroy") {
                const program = this.runProgram(address, dryRun, output);
                stopProgram = program.stop;
                ok = await program.exited;
            }
            // What the program no longer declares (everything, for destroy) is deleted, newest first.
            const registered = new Set(mode === "destroy" ? [] : [...next.keys(), ...steps.map((s) => s.urn)]);
            for (const old of [...previous.values()].reverse()) {
                if (registered.has(old.urn)) {
                    continue;
                }
                if (!ok) {
                    next.set(old.urn, old);
                    continue;
                }
                steps.push({ op: "delete", urn: old.urn, name: old.name });
                if (dryRun) {
                    continue;
                }
                try {
                    await host.delete(old.urn, old.id, old.outputs);
                } catch (error) {
                    ok = false;
                    errors.push((error as Error).message);
                    next.set(old.urn, old);
                }
            }
            if (!dryRun) {
                const order = [...previous.keys(), ...next.keys()];
                this.state.write([...new Set(order)].filter((u) => next.has(u)).map((u) => next.get(u)!));
            }
            // Let the host deliver its last log lines, and keep what it printed, before it stops.
            await new Promise((r) => setTimeout(r, 50));
            output.push(...host.output);
            return { ok: ok && errors.length === 0, steps, log, errors, outputs, output: output.join("") };
        } finally {
            await host.stop();
            server.forceShutdown();
        }
    }

    private runProgram(address: string, dryRun: boolean, output: string[]): { exited: Promise<boolean>; stop: () => void } {
        const { options } = this;
        const config = Object.fromEntries(Object.entries(options.config ?? {}).map(([k, v]) => [k, v.value]));
        const secretKeys = Object.entries(options.config ?? {}).filter(([, v]) => v.secret).map(([k]) => k);
        const runner = options.sdkDir ? path.join(options.sdkDir, "cmd", "run", "index.js") : PROGRAM_RUNNER;
        const args = [runner, "--monitor", address, "--engine", address, "--project", options.project,
            "--stack", options.stack, "--pwd", options.programDir, ...(dryRun ? ["--dry-run"] : []), "."];
        const child = spawn(process.execPath, args, {
            cwd: options.programDir,
            env: {
                ...process.env,
                ...options.env,
                PULUMI_CONFIG: JSON.stringify(config),
                PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
                PULUMI_NODEJS_TYPESCRIPT: "true",
                PULUMI_NODEJS_TRANSPILE_ONLY: "true",
            },
            stdio: ["ignore", "pipe", "pipe"],
        });
        child.stdout.on("data", (c: Buffer) => output.push(c.toString()));
        child.stderr.on("data", (c: Buffer) => output.push(c.toString()));
        const exited = new Promise<boolean>((resolve) => child.on("exit", (code) => resolve(code === 0)));
        return { exited, stop: () => child.exitCode === null && child.kill() };
    }
}

/** As the engine makes URNs: a child's type is qualified by its parent's types, except the stack's. */
function urnOf(options: StackOptions, type: string, name: string, parentUrn: string): string {
    const parentTypes = parentUrn.split("::")[2] ?? "";
    const qualified = parentUrn === "" || parentTypes === "pulumi:pulumi:Stack" ? type : `${parentTypes}$${type}`;
    return `urn:pulumi:${options.stack}::${options.project}::${qualified}::${name}`;
}
