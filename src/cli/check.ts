import { execFile } from "child_process";
import { escapeControlCharacters } from "../core/control-characters";
import { forgetStackConfig, rememberStackConfig } from "../core/credentials";
import type { CommonInputs } from "../core/inputs";
import { type ProbedResource, type ProbeResult, probeResources } from "../core/probe";
import type { PurgeService } from "../core/service";
import { services } from "../services/registry";

type Props = Record<string, unknown>;

/** `pulumi stack export` and `pulumi config --json` can be large for a big stack; they are still bounded. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
const PULUMI_TIMEOUT_MS = 120_000;
/** `pulumi-nodejs:dynamic/<service>:<Class>`, the type token of every dynamic purge resource. */
const PURGE_TYPE = /^pulumi-nodejs:dynamic\/([a-z]+):/;
/** The marker `pulumi stack export --show-secrets` wraps a decrypted secret in. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export interface CheckOptions {
    readonly stack?: string;
    /**
     * Read the resources from `pulumi preview --json` instead of the state: it runs the program, and sees
     * resources that are not deployed yet (a new stack, before its first purge).
     */
    readonly preview?: boolean;
    /** The `pulumi` to run; `pulumi` on PATH by default. */
    readonly pulumi?: string;
    readonly cwd?: string;
}

/** Reads `[--stack <name>] [--preview]`; returns a message for anything else. */
export function parseCheckArgs(args: readonly string[]): CheckOptions | string {
    let stack: string | undefined;
    let preview = false;
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "--stack" && (args[i + 1] ?? "") !== "") {
            stack = args[++i];
        } else if (args[i] === "--preview") {
            preview = true;
        } else {
            return `unexpected argument ${JSON.stringify(args[i])}; the options are --stack <name> and --preview`;
        }
    }
    return { ...(stack === undefined ? {} : { stack }), preview };
}

/**
 * `npx pulumi-cache-purge check`: the stack's purge resources, as `pulumi stack export` recorded them
 * (their inputs as the provider checked them last), with the stack config the provider would get, so
 * every credential is found where the provider finds it (input, stack config, environment). It reads
 * the state rather than running the program: no build, no engine, no purge plan, and a preview that
 * refuses a missing credential cannot stop it. A resource not deployed yet is not in the state: `--preview`
 * reads `pulumi preview --json` instead, which runs the program.
 */
export async function runCheck(options: CheckOptions, write: (line: string) => void): Promise<number> {
    const stackArgs = options.stack === undefined ? [] : ["--stack", options.stack];
    const deployed = JSON.parse(await pulumi(options, ["stack", "export", "--show-secrets", ...stackArgs])) as unknown;
    const state = options.preview
        ? withPreview(deployed, JSON.parse(await pulumi(options, ["preview", "--json", "--show-secrets", ...stackArgs], true)) as unknown)
        : deployed;
    const config = JSON.parse(await pulumi(options, ["config", "--json", "--show-secrets", ...stackArgs])) as unknown;
    return checkStack(state, config, write);
}

/** The check itself, from the two JSON documents; exit code 1 when any account was refused. */
export async function checkStack(state: unknown, config: unknown, write: (line: string) => void): Promise<number> {
    const resources = purgeResources(state);
    if (resources.length === 0) {
        write("no purge resources found: check reads what `pulumi up` deployed; before the first up, run check --preview");
        return 0;
    }
    rememberStackConfig(stackConfig(config));
    const results = await probeResources(resources).finally(forgetStackConfig);
    for (const result of results) {
        write(describe(result));
    }
    const refused = results.filter((r) => r.verdict === "refused").length;
    write(`${results.length} account(s) checked, ${refused} refused; nothing was purged`);
    return refused > 0 ? 1 : 0;
}

/**
 * The deployed resources with what `pulumi preview --json` plans in their place: its steps carry the new
 * state of each resource it creates or updates, and leave out the unchanged ones, which the state has.
 */
function withPreview(deployed: unknown, preview: unknown): unknown {
    const byUrn = new Map<unknown, unknown>();
    const resources = (deployed as { deployment?: { resources?: unknown } } | null)?.deployment?.resources;
    for (const resource of Array.isArray(resources) ? resources : []) {
        byUrn.set((resource as { urn?: unknown }).urn, resource);
    }
    const steps = (preview as { steps?: unknown } | null)?.steps;
    for (const step of Array.isArray(steps) ? steps : []) {
        const planned = (step as { newState?: { urn?: unknown } }).newState;
        if (planned !== undefined && planned !== null) {
            byUrn.set(planned.urn, planned);
        }
    }
    return { deployment: { resources: [...byUrn.values()] } };
}

/** One line per account; escaped, as a refusal quotes the service's own words, which may hold ESC sequences. */
function describe(result: ProbeResult): string {
    const names = result.resources.join(", ");
    const where = result.sources.length > 0 ? `${result.sources.join(", ")}: ` : "";
    return escapeControlCharacters(`${result.service} (${names}): ${where}${result.verdict}: ${result.detail}`);
}

function purgeResources(state: unknown): ProbedResource[] {
    const deployment = (state as { deployment?: { resources?: unknown } } | null)?.deployment;
    const list = Array.isArray(deployment?.resources) ? deployment.resources as unknown[] : [];
    const byName = new Map(services.map((s) => [s.name, s as unknown as PurgeService<CommonInputs>]));
    const found: ProbedResource[] = [];
    for (const entry of list) {
        const resource = entry as { type?: unknown; urn?: unknown; inputs?: unknown; delete?: unknown };
        const match = typeof resource.type === "string" ? PURGE_TYPE.exec(resource.type) : null;
        const service = match === null ? undefined : byName.get(match[1]);
        if (service === undefined || resource.delete === true || resource.inputs === null || typeof resource.inputs !== "object") {
            continue;
        }
        const name = typeof resource.urn === "string" ? resource.urn.slice(resource.urn.lastIndexOf("::") + 2) : match![1];
        found.push({ name, service, inputs: revealed(resource.inputs) as Props });
    }
    return found;
}

/** A secret in `stack export --show-secrets` is `{ <sig>: …, plaintext: "<JSON>" }`: the value is the JSON inside. */
function revealed(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(revealed);
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    const object = value as Props;
    if (Object.hasOwn(object, SECRET_SIG) && typeof object.plaintext === "string") {
        return revealed(JSON.parse(object.plaintext));
    }
    return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, revealed(inner)]));
}

/** `pulumi config --json` is `{ "<namespace>:<key>": { value, secret } }`; the provider's `configure` sees the values. */
function stackConfig(config: unknown): { get(key: string): string | undefined; require(key: string): string } {
    const entries = config !== null && typeof config === "object" ? config as Record<string, { value?: unknown }> : {};
    const get = (key: string) => {
        const value = Object.hasOwn(entries, key) ? entries[key]?.value : undefined;
        return typeof value === "string" ? value : undefined;
    };
    return {
        get,
        require: (key) => get(key) ?? "",
    };
}

/** `jsonEvenOnFailure`: a preview that fails (a missing credential) still prints its JSON, with the steps it planned. */
function pulumi(options: CheckOptions, args: string[], jsonEvenOnFailure = false): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(options.pulumi ?? "pulumi", args, { cwd: options.cwd, maxBuffer: MAX_OUTPUT_BYTES, timeout: PULUMI_TIMEOUT_MS }, (error, stdout, stderr) => {
            if (error && !(jsonEvenOnFailure && String(stdout).trimStart().startsWith("{"))) {
                const said = String(stderr).trim().split("\n").slice(-3).join(" ");
                reject(new Error(`pulumi ${args.join(" ")} failed: ${said || error.message}`));
                return;
            }
            resolve(String(stdout));
        });
    });
}
