import * as fs from "fs";

/** What a process of a deployment is, from its command line. */
export type ProcessRole = "CLI (engine)" | "language host" | "program" | "provider host" | "command provider" | "other";

function roleOf(cmdline: string): ProcessRole {
    const [exe = "", ...args] = cmdline.split("\0");
    const rest = args.join(" ");
    // The SDK's launcher script execs the host in its own process, so its pid is first seen as the shell.
    if (rest.includes("dynamic-provider") || rest.includes("pulumi-resource-pulumi-nodejs")) {
        return "provider host";
    }
    if (exe.endsWith("pulumi-language-nodejs")) {
        return "language host";
    }
    if (exe.endsWith("pulumi-resource-command")) {
        return "command provider";
    }
    if (exe.endsWith("/pulumi")) {
        return "CLI (engine)";
    }
    return /node/.test(exe) && /cmd\/run/.test(rest) ? "program" : "other";
}

const TICKS = 100;

/**
 * The CPU seconds of this process's descendants by role, sampled from /proc every `everyMs` while `run`
 * runs: each process counts with its last sample, so up to `everyMs` of each one's CPU before it exits
 * is missed (the total of the run, exact, comes from childCpuS).
 */
export async function cpuByRole<T>(run: () => Promise<T>, everyMs = 100): Promise<{ result: T; cpuS: Record<string, number> }> {
    const seen = new Map<number, { role: ProcessRole; cpuS: number }>();
    const sample = () => {
        const parents = new Map<number, number>();
        const stats = new Map<number, string[]>();
        for (const entry of fs.readdirSync("/proc")) {
            if (!/^\d+$/.test(entry)) {
                continue;
            }
            try {
                const fields = fs.readFileSync(`/proc/${entry}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
                parents.set(Number(entry), Number(fields[1]));
                stats.set(Number(entry), fields);
            } catch {
                // Gone between the listing and the read.
            }
        }
        for (const [pid, fields] of stats) {
            let ancestor = parents.get(pid);
            for (let depth = 0; ancestor !== undefined && ancestor !== process.pid && depth < 16; depth++) {
                ancestor = parents.get(ancestor);
            }
            if (ancestor !== process.pid) {
                continue;
            }
            // utime and stime are fields 14 and 15 of stat(5), here 11 and 12 from 0.
            const cpuS = (Number(fields[11]) + Number(fields[12])) / TICKS;
            // Read each time: a process first seen between fork and exec still shows its parent's command line.
            let role = seen.get(pid)?.role;
            try {
                role = roleOf(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"));
            } catch {
                // Gone since the stat: its last role stands.
            }
            if (role !== undefined) {
                seen.set(pid, { role, cpuS });
            }
        }
    };
    const timer = setInterval(sample, everyMs);
    try {
        const result = await run();
        const cpuS: Record<string, number> = {};
        for (const { role, cpuS: s } of seen.values()) {
            cpuS[role] = (cpuS[role] ?? 0) + s;
        }
        return { result, cpuS };
    } finally {
        clearInterval(timer);
    }
}
