import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { type FileEntry, listFiles, readError } from "./hash-walk";

export interface HashFilesOptions {
    /**
     * Paths to leave out, relative to the folder hashed, with `/` separators: a file or folder name
     * (`drafts`, matched at any depth), a path (`img/raw.psd`), a folder prefix ending in `/`
     * (`drafts/`), or a predicate given each relative path (a folder's with a trailing `/`).
     *
     * A file left out changes nothing when it changes, and, with `baseUrl`, is never purged.
     *
     * @default - nothing beyond the operating system and editor files (see `skipOsAndEditorFiles`)
     * @example exclude: ["drafts/", "README.md"]
     */
    readonly exclude?: readonly string[] | ((relativePath: string) => boolean);
    /**
     * Paths to hash, and no others: the same forms as `exclude`, matched against each file. Folders are
     * still walked; `exclude` and `skipOsAndEditorFiles` still apply.
     *
     * @default - every file
     * @example include: ["img/", "index.html"]
     */
    readonly include?: readonly string[] | ((relativePath: string) => boolean);
    /**
     * Whether to leave out the files an operating system or an editor leaves next to content:
     * `.DS_Store`, `Thumbs.db`, `desktop.ini`, backups ending in `~` and Vim swap files (`.name.swp`).
     * They are never deployed content; hashed, a Finder visit would purge, and with `baseUrl` each
     * would be a purge request.
     *
     * @default true
     * @example skipOsAndEditorFiles: false
     */
    readonly skipOsAndEditorFiles?: boolean;
}

export interface HashUrlsOptions extends HashFilesOptions {
    /** The URL the folder is served under; each file's URL is this plus its encoded relative path. */
    readonly baseUrl: string;
}

/**
 * A content hash of a file or of every file in a folder: the value to put in `triggers` so a purge runs
 * exactly when the content changes. Deterministic across machines: files are taken in sorted order by
 * their relative path with `/` separators, and each path goes into the hash with its content. Files are
 * streamed, never held in memory whole. Symbolic links are followed; each real folder is read once.
 * Operating system and editor files (`.DS_Store`, `Thumbs.db`, `desktop.ini`, `*~`, `.*.swp`) are left
 * out unless `skipOsAndEditorFiles: false`; `exclude` leaves out more, `include` keeps only what it names.
 * An error names the path it is about: one that does not exist, cannot be read, or is no file or folder
 * (a named pipe, `/dev/zero`).
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

/** A folder tree with more files and folders than this is refused, rather than hashed for minutes. */
const MAX_ENTRIES = 200_000;

/** Files an operating system or an editor leaves beside content (see `skipOsAndEditorFiles`). */
const OS_AND_EDITOR_FILES = /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini|[^/]*~|\.[^/]*\.swp)$/i;

async function hashRoot(root: string, options: HashFilesOptions | HashUrlsOptions): Promise<string | Record<string, string>> {
    const excluded = matcher(options.exclude, false);
    const included = matcher(options.include, true);
    const skipJunk = options.skipOsAndEditorFiles ?? true;
    const files = await listFiles(root, {
        everyPath: "baseUrl" in options,
        maxEntries: MAX_ENTRIES,
        fail: hashFilesError,
        skip: (relative, isDirectory) => isDirectory
            ? excluded(relative) || excluded(`${relative}/`)
            : excluded(relative) || !included(relative) || (skipJunk && OS_AND_EDITOR_FILES.test(relative)),
    });
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

async function digestOf(files: readonly FileEntry[]): Promise<string> {
    const hash = createHash("sha256");
    for (const file of files) {
        try {
            // Length-prefixed, so "a" + "bc" and "ab" + "c" never hash alike.
            const size = (await fs.promises.stat(file.absolute)).size;
            hash.update(`${file.relative}\0${size}\0`);
            for await (const chunk of fs.createReadStream(file.absolute)) {
                hash.update(chunk as Buffer);
            }
        } catch (error) {
            throw readError(file.absolute, error, hashFilesError);
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

/** Whether a relative path matches `patterns`; `none`: the answer when there are no patterns. */
function matcher(patterns: HashFilesOptions["exclude"], none: boolean): (relative: string) => boolean {
    if (patterns === undefined) {
        return () => none;
    }
    if (typeof patterns === "function") {
        return patterns;
    }
    return (relative) => patterns.some((pattern) =>
        pattern.endsWith("/") ? `${relative}/`.startsWith(pattern) || relative.startsWith(pattern) : relative === pattern || relative.endsWith(`/${pattern}`));
}
