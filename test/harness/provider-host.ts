import { type ChildProcess, spawn } from "child_process";
import {
    DYNAMIC_PROVIDER_HOST, fromStruct, grpc, providerProto, providerRpc, type Props, statusProto, toStruct,
} from "./sdk";

const MAX_RPC_MESSAGE_BYTES = 400 * 1024 * 1024;

export interface CheckFailure {
    readonly property: string;
    readonly reason: string;
}

/** A provider error as the engine sees it; `partialOutputs` is set for an init failure (partial state). */
export class ProviderError extends Error {
    constructor(message: string, readonly partialOutputs?: Props, readonly partialId?: string) {
        super(message);
    }
}

/**
 * The SDK's real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) in a child process,
 * driven over gRPC with the SDK's own stubs, with the calls the engine makes and in its order: old
 * outputs as `olds` for diff, update and delete, secrets unwrapped.
 */
export class ProviderHost {

    /** The same channel's calls with bytes in and out, for `timedCheck` and `timedDiff`. */
    private readonly raw: InstanceType<typeof grpc.Client>;

    /**
     * @param output everything the host wrote to stderr, and to stdout after its port, as it arrives: the
     *   listeners started before the host existed write into this same list.
     */
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: InstanceType<typeof providerRpc.ResourceProviderClient>,
        address: string,
        readonly output: string[],
    ) {
        this.raw = new grpc.Client(address, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_RPC_MESSAGE_BYTES,
            "grpc.max_send_message_length": MAX_RPC_MESSAGE_BYTES,
        });
    }

    /**
     * Starts the host. `cwd` is the directory the program runs in: the host resolves the serialized
     * provider's `require` calls from there. `engineAddress` receives the host's Engine.Log calls.
     * `hostScript` runs another installed copy of the SDK's host (a user's project's own).
     */
    static async start(options: { cwd: string; engineAddress?: string; env?: NodeJS.ProcessEnv; hostScript?: string }): Promise<ProviderHost> {
        const child = spawn(process.execPath, [options.hostScript ?? DYNAMIC_PROVIDER_HOST, options.engineAddress ?? "127.0.0.1:1"], {
            cwd: options.cwd,
            env: { ...process.env, ...options.env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const output: string[] = [];
        const port = await new Promise<number>((resolve, reject) => {
            let buffer = "";
            const onData = (chunk: Buffer) => {
                buffer += chunk.toString();
                const match = /^(\d+)\s*\n/.exec(buffer);
                if (match) {
                    child.stdout?.off("data", onData);
                    const rest = buffer.slice(match[0].length);
                    if (rest) {
                        output.push(rest);
                    }
                    child.stdout?.on("data", (c: Buffer) => output.push(c.toString()));
                    resolve(Number(match[1]));
                }
            };
            child.stdout?.on("data", onData);
            child.stderr?.on("data", (c: Buffer) => output.push(c.toString()));
            child.once("exit", (code) => reject(new Error(`provider host exited with ${code} before printing its port: ${output.join("")}`)));
        });
        // The engine allows messages of up to 400 MiB (its MaxRPCMessageSize); grpc-js's default of 4 MiB
        // would refuse a resource of 50,000 URLs that the engine passes.
        const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_RPC_MESSAGE_BYTES,
            "grpc.max_send_message_length": MAX_RPC_MESSAGE_BYTES,
        });
        return new ProviderHost(child, client, `127.0.0.1:${port}`, output);
    }

    /** The host's process id, for measuring its memory. */
    get pid(): number | undefined {
        return this.child.pid;
    }

    async stop(): Promise<void> {
        this.client.close();
        this.raw.close();
        if (this.child.exitCode === null) {
            const exited = new Promise((resolve) => this.child.once("exit", resolve));
            this.child.kill();
            await exited;
        }
    }

    /** Configure as the engine sends it: every stack config key, namespaced, secrets already decrypted. */
    async configure(config: Readonly<Record<string, string>>): Promise<void> {
        const req = new providerProto.ConfigureRequest();
        req.setArgs(toStruct({ ...config }));
        req.setAcceptsecrets(true);
        await this.call<unknown>("configure", req);
    }

    async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
        const req = checkRequest(urn, olds, news);
        const resp = await this.call<InstanceType<typeof providerProto.CheckResponse>>("check", req);
        return {
            inputs: fromStruct(resp.getInputs()),
            failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    /** `changes`: "some", "none" or "unknown" (the provider returned undefined). */
    async diff(urn: string, id: string, oldOutputs: Props, news: Props): Promise<{ changes: "some" | "none" | "unknown"; replaces: string[] }> {
        const req = diffRequest(urn, id, oldOutputs, news);
        const resp = await this.call<InstanceType<typeof providerProto.DiffResponse>>("diff", req);
        const kinds = providerProto.DiffResponse.DiffChanges;
        const changes = resp.getChanges() === kinds.DIFF_SOME ? "some" : resp.getChanges() === kinds.DIFF_NONE ? "none" : "unknown";
        return { changes, replaces: resp.getReplacesList() };
    }

    /**
     * DiffConfig of a provider resource as the engine sends it (pkg/resource/deploy/providers/registry.go
     * `Diff`, step_generator.go `providerChanged`): old inputs and outputs, new inputs, `version` included.
     */
    async diffConfig(urn: string, oldInputs: Props, news: Props): Promise<{ changes: "some" | "none" | "unknown"; diffs: string[]; replaces: string[] }> {
        const req = new providerProto.DiffRequest();
        req.setUrn(urn);
        req.setOldInputs(toStruct(oldInputs));
        req.setOlds(toStruct(oldInputs));
        req.setNews(toStruct(news));
        const resp = await this.call<InstanceType<typeof providerProto.DiffResponse>>("diffConfig", req);
        const kinds = providerProto.DiffResponse.DiffChanges;
        const changes = resp.getChanges() === kinds.DIFF_SOME ? "some" : resp.getChanges() === kinds.DIFF_NONE ? "none" : "unknown";
        return { changes, diffs: resp.getDiffsList(), replaces: resp.getReplacesList() };
    }

    async create(urn: string, inputs: Props): Promise<{ id: string; outputs: Props }> {
        const req = createRequest(urn, inputs);
        const resp = await this.call<InstanceType<typeof providerProto.CreateResponse>>("create", req);
        return { id: resp.getId(), outputs: fromStruct(resp.getProperties()) };
    }

    async update(urn: string, id: string, oldOutputs: Props, news: Props): Promise<Props> {
        const req = new providerProto.UpdateRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(toStruct(oldOutputs));
        req.setNews(toStruct(news));
        const resp = await this.call<InstanceType<typeof providerProto.UpdateResponse>>("update", req);
        return fromStruct(resp.getProperties());
    }

    async delete(urn: string, id: string, oldOutputs: Props): Promise<void> {
        const req = new providerProto.DeleteRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(toStruct(oldOutputs));
        await this.call<unknown>("delete", req);
    }

    /**
     * A Check whose request is encoded before the clock starts and whose answer is decoded after it
     * stops: the host's own time (decoding, the provider, encoding), as the engine sees it. The engine's
     * protobuf codec is Go's; this client's is google-protobuf's JavaScript one, which for a megabyte of
     * text costs as much again as the host's.
     */
    async timedCheck(urn: string, olds: Props, news: Props): Promise<{ ms: number; inputs: Props; failures: CheckFailure[] }> {
        const { ms, bytes } = await this.timedBytes("Check", checkRequest(urn, olds, news).serializeBinary());
        const resp = providerProto.CheckResponse.deserializeBinary(bytes);
        return { ms, inputs: fromStruct(resp.getInputs()), failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
    }

    /** A Diff timed as `timedCheck` is. */
    async timedDiff(urn: string, id: string, oldOutputs: Props, news: Props): Promise<{ ms: number; changes: "some" | "none" | "unknown" }> {
        const { ms, bytes } = await this.timedBytes("Diff", diffRequest(urn, id, oldOutputs, news).serializeBinary());
        const resp = providerProto.DiffResponse.deserializeBinary(bytes);
        const kinds = providerProto.DiffResponse.DiffChanges;
        return { ms, changes: resp.getChanges() === kinds.DIFF_SOME ? "some" : resp.getChanges() === kinds.DIFF_NONE ? "none" : "unknown" };
    }

    /**
     * One call encoded once, now, and sent as those same bytes each time the returned function runs, which
     * resolves to the host's time for it, the answer left undecoded: for benchmarks that repeat a small
     * call, where this client's JavaScript codec would add its own cost (more for an answer of more
     * values) to a time the engine, whose codec is Go's, does not see. A failed call rejects.
     */
    repeatable(call: RepeatableCall): () => Promise<number> {
        const [method, bytes] = call.kind === "Check" ? ["Check", checkRequest(call.urn, call.olds, call.news).serializeBinary()]
            : call.kind === "Diff" ? ["Diff", diffRequest(call.urn, call.id, call.olds, call.news).serializeBinary()]
            : ["Create", createRequest(call.urn, call.inputs).serializeBinary()];
        return async () => (await this.timedBytes(method, bytes)).ms;
    }

    private timedBytes(method: string, request: Uint8Array): Promise<{ ms: number; bytes: Uint8Array }> {
        const body = Buffer.from(request);
        const same = (b: Buffer) => b;
        return new Promise((resolve, reject) => {
            const start = process.hrtime.bigint();
            this.raw.makeUnaryRequest(`/pulumirpc.ResourceProvider/${method}`, same, same, body, (error, value) => {
                const ms = Number(process.hrtime.bigint() - start) / 1e6;
                return error || value === undefined ? reject(toProviderError(error as GrpcError)) : resolve({ ms, bytes: new Uint8Array(value) });
            });
        });
    }

    private call<T>(method: string, req: unknown): Promise<T> {
        const fn = (this.client as unknown as Record<string, (r: unknown, cb: (e: GrpcError | null, v: T) => void) => void>)[method];
        return new Promise<T>((resolve, reject) => {
            fn.call(this.client, req, (error, value) => (error ? reject(toProviderError(error)) : resolve(value)));
        });
    }
}

/** A call for `repeatable`. */
export type RepeatableCall =
    | { readonly kind: "Check"; readonly urn: string; readonly olds: Props; readonly news: Props }
    | { readonly kind: "Diff"; readonly urn: string; readonly id: string; readonly olds: Props; readonly news: Props }
    | { readonly kind: "Create"; readonly urn: string; readonly inputs: Props };

function checkRequest(urn: string, olds: Props, news: Props): InstanceType<typeof providerProto.CheckRequest> {
    const req = new providerProto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    return req;
}

function diffRequest(urn: string, id: string, oldOutputs: Props, news: Props): InstanceType<typeof providerProto.DiffRequest> {
    const req = new providerProto.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(toStruct(oldOutputs));
    req.setNews(toStruct(news));
    return req;
}

function createRequest(urn: string, inputs: Props): InstanceType<typeof providerProto.CreateRequest> {
    const req = new providerProto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(toStruct(inputs));
    return req;
}

interface GrpcError extends Error {
    details?: string;
    metadata?: InstanceType<typeof grpc.Metadata>;
}

/** Unpacks an error the way the engine does, including the partial state of an init failure. */
function toProviderError(error: GrpcError): ProviderError {
    const message = error.details ?? error.message;
    const raw = error.metadata?.get("grpc-status-details-bin")[0];
    if (raw instanceof Buffer) {
        const status = statusProto.Status.deserializeBinary(new Uint8Array(raw));
        for (const detail of status.getDetailsList()) {
            if (detail.getTypeName() === "pulumirpc.ErrorResourceInitFailed") {
                const init = providerProto.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
                return new ProviderError(message, fromStruct(init.getProperties()), init.getId());
            }
        }
    }
    return new ProviderError(message);
}

