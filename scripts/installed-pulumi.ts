import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The first release whose dynamic providers get `configure` (stack config credentials): the package's peer range starts there. */
export const MIN_PULUMI = "3.139.0";

/** A `pulumi` the user installed, fit to run the demo. */
export interface InstalledPulumi {
    /** The folder `pulumi` is really in (symbolic links resolved): the CLI finds its bundled plugins there. */
    readonly binDir: string;
    readonly version: string;
    /** The Node.js language host that runs programs: the one shipped beside `pulumi`, else the first on PATH. */
    readonly languageHost: string;
}

function executablesOnPath(name: string, searchPath: string): string[] {
    return searchPath.split(path.delimiter).filter((dir) => dir !== "").map((dir) => path.join(dir, name)).filter((file) => {
        try {
            fs.accessSync(file, fs.constants.X_OK);
            return fs.statSync(file).isFile();
        } catch {
            return false;
        }
    });
}

function atLeast(version: string, minimum: string): boolean {
    const [a, b] = [version, minimum].map((v) => v.split(".").map(Number));
    for (let i = 0; i < 3; i++) {
        if (a[i] !== b[i]) {
            return a[i] > b[i];
        }
    }
    return true;
}

/**
 * The `pulumi` on `searchPath` when it is MIN_PULUMI or later and has a Node.js language host, or why
 * it cannot be used. Asks the binary itself (`pulumi version`, bounded to 20 s), never trusts a name.
 */
export function installedPulumi(searchPath = process.env.PATH ?? ""): InstalledPulumi | { readonly reason: string } {
    const [found] = executablesOnPath("pulumi", searchPath);
    if (found === undefined) {
        return { reason: "no pulumi on PATH" };
    }
    const binary = fs.realpathSync(found);
    const answer = spawnSync(binary, ["version"], { encoding: "utf8", timeout: 20_000, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    const version = /^v?(\d+\.\d+\.\d+)/.exec(answer.stdout?.trim() ?? "")?.[1];
    if (answer.status !== 0 || version === undefined) {
        return { reason: `${found} did not answer \`pulumi version\` with a version (${answer.error?.message ?? (answer.stdout || answer.stderr || "").trim().slice(0, 80)})` };
    }
    if (!atLeast(version, MIN_PULUMI)) {
        return { reason: `${found} is pulumi v${version}, older than ${MIN_PULUMI} (the first whose dynamic providers read the stack config)` };
    }
    const binDir = path.dirname(binary);
    const languageHost = [...executablesOnPath("pulumi-language-nodejs", binDir), ...executablesOnPath("pulumi-language-nodejs", searchPath)][0];
    if (languageHost === undefined) {
        return { reason: `${found} (v${version}) has no pulumi-language-nodejs beside it or on PATH to run Node.js programs` };
    }
    return { binDir, version, languageHost };
}

/** How the demo names the engine it runs on, so the reader knows which `pulumi` and language host it used. */
export function installedLabel(installed: InstalledPulumi): string {
    return `the pulumi CLI v${installed.version} installed in ${installed.binDir}, with its own language host (${installed.languageHost}), a local file backend`;
}
