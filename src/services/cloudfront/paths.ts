import { createHash } from "crypto";

/**
 * CloudFront's rules for invalidation paths (Developer Guide, "Invalidate files" > "Specifying the files
 * to invalidate"): each starts with `/`, a `*` wildcard only as the last character, at most 4,000
 * characters; paths are case sensitive and compared as written.
 */
export const MAX_PATH_CHARS = 4000;

/** Developer Guide, "Concurrent invalidation request maximum": per distribution, in progress at one time. */
export const MAX_FILE_PATHS_IN_PROGRESS = 3000;
export const MAX_WILDCARD_PATHS_IN_PROGRESS = 15;
/** Pricing: the first 1,000 invalidation paths a month are free for the account; each path after costs. */
export const FREE_PATHS_PER_MONTH = 1000;

/** The path that invalidates everything in a distribution: one path, billed as one. */
export const EVERYTHING = "/*";

/** Why CloudFront refuses the path, or undefined when it accepts it. */
export function pathProblem(path: string): string | undefined {
    const shown = path.length > 80 ? `${JSON.stringify(path.slice(0, 77))}…` : JSON.stringify(path);
    if (!path.startsWith("/")) {
        return `expected a path that starts with / (such as /index.html or /img/*), got ${shown}`;
    }
    if (path.length > MAX_PATH_CHARS) {
        return `expected at most ${MAX_PATH_CHARS} characters (CloudFront's limit), got ${path.length}`;
    }
    const star = path.indexOf("*");
    if (star !== -1 && star !== path.length - 1) {
        return `a wildcard * is allowed only as the last character, got ${shown}`;
    }
    if (/[\s\u0000-\u001F\u007F]/.test(path)) {
        return `must not contain blanks or control characters; percent-encode them (%20), got ${shown}`;
    }
    return undefined;
}

export function isWildcard(path: string): boolean {
    return path.endsWith("*");
}

/**
 * The paths one invalidation sends for the planned ones: `/*` in their place when there are more than
 * `collapseAbove` (one billed path instead of many), else each once, in plan order.
 */
export function pathsToSend(planned: readonly string[], collapseAbove: number | undefined): readonly string[] {
    return collapseAbove !== undefined && planned.length > collapseAbove ? [EVERYTHING] : planned;
}

/**
 * The invalidation's `CallerReference`. CloudFront answers a second request with the same reference and
 * the same paths with the invalidation it already made, and refuses other paths under it
 * (`InvalidationBatchAlreadyExists`; API Reference, InvalidationBatch). So the reference is derived from
 * what identifies this purge and nothing else: the resource, the distribution, the paths with the
 * triggers they are purged for and why (created, a trigger's change, deleted), and the last purge's time. A retry after a crash or a lost answer
 * recomputes it and finds the invalidation already made; the next deployment's purge, even of the same
 * paths back to earlier content, follows another purge and gets a new one.
 */
export function callerReference(parts: { resource: string; distributionId: string; paths: readonly string[]; triggers: readonly string[]; reasons: readonly string[]; after: string }): string {
    const digest = createHash("sha256")
        .update(JSON.stringify([parts.resource, parts.distributionId, parts.paths, parts.triggers, parts.reasons, parts.after]))
        .digest("hex");
    return `pulumi-cache-purge-${digest.slice(0, 40)}`;
}
