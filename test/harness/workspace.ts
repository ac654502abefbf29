import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * Makes `require("pulumi-cache-purge/…")` from the repository's examples resolve to this repository, as
 * it resolves to the installed package in a user's project. Node's package self-reference does not apply
 * to the provider text the host loads from a string, so the link is needed (design.md §3).
 */
export function linkPackageIntoNodeModules(): void {
    const link = path.join(REPO_ROOT, "node_modules", "pulumi-cache-purge");
    try {
        if (fs.realpathSync(link) === fs.realpathSync(REPO_ROOT)) {
            return;
        }
        fs.rmSync(link, { recursive: true, force: true });
    } catch {
        // Not there yet.
    }
    fs.symlinkSync("..", link, "dir");
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
