import type { HttpRequest } from "../../core/http/client";
import { formatCount } from "../../core/count";
import { writeJsonPath } from "./json-path";
import type { HttpInputs } from "./schema";
import { fill, fillJson } from "./template";

/** The keys of one request: one target, a batch of them, or none (a request driven by triggers alone). */
export type Chunk = readonly string[];

/** The plan's target keys as the requests that carry them. Without targets the plan's one key is no target. */
export function chunksOf(inputs: HttpInputs, keys: readonly string[]): Chunk[] {
    if (inputs.targets === undefined) {
        return keys.length === 0 ? [] : [[]];
    }
    const size = inputs.batch?.size ?? 1;
    const chunks: Chunk[] = [];
    for (let i = 0; i < keys.length; i += size) {
        chunks.push(keys.slice(i, i + size));
    }
    return chunks;
}

/** The request for one chunk, its placeholders filled and the batch placed; secret headers added last. */
export function buildRequest(inputs: HttpInputs, chunk: Chunk): HttpRequest {
    const { request, batch } = inputs;
    const values: Record<string, string> = chunk.length === 1 && batch === undefined ? { target: chunk[0] } : {};
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
        headers[name] = fill(value, values, "raw");
    }
    if (batch?.header !== undefined) {
        headers[batch.header] = chunk.join(" ");
    }
    Object.assign(headers, inputs.secretHeaders);
    let json = request.json === undefined ? undefined : fillJson(request.json, values);
    if (batch?.jsonPath !== undefined) {
        json = writeJsonPath(json, batch.jsonPath, [...chunk]);
    }
    const form = request.form === undefined ? undefined : Object.fromEntries(Object.entries(request.form).map(([k, v]) => [fill(k, values, "raw"), fill(v, values, "raw")]));
    return {
        method: request.method,
        url: new URL(fill(request.url, values, "url")),
        headers,
        ...(json === undefined ? {} : { json }),
        ...(form === undefined ? {} : { form }),
    };
}

const MAX_SHOWN_CHARS = 200;

/**
 * A request as the plan line shows it: method, URL, each header whose value is secret as `[secret]`,
 * and a batch's size. Capped, so a long target never makes the line grow.
 */
export function describeRequest(inputs: HttpInputs, chunk: Chunk): string {
    const url = fill(inputs.request.url, chunk.length === 1 && inputs.batch === undefined ? { target: chunk[0] } : {}, "url");
    const shownUrl = url.length > MAX_SHOWN_CHARS ? `${url.slice(0, MAX_SHOWN_CHARS - 1)}…` : url;
    const notes = Object.keys(inputs.secretHeaders).map((name) => `${name}: [secret]`);
    if (inputs.batch !== undefined) {
        const place = inputs.batch.jsonPath !== undefined ? `in ${inputs.batch.jsonPath}` : `in ${inputs.batch.header}`;
        notes.push(`${formatCount(chunk.length)} ${chunk.length === 1 ? "target" : "targets"} ${place}`);
    }
    return `${inputs.request.method} ${shownUrl}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
}
