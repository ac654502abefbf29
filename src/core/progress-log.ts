import * as path from "path";
import type { Redactor } from "./redact";

/** Where long work reports progress: the log the Pulumi CLI shows during `pulumi up`. */
export interface ProgressLog {
    info(message: string): void;
    warn(message: string): void;
}

type Severity = "info" | "warn";
type Sink = (severity: Severity, message: string, urn?: string) => void;

let sink: Sink | undefined;

/**
 * Progress for the person running `pulumi up`. Inside the provider host the messages go to the engine's
 * Log service, as `pulumi.log` does in a program (the host gets the engine's address as its first
 * argument); anywhere else they go to stderr. Every message passes the redactor first.
 *
 * With the resource's URN, the CLI shows each message under that resource, in preview as in up;
 * without it, under the stack.
 */
export function progressLog(redactor: Redactor, urn?: string): ProgressLog {
    const write = sink ?? (sink = chooseSink());
    return {
        info: (message) => write("info", redactor.redact(message), urn),
        warn: (message) => write("warn", redactor.redact(message), urn),
    };
}

/** Replaces where progress goes; tests use it to read the log without an engine. */
export function setProgressSink(replacement: Sink | undefined): void {
    sink = replacement;
}

function chooseSink(): Sink {
    const engineAddress = process.argv[2];
    const inProviderHost = (require.main?.filename ?? "").includes(`${path.sep}dynamic-provider${path.sep}`);
    if (inProviderHost && engineAddress && /^[\w.[\]:-]+:\d+$/.test(engineAddress)) {
        try {
            return engineSink(engineAddress);
        } catch {
            // Fall through: an SDK without the engine stubs still gets progress on stderr.
        }
    }
    return stderrSink;
}

function stderrSink(severity: Severity, message: string): void {
    process.stderr.write(`${severity === "warn" ? "warning: " : ""}${message}\n`);
}

/** The engine's Log service at `address`; the plugin sends its plan lines there. */
export function engineSink(address: string): Sink {
    // The SDK's own gRPC copy and stubs: the ones the host already loaded, so nothing new is pulled in.
    const sdkRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkRoot] })) as typeof import("@grpc/grpc-js");
    const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof import("@pulumi/pulumi/proto/engine_grpc_pb");
    const engineProto = require("@pulumi/pulumi/proto/engine_pb") as typeof import("@pulumi/pulumi/proto/engine_pb");
    const client = new engineRpc.EngineClient(address, grpc.credentials.createInsecure());
    let last: Promise<void> = Promise.resolve();
    return (severity, message, urn) => {
        const request = new engineProto.LogRequest();
        request.setSeverity(severity === "warn" ? engineProto.LogSeverity.WARNING : engineProto.LogSeverity.INFO);
        request.setMessage(message);
        if (urn) {
            request.setUrn(urn);
        }
        // Keep the order the messages were written in; a lost message falls back to stderr.
        last = last.then(() => new Promise<void>((resolve) => {
            client.log(request, (error) => {
                if (error) {
                    stderrSink(severity, message);
                }
                resolve();
            });
        }));
    };
}
