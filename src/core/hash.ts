import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

export interface HashFilesOptions {
    /**
     * Paths to leave out, relative to the folder hashed, with `/` separators: a name (`.DS_Store`), a
     * folder prefix (`drafts/`), or a predicate.
     */
    readonly exclude?: readonly string[] | ((relativePath: string) => boolean);
}

export interface HashUrlsOptions extends HashFilesOptions {
    /** The URL the folder is served under; each file's URL is this plus its encoded relative path. */
    readonly baseUrl: string;
}

/**
 * A content hash of a file or of every file in a folder: the value to put in `triggers` so a purge runs
 * exactly when the content changes. Deterministic across machines: files are taken in sorted order by
 * their relative path with `/` separators, and each path goes into the hash with its content. Files are
 * streamed, never held in memory whole.
 *
 * With `baseUrl`, it returns one entry per file instead: URL -> hash of that file, for services that
 * purge URL by URL.
 *
 * @example triggers: { site: purge.hashFiles("dist") }
 * @example urls: purge.hashFiles("dist/img", { baseUrl: "https://cdn.example.com/img/" })
 */
export function hashFiles(target: string, options?: HashFilesOptions): Promise<string>;
export function hashFiles(target: string, options: HashUrlsOptions): Promise<Record<string, string>>;
export function hashFiles(target: string, options: HashFilesOptions | HashUrlsOptions = {}): Promise<string | Record<string, string>> {
    const root = path.resolve(target);
    // Checked now, not in the promise: the SDK rewraps a rejected input as "error serializing property …"
    // with a stack trace, where an error thrown by the program itself is shown as its one line.
    if (!fs.existsSync(root)) {
        throw hashFilesError(`${root} does not exist`);
    }
    return hashRoot(root, options);
}

async function hashRoot(root: string, options: HashFilesOptions | HashUrlsOptions): Promise<string | Record<string, string>> {
    const files = await listFiles(root, excluder(options.exclude));
    if ("baseUrl" in options) {
        const base = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
        const entries: Record<string, string> = {};
        for (const file of files) {
            const url = base + file.relative.split("/").map(encodeURIComponent).join("/");
            entries[url] = await digestOf([file]);
        }
        return entries;
    }
    return digestOf(files);
}

interface FileEntry {
    readonly absolute: string;
    /** Relative to the root, `/`-separated; empty when the root is itself a file. */
    readonly relative: string;
}

async function digestOf(files: readonly FileEntry[]): Promise<string> {
    const hash = createHash("sha256");
    for (const file of files) {
        // Length-prefixed, so "a" + "bc" and "ab" + "c" never hash alike.
        const size = (await fs.promises.stat(file.absolute)).size;
        hash.update(`${file.relative}\0${size}\0`);
        for await (const chunk of fs.createReadStream(file.absolute)) {
            hash.update(chunk as Buffer);
        }
    }
    return hash.digest("hex");
}

/**
 * An error the Pulumi program reports as its one line, without the SDK's stack trace and program
 * source: `RunError` is how the SDK is told the message says it all. Loaded on use, so hashing needs
 * no Pulumi runtime (tests, scripts).
 */
function hashFilesError(message: string): Error {
    try {
        const { RunError } = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
        return new RunError(`hashFiles: ${message}`);
    } catch {
        return new Error(`hashFiles: ${message}`);
    }
}

async function listFiles(root: string, excluded: (relative: string) => boolean): Promise<FileEntry[]> {
    const stat = await fs.promises.stat(root).catch(() => undefined);
    if (stat === undefined) {
        throw hashFilesError(`${root} does not exist`);
    }
    if (stat.isFile()) {
        return [{ absolute: root, relative: path.basename(root) }];
    }
    const found: FileEntry[] = [];
    // Symbolic links are followed (content behind a link is content deployed); the real paths of the
    // folders being walked guard against a link back to one of them.
    const walk = async (dir: string, prefix: string, ancestors: ReadonlySet<string>): Promise<void> => {
        for (const entry of await fs.promises.readdir(dir, { withFileTypes: true })) {
            const relative = prefix + entry.name;
            if (excluded(relative) || excluded(`${relative}/`)) {
                continue;
            }
            const absolute = path.join(dir, entry.name);
            let isDirectory = entry.isDirectory();
            let isFile = entry.isFile();
            if (entry.isSymbolicLink()) {
                const target = await fs.promises.stat(absolute).catch(() => undefined);
                if (target === undefined) {
                    throw hashFilesError(`${absolute} is a symbolic link to nothing (${await fs.promises.readlink(absolute).catch(() => "?")}); remove it or exclude ${JSON.stringify(relative)}`);
                }
                isDirectory = target.isDirectory();
                isFile = target.isFile();
            }
            if (isDirectory) {
                const real = await fs.promises.realpath(absolute);
                if (ancestors.has(real)) {
                    throw hashFilesError(`${absolute} is a symbolic link back to ${real}, a folder it is inside of; remove it or exclude ${JSON.stringify(relative)}`);
                }
                await walk(absolute, `${relative}/`, new Set([...ancestors, real]));
            } else if (isFile) {
                found.push({ absolute, relative });
            }
        }
    };
    await walk(root, "", new Set([await fs.promises.realpath(root)]));
    return found.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

function excluder(exclude: HashFilesOptions["exclude"]): (relative: string) => boolean {
    if (exclude === undefined) {
        return () => false;
    }
    if (typeof exclude === "function") {
        return exclude;
    }
    return (relative) => exclude.some((pattern) =>
        pattern.endsWith("/") ? `${relative}/`.startsWith(pattern) || relative.startsWith(pattern) : relative === pattern || relative.endsWith(`/${pattern}`));
}
