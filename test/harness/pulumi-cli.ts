import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "./workspace";

/** Where the real CLI is, or why there is none. */
export type CliAvailability = { readonly binDir: string } | { readonly missing: string };

let availability: CliAvailability | undefined;

/**
 * The real `pulumi` CLI, built from source by scripts/pulumi-cli.sh (reused when its cache holds the
 * SDK's version). `PULUMI_CLI_BIN` names a folder that already holds one. On a machine without Go there
 * is none, and the real-CLI suites skip saying so; on a machine with Go a failed build fails them.
 */
export function pulumiCli(): CliAvailability {
    if (availability) {
        return availability;
    }
    const given = process.env.PULUMI_CLI_BIN;
    if (given) {
        availability = fs.existsSync(path.join(given, "pulumi")) ? { binDir: given } : { missing: `PULUMI_CLI_BIN=${given} holds no pulumi` };
        return availability;
    }
    if (spawnSync("sh", ["-c", "command -v go"]).status !== 0) {
        availability = { missing: "go is not on PATH, so the pulumi CLI cannot be built (scripts/pulumi-cli.sh)" };
        return availability;
    }
    const build = spawnSync("bash", [path.join(REPO_ROOT, "scripts", "pulumi-cli.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (build.status !== 0) {
        throw new Error(`scripts/pulumi-cli.sh failed (exit ${build.status}): the real-CLI suites cannot run on a machine with Go`);
    }
    availability = { binDir: build.stdout.trim().split("\n").pop()! };
    process.env.PULUMI_CLI_BIN = availability.binDir;
    return availability;
}

/** `describe` for a real-CLI suite: skipped, with the reason printed, only where no CLI can be built. */
export function describeWithCli(title: string, suite: (this: Mocha.Suite, binDir: string) => void): void {
    const cli = pulumiCli();
    if ("missing" in cli) {
        describe.skip(`${title} (skipped: ${cli.missing})`, function () { suite.call(this, ""); });
        return;
    }
    describe(title, function () { suite.call(this, cli.binDir); });
}

/**
 * The environment of an offline pulumi: the built CLI first on PATH, PULUMI_HOME and a file backend in
 * the work folder, a passphrase for secrets, no update check, no plugin downloads.
 */
export function cliEnvironment(binDir: string, workDir: string): NodeJS.ProcessEnv {
    const home = path.join(workDir, "pulumi-home");
    const backend = path.join(workDir, "backend");
    fs.mkdirSync(home, { recursive: true });
    fs.mkdirSync(backend, { recursive: true });
    return {
        ...process.env,
        PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: "pulumi-cache-purge-tests",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    };
}

export interface CliResult {
    readonly ok: boolean;
    readonly code: number | null;
    /** stdout then stderr, as a user's terminal shows them, without colour. */
    readonly output: string;
    readonly stdout: string;
    readonly milliseconds: number;
}

export type StackConfig = Readonly<Record<string, { readonly value: string; readonly secret?: boolean }>>;

/**
 * A stack driven by the real CLI: a local file backend and PULUMI_HOME in a work folder, a passphrase
 * for secrets, no update check and no plugin downloads, so nothing leaves the machine. The program's
 * folder is the user's project (a copy made for the test): its stack config file is written there, as
 * `pulumi config set` writes it for a user.
 *
 * Commands run asynchronously: the emulators answering the purges live in the test's own process.
 */
export class CliStack {
    readonly env: NodeJS.ProcessEnv;

    constructor(private readonly options: {
        readonly binDir: string;
        readonly programDir: string;
        readonly workDir: string;
        readonly stack: string;
        readonly env?: NodeJS.ProcessEnv;
    }) {
        this.env = { ...cliEnvironment(options.binDir, options.workDir), ...options.env };
    }

    /** Creates the stack and sets its config, secrets with `--secret`. */
    async init(config: StackConfig): Promise<void> {
        await this.mustRun(["stack", "init", this.options.stack, "--non-interactive"]);
        await this.setConfig(config);
    }

    async setConfig(config: StackConfig): Promise<void> {
        for (const [key, { value, secret }] of Object.entries(config)) {
            await this.mustRun(["config", "set", key, value, secret ? "--secret" : "--plaintext", "--stack", this.options.stack]);
        }
    }

    preview(...extra: string[]): Promise<CliResult> {
        return this.run(["preview", ...extra]);
    }

    up(...extra: string[]): Promise<CliResult> {
        return this.run(["up", "--yes", ...extra]);
    }

    refresh(...extra: string[]): Promise<CliResult> {
        return this.run(["refresh", "--yes", ...extra]);
    }

    destroy(...extra: string[]): Promise<CliResult> {
        return this.run(["destroy", "--yes", ...extra]);
    }

    /** The stack's state as `pulumi stack export` prints it: secrets stay ciphertext unless showSecrets. */
    async exportState(showSecrets = false): Promise<string> {
        return (await this.mustRun(["stack", "export", ...(showSecrets ? ["--show-secrets"] : [])])).stdout;
    }

    /** One stack output as `pulumi stack output --json` prints it (secrets shown only with showSecrets). */
    async output(name: string, showSecrets = false): Promise<unknown> {
        const result = await this.mustRun(["stack", "output", name, "--json", ...(showSecrets ? ["--show-secrets"] : [])]);
        return JSON.parse(result.stdout);
    }

    async mustRun(args: string[]): Promise<CliResult> {
        const result = await this.run(args);
        if (!result.ok) {
            throw new Error(`pulumi ${args.join(" ")} failed:\n${result.output}`);
        }
        return result;
    }

    run(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
        const started = Date.now();
        // `stack init` names its stack as an argument; every other command is told which stack to use.
        const stackArgs = args[0] === "stack" && args[1] === "init" || args.includes("--stack") ? [] : ["--stack", this.options.stack];
        const child = spawn(path.join(this.options.binDir, "pulumi"), [...args, ...stackArgs, "--color", "never"], {
            cwd: this.options.programDir, env: { ...this.env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => { stdout += chunk; output += chunk; });
        child.stderr.on("data", (chunk: Buffer) => { output += chunk; });
        return new Promise((resolve, reject) => {
            child.on("error", reject);
            child.on("close", (code) => resolve({ ok: code === 0, code, output, stdout, milliseconds: Date.now() - started }));
        });
    }
}
