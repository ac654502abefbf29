import type * as grpcTypes from "@grpc/grpc-js";
import { PACKAGE_NAME } from "./package";
import { resourceAdapters, stackConfig } from "./provider";
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
    const adapters = resourceAdapters();
    const adapter = (urn: string, given: string): ResourceAdapter => {
        const type = given || typeOfUrn(urn);
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
        // The config holds credentials only, which decide nothing about what a resource purges: a
        // rotated one changes no resource (the next Configure delivers it).
        diffConfig: unary(async () => {
            const response = new providerProto.DiffResponse();
            response.setChanges(providerProto.DiffResponse.DiffChanges.DIFF_NONE);
            return response;
        }),
        configure: unary(async (req: InstanceType<P["ConfigureRequest"]>) => {
            const config = stackConfig(new Map(req.getVariablesMap().entries()), revealed(fromStruct(req.getArgs())) as Props, PACKAGE_NAME);
            await Promise.all([...adapters.values()].map((a) => a.configure(config)));
            const response = new providerProto.ConfigureResponse();
            response.setAcceptsecrets(true);
            response.setSupportspreview(true);
            return response;
        }),
        check: unary(async (req: InstanceType<P["CheckRequest"]>) => {
            const result = await adapter(req.getUrn(), req.getType()).check(req.getUrn(), fromStruct(req.getOlds()), fromStruct(req.getNews()));
            const response = new providerProto.CheckResponse();
            response.setInputs(toStruct(result.inputs));
            response.setFailuresList(result.failures.map((f) => {
                const failure = new providerProto.CheckFailure();
                failure.setProperty(f.property);
                failure.setReason(f.reason);
                return failure;
            }));
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
            const outs = await adapter(req.getUrn(), req.getType()).update(req.getId(), fromStruct(req.getOlds()), fromStruct(req.getNews()));
            const response = new providerProto.UpdateResponse();
            response.setProperties(toStruct(outs));
            return response;
        }),
        delete: unary(async (req: InstanceType<P["DeleteRequest"]>) => {
            await adapter(req.getUrn(), req.getType()).delete(req.getId(), fromStruct(req.getProperties()));
            return new emptyProto.Empty();
        }),
        cancel: unary(async () => new emptyProto.Empty()),
    };

    const server = new grpc.Server({ "grpc.max_receive_message_length": MAX_RPC_MESSAGE_BYTES, "grpc.max_send_message_length": MAX_RPC_MESSAGE_BYTES });
    server.addService(providerRpc.ResourceProviderService, service as unknown as grpcTypes.UntypedServiceImplementation);
    return new Promise((resolve, reject) => {
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
    });
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
