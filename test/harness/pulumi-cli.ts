import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The `pulumi` binary on PATH, if there is one. None can be installed on the machines this is built on. */
export function pulumiOnPath(): string | undefined {
    const found = spawnSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" });
    return found.status === 0 && found.stdout.trim() !== "" ? found.stdout.trim() : undefined;
}

export interface CliResult {
    readonly ok: boolean;
    readonly output: string;
}

/**
 * A stack driven by the real Pulumi CLI with a local file backend in a temporary folder, for machines
 * that have one: the same scenarios the test engine runs, under the real engine. The stack's config
 * file lives in the temporary folder too, so the example's folder is never written to.
 */
export class CliStack {
    private readonly env: NodeJS.ProcessEnv;
    private readonly configFile: string;

    constructor(private readonly options: {
        readonly programDir: string;
        readonly workDir: string;
        readonly stack: string;
        readonly config: Readonly<Record<string, { readonly value: string; readonly secret?: boolean }>>;
    }) {
        const home = path.join(options.workDir, "pulumi-home");
        const backend = path.join(options.workDir, "backend");
        fs.mkdirSync(home, { recursive: true });
        fs.mkdirSync(backend, { recursive: true });
        this.configFile = path.join(options.workDir, `Pulumi.${options.stack}.yaml`);
        this.env = {
            ...process.env,
            PULUMI_HOME: home,
            PULUMI_BACKEND_URL: `file://${backend}`,
            PULUMI_CONFIG_PASSPHRASE: "pulumi-cache-purge-tests",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        };
    }

    /** Creates the stack and sets its config, secrets as secrets. */
    init(): void {
        this.run(["stack", "init", this.options.stack, "--non-interactive"], true);
        this.setConfig(this.options.config);
    }

    setConfig(config: Readonly<Record<string, { readonly value: string; readonly secret?: boolean }>>): void {
        for (const [key, { value, secret }] of Object.entries(config)) {
            this.run(["config", "set", key, value, ...(secret ? ["--secret"] : ["--plaintext"])], true);
        }
    }

    preview(): CliResult {
        return this.run(["preview", "--diff", "--non-interactive"]);
    }

    up(): CliResult {
        return this.run(["up", "--yes", "--skip-preview", "--non-interactive"]);
    }

    destroy(): CliResult {
        return this.run(["destroy", "--yes", "--skip-preview", "--non-interactive"]);
    }

    /** The stack's state as the CLI exports it (secrets stay encrypted). */
    exportState(): string {
        return this.run(["stack", "export"], true).output;
    }

    private run(args: string[], mustSucceed = false): CliResult {
        // `stack` commands take no config file; the others read the stack's config from the temporary folder.
        const configFile = args[0] === "stack" ? [] : ["--config-file", this.configFile];
        const fullArgs = [...args, "--stack", this.options.stack, ...configFile];
        try {
            const output = execFileSync("pulumi", fullArgs, { cwd: this.options.programDir, env: this.env, encoding: "utf8", stdio: "pipe" });
            return { ok: true, output };
        } catch (error) {
            const failed = error as { stdout?: string; stderr?: string };
            const output = `${failed.stdout ?? ""}${failed.stderr ?? ""}`;
            if (mustSucceed) {
                throw new Error(`pulumi ${args.join(" ")} failed:\n${output}`);
            }
            return { ok: false, output };
        }
    }
}
