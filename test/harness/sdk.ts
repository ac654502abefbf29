/**
 * The Pulumi SDK's own gRPC pieces, loaded from its installed copy so the harness speaks exactly the
 * protocol the SDK does: its copy of @grpc/grpc-js, its generated stubs, its protobuf Struct.
 */
import * as path from "path";

const sdkRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json"));

export const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkRoot] })) as typeof import("@grpc/grpc-js");
export const structProto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkRoot] })) as typeof import("google-protobuf/google/protobuf/struct_pb");
export const emptyProto = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [sdkRoot] })) as typeof import("google-protobuf/google/protobuf/empty_pb");
export const providerProto = require("@pulumi/pulumi/proto/provider_pb") as typeof import("@pulumi/pulumi/proto/provider_pb");
export const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as typeof import("@pulumi/pulumi/proto/provider_grpc_pb");
export const resourceProto = require("@pulumi/pulumi/proto/resource_pb") as typeof import("@pulumi/pulumi/proto/resource_pb");
export const resourceRpc = require("@pulumi/pulumi/proto/resource_grpc_pb") as typeof import("@pulumi/pulumi/proto/resource_grpc_pb");
export const engineProto = require("@pulumi/pulumi/proto/engine_pb") as typeof import("@pulumi/pulumi/proto/engine_pb");
export const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof import("@pulumi/pulumi/proto/engine_grpc_pb");
export const statusProto = require("@pulumi/pulumi/proto/status_pb") as typeof import("@pulumi/pulumi/proto/status_pb");

export const DYNAMIC_PROVIDER_HOST = path.join(sdkRoot, "cmd", "dynamic-provider", "index.js");
export const PROGRAM_RUNNER = path.join(sdkRoot, "cmd", "run", "index.js");

/** The signature the SDK and engine put on a secret value in a Struct. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const SIG_KEY = "4dabf18193072939515e22adb298388d";

export type Props = Record<string, unknown>;

export function toStruct(value: Props): InstanceType<typeof structProto.Struct> {
    return structProto.Struct.fromJavaScript(value as Record<string, never>);
}

export function fromStruct(struct: InstanceType<typeof structProto.Struct> | undefined): Props {
    return (struct?.toJavaScript() ?? {}) as Props;
}

export function isSecretValue(value: unknown): value is { value: unknown } {
    return value !== null && typeof value === "object" && (value as Props)[SIG_KEY] === SECRET_SIG;
}

/** Removes secret wrappers, as the engine does before calling a provider that does not accept secrets. */
export function unwrapSecrets(value: unknown, found?: Set<string>, topKey?: string): unknown {
    if (isSecretValue(value)) {
        if (found && topKey !== undefined) {
            found.add(topKey);
        }
        return unwrapSecrets(value.value, found, topKey);
    }
    if (Array.isArray(value)) {
        return value.map((v) => unwrapSecrets(v, found, topKey));
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v, found, topKey ?? k)]));
    }
    return value;
}

export function wrapSecret(value: unknown): Props {
    return { [SIG_KEY]: SECRET_SIG, value };
}
