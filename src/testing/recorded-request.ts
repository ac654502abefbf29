import type * as http from "http";

/** One request an emulator received, as tests assert on it. */
export interface RecordedRequest {
    readonly method: string;
    /** The path without the query string, still percent-encoded as sent. */
    readonly path: string;
    readonly query: Readonly<Record<string, string>>;
    /** Lower-case header names. */
    readonly headers: Readonly<Record<string, string | undefined>>;
    readonly body: string;
    /** The body parsed as JSON or form fields, when it was one of those. */
    readonly fields: Readonly<Record<string, unknown>> | undefined;
    /** Milliseconds since the emulator started. */
    readonly atMs: number;
}

/** Reads the whole request and records it; `startedMs` is when the emulator started, for `atMs`. */
export async function recordRequest(req: http.IncomingMessage, startedMs: number): Promise<RecordedRequest> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
        chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://emulator");
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) {
        headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    }
    return {
        method: req.method ?? "GET",
        path: (req.url ?? "/").split("?")[0],
        query: Object.fromEntries(url.searchParams),
        headers,
        body,
        fields: parseFields(body, headers["content-type"]),
        atMs: Date.now() - startedMs,
    };
}

function parseFields(body: string, contentType: string | undefined): Record<string, unknown> | undefined {
    if (body === "") {
        return undefined;
    }
    if (contentType?.includes("application/x-www-form-urlencoded")) {
        return Object.fromEntries(new URLSearchParams(body));
    }
    try {
        const parsed: unknown = JSON.parse(body);
        return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined;
    } catch {
        return undefined;
    }
}
