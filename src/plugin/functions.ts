import { hashFiles } from "../core/hash";
import type { Props } from "./sdk";

/** The token of the one function the plugin serves; `hashFiles` from TypeScript, for every language. */
export const HASH_FILES = "cache-purge:index:hashFiles";

/**
 * `hashFiles` for programs that cannot call the TypeScript one: Pulumi YAML has no hash function, and
 * a trigger must be a content hash. A relative path is resolved from the program's folder, where the
 * engine starts the plugin. Returns `{ hash }`, or `{ urls }` (URL -> hash of that file) with `baseUrl`.
 */
export async function invoke(token: string, args: Props): Promise<{ outputs: Props; failures: { property: string; reason: string }[] }> {
    if (token !== HASH_FILES) {
        throw new Error(`unknown function ${token}; this provider serves ${HASH_FILES}`);
    }
    const failures = [
        ...(typeof args.path === "string" && args.path !== "" ? [] : [{ property: "path", reason: "path: required, expected a file or folder to hash" }]),
        ...(args.baseUrl === undefined || typeof args.baseUrl === "string" ? [] : [{ property: "baseUrl", reason: `baseUrl: expected a URL, got ${JSON.stringify(args.baseUrl)}` }]),
        ...(args.exclude === undefined || (Array.isArray(args.exclude) && args.exclude.every((e) => typeof e === "string"))
            ? [] : [{ property: "exclude", reason: "exclude: expected a list of paths" }]),
    ];
    if (failures.length > 0) {
        return { outputs: {}, failures };
    }
    const path = args.path as string;
    const exclude = args.exclude as string[] | undefined;
    if (typeof args.baseUrl === "string") {
        return { outputs: { urls: await hashFiles(path, { baseUrl: args.baseUrl, exclude }) }, failures: [] };
    }
    return { outputs: { hash: await hashFiles(path, { exclude }) }, failures: [] };
}
