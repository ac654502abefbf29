import { type ChildProcess, spawn } from "child_process";

/**
 * `npx pulumi-cache-purge emulators` as a user runs it: a child process whose printed lines are read,
 * and which is stopped with Ctrl-C. A terminal's Ctrl-C sends SIGINT to the whole foreground process
 * group (npm and the command it runs), and npm does not pass a SIGINT sent to it alone on to its child:
 * so the command runs in a process group of its own and the signal goes to the group.
 */
export class EmulatorsProcess {
    readonly lines: string[] = [];
    /** `pulumi config set` lines as key -> value (`myproj:flextypeUrl` is `flextypeUrl` here). */
    readonly config: Record<string, string> = {};
    readonly configLines: string[] = [];
    private readonly child: ChildProcess;
    private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    private waiters: Array<() => void> = [];
    private partial = "";

    constructor(command: string, args: readonly string[], cwd: string) {
        this.child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
        const take = (chunk: Buffer) => {
            const text = this.partial + chunk.toString("utf8");
            const parts = text.split("\n");
            this.partial = parts.pop() ?? "";
            for (const line of parts) {
                this.lines.push(line);
                const set = /^pulumi config set (?:--secret )?(\S+) (\S+)$/.exec(line);
                if (set) {
                    this.configLines.push(line);
                    this.config[set[1]] = set[2];
                }
            }
            for (const waiter of this.waiters) {
                waiter();
            }
        };
        this.child.stdout!.on("data", take);
        this.child.stderr!.on("data", take);
        this.exited = new Promise((resolve) => this.child.on("exit", (code, signal) => resolve({ code, signal })));
    }

    /** Resolves with the first printed line that matches, waiting for it up to `timeoutMs`. */
    async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const found = this.lines.find((l) => pattern.test(l));
            if (found !== undefined) {
                return found;
            }
            if (Date.now() > deadline) {
                throw new Error(`no line matching ${pattern} within ${timeoutMs} ms; printed:\n${this.lines.join("\n")}`);
            }
            await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, 200);
                this.waiters.push(() => {
                    clearTimeout(timer);
                    resolve();
                });
            });
            this.waiters = [];
        }
    }

    /** Ctrl-C; resolves with how the process ended, or rejects if it is still running 15 s later. */
    async interrupt(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
        process.kill(-this.child.pid!, "SIGINT");
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`still running 15 s after SIGINT; printed:\n${this.lines.join("\n")}`)), 15_000);
        });
        try {
            return await Promise.race([this.exited, late]);
        } finally {
            clearTimeout(timer);
        }
    }

    /** Ends the whole group, whatever state it is in. */
    kill(): void {
        try {
            process.kill(-this.child.pid!, "SIGKILL");
        } catch {
            // Already gone.
        }
    }
}
