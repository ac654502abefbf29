import type { Response } from "node-fetch";
import type { PurgeError } from "../errors";
import { formatCount } from "../count";

/**
 * Reads a response body as UTF-8 text, at most `limitBytes` of it. The request must have been sent with
 * node-fetch's `size: limitBytes`, which stops collecting a body past the limit. A body announced or
 * found to be larger is not read on: the connection is cut (`cut`) and `tooLarge` is thrown, so a
 * runaway answer costs at most the limit in memory, never the whole body.
 */
export async function readCappedBody(
    res: Response, limitBytes: number, cut: () => void, tooLarge: (limitBytes: number, seen: string) => PurgeError,
): Promise<string> {
    const announced = Number(res.headers.get("content-length"));
    if (Number.isFinite(announced) && announced > limitBytes) {
        cut();
        throw tooLarge(limitBytes, `announced ${formatCount(announced)} bytes`);
    }
    try {
        return await res.text();
    } catch (error) {
        // node-fetch rejects with its `max-size` error and ignores the rest; cutting the connection stops
        // the server from sending it.
        if ((error as { type?: unknown }).type === "max-size") {
            cut();
            throw tooLarge(limitBytes, `more than ${formatCount(limitBytes)} bytes read`);
        }
        throw error;
    }
}
