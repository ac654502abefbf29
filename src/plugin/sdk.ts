/**
 * The Pulumi SDK's gRPC pieces, from its installed copy: its @grpc/grpc-js, its generated provider
 * stubs, its protobuf Struct. The plugin speaks exactly the protocol the SDK's own provider server does.
 */
import * as path from "path";

const sdkRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json"));

export const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkRoot] })) as typeof import("@grpc/grpc-js");
export const structProto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkRoot] })) as typeof import("google-protobuf/google/protobuf/struct_pb");
export const emptyProto = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [sdkRoot] })) as typeof import("google-protobuf/google/protobuf/empty_pb");
export const anyProto = require(require.resolve("google-protobuf/google/protobuf/any_pb", { paths: [sdkRoot] })) as typeof import("google-protobuf/google/protobuf/any_pb");
export const providerProto = require("@pulumi/pulumi/proto/provider_pb") as typeof import("@pulumi/pulumi/proto/provider_pb");
export const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as typeof import("@pulumi/pulumi/proto/provider_grpc_pb");
export const pluginProto = require("@pulumi/pulumi/proto/plugin_pb") as typeof import("@pulumi/pulumi/proto/plugin_pb");
export const statusProto = require("@pulumi/pulumi/proto/status_pb") as typeof import("@pulumi/pulumi/proto/status_pb");

export type Props = Record<string, unknown>;
export type Struct = InstanceType<typeof structProto.Struct>;

export function toStruct(value: Props): Struct {
    return structProto.Struct.fromJavaScript(value as Record<string, never>);
}

export function fromStruct(struct: Struct | undefined): Props {
    return (struct?.toJavaScript() ?? {}) as Props;
}
