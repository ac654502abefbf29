import * as fs from "fs";
import * as path from "path";
import type { CliStack } from "./pulumi-cli";
import type { DeploymentResult, LogEntry, Step, StepOp } from "./test-engine";

interface EngineEvent {
    readonly diagnosticEvent?: { readonly urn?: string; readonly message: string; readonly severity: string };
    readonly resourcePreEvent?: { readonly metadata: { readonly op: string; readonly urn: string; readonly new?: { readonly inputs?: Record<string, unknown> } } };
}

/** What `pulumi preview --json` prints (preview has no event log). */
interface PreviewDocument {
    readonly steps?: ReadonlyArray<{ readonly op: string; readonly urn: string; readonly newState?: { readonly inputs?: Record<string, unknown> } }>;
    readonly diagnostics?: ReadonlyArray<{ readonly urn?: string; readonly message: string; readonly severity: string }>;
}

const OPS: Readonly<Record<string, StepOp>> = { create: "create", update: "update", same: "same", delete: "delete" };

/**
 * A preview, up or destroy under the real CLI, read back as the test engine reports one: the steps with
 * each purge's plan line, the log the engine received, the errors, and the stack outputs. It reads what
 * the CLI writes for programs, not its display: the JSON of `preview --json`, the event log of `up` and
 * `destroy` (`--event-log`).
 */
export async function cliDeployment(stack: CliStack, command: "preview" | "up" | "destroy", workDir: string): Promise<DeploymentResult> {
    if (command === "preview") {
        const result = await stack.preview("--json");
        const document = JSON.parse(result.stdout) as PreviewDocument;
        const events: EngineEvent[] = [
            ...(document.steps ?? []).map((step) => ({ resourcePreEvent: { metadata: { op: step.op, urn: step.urn, new: step.newState } } })),
            ...(document.diagnostics ?? []).map((diagnostic) => ({ diagnosticEvent: diagnostic })),
        ];
        return fromEvents(events, result.ok, {}, result.output);
    }
    const eventLog = path.join(workDir, `events-${Date.now()}.jsonl`);
    // The event log is a debugging flag of the CLI's: it exists only with PULUMI_DEBUG_COMMANDS set.
    const result = await stack.run([command, "--yes", "--event-log", eventLog], { PULUMI_DEBUG_COMMANDS: "true" });
    const events = fs.existsSync(eventLog)
        ? fs.readFileSync(eventLog, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as EngineEvent)
        : [];
    fs.rmSync(eventLog, { force: true });
    const outputs = result.ok && command === "up"
        ? JSON.parse((await stack.mustRun(["stack", "output", "--json", "--show-secrets"])).stdout) as Record<string, unknown>
        : {};
    return fromEvents(events, result.ok, outputs, result.output);
}

function fromEvents(events: readonly EngineEvent[], ok: boolean, outputs: Record<string, unknown>, output: string): DeploymentResult {
    const steps: Step[] = [];
    const log: LogEntry[] = [];
    const errors: string[] = [];
    for (const event of events) {
        const pre = event.resourcePreEvent?.metadata;
        if (pre && OPS[pre.op] && !pre.urn.includes("::pulumi:pulumi:Stack::") && !pre.urn.includes("::pulumi:providers:")) {
            const plan = pre.new?.inputs?.purgePlan;
            steps.push({ op: OPS[pre.op], urn: pre.urn, name: pre.urn.split("::").pop()!, ...(typeof plan === "string" ? { purgePlan: plan } : {}) });
        }
        const diagnostic = event.diagnosticEvent;
        if (diagnostic) {
            const message = diagnostic.message.trimEnd();
            if (diagnostic.severity === "error") {
                errors.push(message);
            } else {
                const severity = diagnostic.severity === "warning" ? "warning" : diagnostic.severity === "debug" ? "debug" : "info";
                log.push({ severity, message, ...(diagnostic.urn ? { urn: diagnostic.urn } : {}) });
            }
        }
    }
    return { ok, steps, log, errors, outputs, output };
}
