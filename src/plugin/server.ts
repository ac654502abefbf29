import type * as grpcTypes from "@grpc/grpc-js";
import { PACKAGE_NAME } from "./package";
import type { ResourceAdapter } from "./resource-adapter";
import { schema } from "./schema.generated";
import { anyProto, emptyProto, fromStruct, grpc, pluginProto, providerProto, providerRpc, type Props, statusProto, toStruct } from "./sdk";
import { revealed } from "./wire-secrets";

type Call<Req> = grpcTypes.ServerUnaryCall<Req, unknown>;
type Callback = grpcTypes.sendUnaryData<unknown>;
type P = typeof providerProto;

/** The engine's limit on one message (its MaxRPCMessageSize), so a resource of 50,000 URLs passes. */
const MAX_RPC_MESSAGE_BYTES = 400 * 1024 * 1024;

/**
 * The ResourceProvider gRPC service of `pulumi-resource-cache-purge`. Its own rather than the SDK's
 * `provider.main`, whose server answers Configure itself and drops the config, and refuses
 * CheckConfig and DiffConfig: the credentials read the stack config `cache-purge:<key>`, which is
 * exactly this provider's config.
 */
export async function serve(version: string): Promise<number> {
    const adapter = (urn: string, given: string): ResourceAdapter => {
        const type = given || typeOfUrn(urn);
        const adapters = resources().adapters();
        const found = adapters.get(type);
        if (found === undefined) {
            throw new Error(`${urn}: unknown resource type ${type}; this provider serves ${[...adapters.keys()].join(", ")}`);
        }
        return found;
    };
    const schemaText = JSON.stringify({ ...schema, version });
    const unary = <Req>(handler: (request: Req) => Promise<unknown>) => (call: Call<Req>, callback: Callback) => {
        handler(call.request).then((response) => callback(null, response), (error: unknown) => callback(grpcError(error)));
    };

    const service: Partial<Record<string, unknown>> = {
        getPluginInfo: unary(async () => { const info = new pluginProto.PluginInfo(); info.setVersion(version); return info; }),
        getSchema: unary(async (req: InstanceType<P["GetSchemaRequest"]>) => {
            if (req.getVersion() !== 0) {
                throw new Error(`unsupported schema version ${req.getVersion()}`);
            }
            const response = new providerProto.GetSchemaResponse();
            response.setSchema(schemaText);
            return response;
        }),
        checkConfig: unary(async (req: InstanceType<P["CheckRequest"]>) => {
            const response = new providerProto.CheckResponse();
            response.setInputs(req.getNews());
            return response;
        }),
        // A changed credential is an update of the provider, never a replacement: a replaced provider
        // replaces its resources, and a replacement purges. "No change" would not do either: the engine
        // then configures the provider with the config in the state, the one before the change. The
        // inputs hold the plugin `version` a program pins: a new one is an update too, so upgrading the
        // plugin purges nothing (test/cli/plugin-upgrade.test.ts).
        diffConfig: unary(async (req: InstanceType<P["DiffRequest"]>) => {
            const olds = revealed(fromStruct(req.hasOldInputs() ? req.getOldInputs() : req.getOlds())) as Props;
            const news = revealed(fromStruct(req.getNews())) as Props;
            const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
            const response = new providerProto.DiffResponse();
            response.setChanges(changed.length > 0 ? providerProto.DiffResponse.DiffChanges.DIFF_SOME : providerProto.DiffResponse.DiffChanges.DIFF_NONE);
            response.setDiffsList(changed);
            return response;
        }),
        configure: unary(async (req: InstanceType<P["ConfigureRequest"]>) => {
            const { stackConfig, adapters } = resources();
            const config = stackConfig(new Map(req.getVariablesMap().entries()), revealed(fromStruct(req.getArgs())) as Props, PACKAGE_NAME);
            await Promise.all([...adapters().values()].map((a) => a.configure(config)));
            const response = new providerProto.ConfigureResponse();
            // No supportsPreview: the engine would then call Create and Update during preview, and a
            // purge has no preview form. Preview is check's plan line, as for the dynamic provider.
            response.setAcceptsecrets(true);
            return response;
        }),
        check: unary(async (req: InstanceType<P["CheckRequest"]>) => {
            const result = await adapter(req.getUrn(), req.getType()).check(req.getUrn(), fromStruct(req.getOlds()), fromStruct(req.getNews()));
            const response = new providerProto.CheckResponse();
            response.setInputs(toStruct(result.inputs));
            response.setFailuresList(result.failures.map(checkFailure));
            return response;
        }),
        diff: unary(async (req: InstanceType<P["DiffRequest"]>) => {
            const changes = await adapter(req.getUrn(), req.getType()).diff(req.getId(), fromStruct(req.getOlds()), fromStruct(req.getNews()));
            const response = new providerProto.DiffResponse();
            const kinds = providerProto.DiffResponse.DiffChanges;
            response.setChanges(changes === true ? kinds.DIFF_SOME : changes === false ? kinds.DIFF_NONE : kinds.DIFF_UNKNOWN);
            return response;
        }),
        create: unary(async (req: InstanceType<P["CreateRequest"]>) => {
            refusePreview(req.getPreview(), req.getUrn());
            const result = await adapter(req.getUrn(), req.getType()).create(fromStruct(req.getProperties()));
            const response = new providerProto.CreateResponse();
            response.setId(result.id);
            response.setProperties(toStruct(result.outs));
            return response;
        }),
        // A purge has nothing to read back: refresh keeps the state as it is, as the dynamic provider does.
        read: unary(async (req: InstanceType<P["ReadRequest"]>) => {
            const response = new providerProto.ReadResponse();
            response.setId(req.getId());
            response.setProperties(req.getProperties());
            response.setInputs(req.getInputs());
            return response;
        }),
        update: unary(async (req: InstanceType<P["UpdateRequest"]>) => {
            refusePreview(req.getPreview(), req.getUrn());
            const outs = await adapter(req.getUrn(), req.getType()).update(req.getId(), fromStruct(req.getOlds()), fromStruct(req.getNews()));
            const response = new providerProto.UpdateResponse();
            response.setProperties(toStruct(outs));
            return response;
        }),
        delete: unary(async (req: InstanceType<P["DeleteRequest"]>) => {
            await adapter(req.getUrn(), req.getType()).delete(req.getId(), fromStruct(req.getProperties()));
            return new emptyProto.Empty();
        }),
        invoke: unary(async (req: InstanceType<P["InvokeRequest"]>) => {
            const { invoke } = require("./functions") as typeof import("./functions");
            const result = await invoke(req.getTok(), revealed(fromStruct(req.getArgs())) as Props);
            const response = new providerProto.InvokeResponse();
            response.setReturn(toStruct(result.outputs));
            response.setFailuresList(result.failures.map(checkFailure));
            return response;
        }),
        cancel: unary(async () => new emptyProto.Empty()),
    };

    const server = new grpc.Server({ "grpc.max_receive_message_length": MAX_RPC_MESSAGE_BYTES, "grpc.max_send_message_length": MAX_RPC_MESSAGE_BYTES });
    server.addService(providerRpc.ResourceProviderService, service as unknown as grpcTypes.UntypedServiceImplementation);
    return new Promise((resolve, reject) => {
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
    });
}

/**
 * The services, their lifecycle and zod, loaded on the first call that needs them rather than before the
 * port is printed: the engine waits for the port, and the instance the schema loader starts (a YAML
 * program, with the plugin on PATH) only ever asks for the schema.
 */
function resources(): { stackConfig: typeof import("./provider").stackConfig; adapters: () => ReadonlyMap<string, ResourceAdapter> } {
    const provider = require("./provider") as typeof import("./provider");
    return { stackConfig: provider.stackConfig, adapters: () => (loadedAdapters ??= provider.resourceAdapters()) };
}

let loadedAdapters: ReadonlyMap<string, ResourceAdapter> | undefined;

/** An engine that calls Create or Update in preview despite Configure's answer must not purge. */
function refusePreview(preview: boolean, urn: string): void {
    if (preview) {
        throw new Error(`${urn}: the cache-purge provider does not create or update in preview; nothing was purged`);
    }
}

function checkFailure(f: { property: string; reason: string }): InstanceType<P["CheckFailure"]> {
    const failure = new providerProto.CheckFailure();
    failure.setProperty(f.property);
    failure.setReason(f.reason);
    return failure;
}

/** `urn:pulumi:<stack>::<project>::<parent type>$<type>::<name>` -> the type, for a request that names none. */
function typeOfUrn(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.slice(qualified.lastIndexOf("$") + 1);
}

/**
 * The error as the engine reads it. One that carries an id and outputs is a purge that failed part-way:
 * packed as ErrorResourceInitFailed, the engine records those outputs, so the next up purges only the rest.
 */
function grpcError(error: unknown): Partial<grpcTypes.StatusObject> {
    const message = error instanceof Error ? error.message : String(error);
    const partial = error as { id?: unknown; properties?: Props; reasons?: string[] };
    const metadata = new grpc.Metadata();
    if (typeof partial.id === "string" && partial.id !== "") {
        const detail = new providerProto.ErrorResourceInitFailed();
        detail.setId(partial.id);
        detail.setProperties(toStruct(partial.properties ?? {}));
        detail.setReasonsList(partial.reasons ?? [message]);
        const packed = new anyProto.Any();
        packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
        const status = new statusProto.Status();
        status.setCode(grpc.status.UNKNOWN);
        status.setMessage(message);
        status.addDetails(packed);
        metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
    }
    return { code: grpc.status.UNKNOWN, details: message, metadata };
}
