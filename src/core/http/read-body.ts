import type { Response } from "node-fetch";
import type { PurgeError } from "../errors";
import { formatCount } from "../count";

/**
 * Reads a response body as UTF-8 text, at most `limitBytes` of it. A body announced or found to be larger
 * is not read on: the connection is cut (`cut`) and `tooLarge` is thrown, so a runaway answer costs at
 * most the limit in memory, never the whole body.
 */
export async function readCappedBody(
    res: Response, limitBytes: number, cut: () => void, tooLarge: (limitBytes: number, seen: string) => PurgeError,
): Promise<string> {
    const announced = Number(res.headers.get("content-length"));
    if (Number.isFinite(announced) && announced > limitBytes) {
        cut();
        throw tooLarge(limitBytes, `announced ${formatCount(announced)} bytes`);
    }
    // 204 and 304 have no body (RFC 9110 §15.3.5, §15.4.5): Node's parser reads none, whatever follows.
    const bodyless = res.status === 204 || res.status === 304;
    if (bodyless || (res.headers.get("content-length") !== null && Number.isFinite(announced) && res.headers.get("transfer-encoding") === null)) {
        // The HTTP parser reads no more than an announced Content-Length, and this one is within the
        // limit: the whole body can be read at once, without a chunk loop per response.
        return res.text();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
        const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk as Buffer;
        size += buffer.length;
        if (size > limitBytes) {
            cut();
            (res.body as unknown as { destroy?: () => void }).destroy?.();
            throw tooLarge(limitBytes, `more than ${formatCount(limitBytes)} bytes read`);
        }
        chunks.push(buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
}
