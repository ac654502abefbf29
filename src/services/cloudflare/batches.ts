import type { PurgeTarget } from "../../core/plan";
import type { FileEntry, PurgeBody } from "./client";
import { PLAN_LIMITS } from "./limits";
import { nameEntries } from "../names";
import { type CloudflareInputs, type Kind, KINDS } from "./schema";

/** The target that `purgeEverything` purges. */
export const EVERYTHING = "everything";

/** How a kind's entries are named in plans, receipts and state: `file https://…`, `tag blog`. */
const PREFIX: Readonly<Record<Kind, string>> = { files: "file ", tags: "tag ", hosts: "host ", prefixes: "prefix " };

export function targetKey(kind: Kind, name: string): string {
    return PREFIX[kind] + name;
}

/** The kind and name a target key stands for; undefined for `everything`. */
export function parseTargetKey(key: string): { kind: Kind; name: string } | undefined {
    for (const kind of KINDS) {
        if (key.startsWith(PREFIX[kind])) {
            return { kind, name: key.slice(PREFIX[kind].length) };
        }
    }
    return undefined;
}

/** Every target, kind by kind, each with its own hash where a map gave one. */
export function cloudflareTargets(inputs: CloudflareInputs): PurgeTarget[] {
    if (inputs.purgeEverything) {
        return [{ key: EVERYTHING }];
    }
    return KINDS.flatMap((kind) => (inputs[kind] === undefined ? [] : nameEntries(inputs[kind]!)
        .map(([name, trigger]) => ({ key: targetKey(kind, name), ...(trigger === undefined ? {} : { trigger }) }))));
}

/** One request of a plan: its body and the targets it carries. */
export interface Batch {
    readonly kind: Kind | typeof EVERYTHING;
    readonly keys: readonly string[];
    readonly body: PurgeBody;
    /** URLs it purges (files × header sets), for the URL rate; 0 for other kinds. */
    readonly urls: number;
}

/**
 * The requests for the planned keys: one kind per request, as the API's body takes one; as many names per
 * request as the plan allows (files: the URLs per request divided by the header sets, so every header set
 * of a file goes in the same request and a file is purged whole or not at all).
 */
export function planBatches(inputs: CloudflareInputs, keys: readonly string[]): Batch[] {
    if (inputs.purgeEverything) {
        return keys.includes(EVERYTHING) ? [{ kind: EVERYTHING, keys: [EVERYTHING], body: { purge_everything: true }, urls: 0 }] : [];
    }
    const byKind = new Map<Kind, string[]>();
    for (const key of keys) {
        const parsed = parseTargetKey(key);
        if (parsed === undefined) {
            throw new Error(`cloudflare: planned target ${JSON.stringify(key)} is not among the inputs`);
        }
        const list = byKind.get(parsed.kind) ?? [];
        list.push(parsed.name);
        byKind.set(parsed.kind, list);
    }
    const limits = PLAN_LIMITS[inputs.plan];
    const variants = inputs.cacheKeyHeaders ?? [];
    const batches: Batch[] = [];
    for (const kind of KINDS) {
        const names = byKind.get(kind) ?? [];
        const size = kind === "files" ? Math.floor(limits.filesPerRequest / Math.max(1, variants.length)) : limits.operationsPerRequest;
        for (let i = 0; i < names.length; i += size) {
            const chunk = names.slice(i, i + size);
            const chunkKeys = chunk.map((name) => targetKey(kind, name));
            if (kind === "files") {
                const files: FileEntry[] = variants.length === 0 ? chunk : chunk.flatMap((url) => variants.map((headers) => ({ url, headers })));
                batches.push({ kind, keys: chunkKeys, body: { files }, urls: files.length });
            } else {
                batches.push({ kind, keys: chunkKeys, body: namedBody(kind, chunk), urls: 0 });
            }
        }
    }
    return batches;
}

function namedBody(kind: Exclude<Kind, "files">, names: readonly string[]): PurgeBody {
    switch (kind) {
        case "tags": return { tags: names };
        case "hosts": return { hosts: names };
        case "prefixes": return { prefixes: names };
    }
}
