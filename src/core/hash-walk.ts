import * as fs from "fs";
import * as path from "path";

/** A file to hash: where it is, and the path it goes into the hash (and its URL) under. */
export interface FileEntry {
    readonly absolute: string;
    /** Relative to the root, `/`-separated; the file's own name when the root is itself a file. */
    readonly relative: string;
}

export interface WalkOptions {
    /** Whether a folder reached again through another link is listed again under that path (one URL per path). */
    readonly everyPath: boolean;
    readonly skip: (relative: string, isDirectory: boolean) => boolean;
    /** Files and folders visited, at most; the walk fails past it. */
    readonly maxEntries: number;
    readonly fail: (message: string) => Error;
}

/**
 * Every file under `root`, sorted by relative path. Symbolic links are followed (content behind a link is
 * content deployed), and each folder's real path is read once: a folder reached through several links
 * is listed again only when `everyPath` (each path is a URL), from what was read, and the walk stops
 * past `maxEntries` either way, so a tree of links that doubles at every level (no loop, 2^22 paths
 * for 22 levels) ends at once. A link back into a folder it is inside of is refused, naming it.
 */
export async function listFiles(root: string, options: WalkOptions): Promise<FileEntry[]> {
    const rootStat = await statOf(root, options.fail);
    if (rootStat.isFile()) {
        return [{ absolute: root, relative: path.basename(root) }];
    }
    if (!rootStat.isDirectory()) {
        throw options.fail(`${root} is ${kindOf(rootStat)}, not a file or a folder; pass the file or the folder that is deployed`);
    }
    // Only relative paths are kept: a file's own path is the root joined with it (the system follows the
    // links again), and 200,000 absolute paths were most of the walk's time, in garbage collection.
    const found: string[] = [];
    const listings = new Map<string, Listed[]>();
    const ancestors = new Set<string>();
    let visited = 0;
    const walk = async (real: string, prefix: string): Promise<void> => {
        let listing = listings.get(real);
        if (listing === undefined) {
            listing = await list(path.join(root, prefix), options.fail);
            listings.set(real, listing);
        }
        ancestors.add(real);
        for (const entry of listing) {
            const relative = prefix + entry.name;
            if (options.skip(relative, entry.real !== undefined)) {
                continue;
            }
            if (entry.brokenLink !== undefined) {
                throw options.fail(`${path.join(root, relative)} is a symbolic link to nothing (${entry.brokenLink}); remove it or exclude ${JSON.stringify(relative)}`);
            }
            if (++visited > options.maxEntries) {
                throw options.fail(`${root} holds more than ${options.maxEntries.toLocaleString("en-US")} files and folders (each path a symbolic link adds counts; stopped at ${path.join(root, relative)}); exclude some, or hash smaller folders`);
            }
            if (entry.real === undefined) {
                found.push(relative);
            } else if (ancestors.has(entry.real)) {
                throw options.fail(`${path.join(root, relative)} is a symbolic link back to ${entry.real}, a folder it is inside of; remove it or exclude ${JSON.stringify(relative)}`);
            } else if (options.everyPath || !listings.has(entry.real)) {
                await walk(entry.real, `${relative}/`);
            }
        }
        ancestors.delete(real);
    };
    const realRoot = await fs.promises.realpath(root).catch((error: unknown) => { throw readError(root, error, options.fail); });
    await walk(realRoot, "");
    return found.sort().map((relative) => ({ absolute: path.join(root, relative), relative }));
}

/**
 * A folder's entry: a file, a folder (with its real path), or a link to nothing (with where it points).
 * Other kinds (FIFOs, sockets, devices) are left out: no content is deployed from them.
 */
interface Listed {
    readonly name: string;
    readonly real?: string;
    readonly brokenLink?: string;
}

/** Sorted by name, so which path reaches a shared folder first does not depend on the file system's order. */
async function list(dir: string, fail: (message: string) => Error): Promise<Listed[]> {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch((error: unknown) => { throw readError(dir, error, fail); });
    const listed: Listed[] = [];
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const absolute = path.join(dir, entry.name);
        let isDirectory = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
            const target = await fs.promises.stat(absolute).catch(() => undefined);
            if (target === undefined) {
                listed.push({ name: entry.name, brokenLink: await fs.promises.readlink(absolute).catch(() => "?") });
                continue;
            }
            isDirectory = target.isDirectory();
            isFile = target.isFile();
        }
        if (isDirectory) {
            listed.push({ name: entry.name, real: await fs.promises.realpath(absolute).catch((error: unknown) => { throw readError(absolute, error, fail); }) });
        } else if (isFile) {
            listed.push({ name: entry.name });
        }
    }
    return listed;
}

async function statOf(target: string, fail: (message: string) => Error): Promise<fs.Stats> {
    return fs.promises.stat(target).catch((error: unknown) => {
        throw (error as NodeJS.ErrnoException).code === "ENOENT" ? fail(`${target} does not exist`) : readError(target, error, fail);
    });
}

/** A read error as the program shows it: the path, and the system's own words. */
export function readError(target: string, error: unknown, fail: (message: string) => Error): Error {
    const code = (error as NodeJS.ErrnoException).code;
    const message = (error as Error).message ?? String(error);
    // Node's message already says the code and the path; the path leads here, once.
    const reason = message.replace(/^[A-Z]+: /, "").replace(/, \w+ '.*'$/, "");
    return fail(`cannot read ${target}: ${reason}${code !== undefined && !reason.includes(code) ? ` (${code})` : ""}`);
}

function kindOf(stat: fs.Stats): string {
    if (stat.isFIFO()) {
        return "a named pipe (FIFO)";
    }
    if (stat.isCharacterDevice()) {
        return "a character device";
    }
    if (stat.isBlockDevice()) {
        return "a block device";
    }
    if (stat.isSocket()) {
        return "a socket";
    }
    return "neither a file nor a folder";
}
