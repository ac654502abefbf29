import * as path from "path";
import { escapeControlCharacters } from "./control-characters";
import type { Redactor } from "./redact";

/** Where long work reports progress: the log the Pulumi CLI shows during `pulumi up`. */
export interface ProgressLog {
    info(message: string): void;
    warn(message: string): void;
}

type Severity = "info" | "warn";
type Sink = (severity: Severity, message: string, urn?: string) => void;

let sink: Sink | undefined;

/** The longest one Engine.Log call may take. */
const LOG_DEADLINE_MS = 10_000;
/** How often the provider host checks that its engine is still there. */
const ENGINE_CHECK_MS = 1_000;
/** The exit status of a host that left because its engine was gone. */
const ENGINE_GONE_EXIT_CODE = 70;

/**
 * Progress for the person running `pulumi up`. Inside the provider host the messages go to the engine's
 * Log service, as `pulumi.log` does in a program (the host gets the engine's address as its first
 * argument); anywhere else they go to stderr. Every message passes the redactor first, then has its
 * control characters escaped: a line may quote a service's own words (an error body, a project's name),
 * and an ESC sequence in them would otherwise drive the user's terminal. No line of the package spans
 * lines, so line breaks are escaped too.
 *
 * With the resource's URN, the CLI shows each message under that resource, in preview as in up;
 * without it, under the stack.
 */
export function progressLog(redactor: Redactor, urn?: string): ProgressLog {
    const write = sink ?? (sink = chooseSink());
    // Redacted first: a secret is found in the text as it came, not in its escaped form.
    return {
        info: (message) => write("info", escapeControlCharacters(redactor.redact(message)), urn),
        warn: (message) => write("warn", escapeControlCharacters(redactor.redact(message)), urn),
    };
}

/** Replaces where progress goes; tests use it to read the log without an engine. */
export function setProgressSink(replacement: Sink | undefined): void {
    sink = replacement;
}

/** The engine's address when this process is the provider host the engine started, else undefined. */
function engineAddress(): string | undefined {
    const address = process.argv[2];
    const inProviderHost = (require.main?.filename ?? "").includes(`${path.sep}dynamic-provider${path.sep}`);
    return inProviderHost && address && /^[\w.[\]:-]+:\d+$/.test(address) ? address : undefined;
}

function chooseSink(): Sink {
    const address = engineAddress();
    if (address !== undefined) {
        try {
            return engineSink(address);
        } catch {
            // Fall through: an SDK without the engine stubs still gets progress on stderr.
        }
    }
    return stderrSink;
}

/**
 * A failed write is never retried and never reported by writing again: with the engine gone, stderr is a
 * pipe nobody reads (EPIPE), and a report of that failure meets the same pipe, for ever.
 */
function stderrSink(severity: Severity, message: string): void {
    if (stderrBroken) {
        return;
    }
    try {
        process.stderr.write(`${severity === "warn" ? "warning: " : ""}${message}\n`, (error) => {
            if (error) {
                stderrBroken = true;
            }
        });
    } catch {
        stderrBroken = true;
    }
}

let stderrBroken = false;

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
        // Keep the order the messages were written in; a lost message falls back to stderr. Each call is
        // bounded, so an engine that stops answering cannot hold a growing queue of them.
        last = last.then(() => new Promise<void>((resolve) => {
            client.log(request, new grpc.Metadata(), { deadline: Date.now() + LOG_DEADLINE_MS }, (error) => {
                if (error) {
                    checkEngine();
                    stderrSink(severity, message);
                }
                resolve();
            });
        }));
    };
}

let watchedParent: number | undefined;

/**
 * Makes the provider host leave when its engine is gone (`pulumi up` killed with kill -9): nothing would
 * ever read its answers, and a purge or a wait that went on would log into a dead pipe. The engine
 * starts the host as its own child (the plugin script `exec`s node), so the engine's death is seen as
 * the host's parent process changing: the kernel gives an orphan a new parent. That check costs one
 * system call a second, does no I/O, and cannot be confused by an engine that is only slow, which a
 * failed Engine.Log call or a refused connection could be (both only make the host look at once). A
 * write to stdout or stderr failing (EPIPE: the engine held their other ends) means the same.
 * Anywhere but in the provider host this does nothing.
 */
export function watchEngine(): void {
    if (watchedParent !== undefined || engineAddress() === undefined) {
        return;
    }
    watchedParent = process.ppid;
    setInterval(checkEngine, ENGINE_CHECK_MS).unref();
    for (const stream of [process.stdout, process.stderr]) {
        // Handled here, the error never reaches the host's uncaught-error handler, which writes it to
        // stderr: the write that failed.
        stream.on("error", leave);
    }
}

function checkEngine(): void {
    if (watchedParent !== undefined && process.ppid !== watchedParent) {
        leave();
    }
}

/** The engine is gone: no one can be told anything, so the host stops its work and exits at once. */
function leave(): void {
    stderrBroken = true;
    process.exit(ENGINE_GONE_EXIT_CODE);
}
