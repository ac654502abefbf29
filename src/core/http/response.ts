import type { Headers } from "node-fetch";

// Its own file: an HTTP status error carries the response, and the client throws that error; with the
// type here, neither imports the other back.

/** A response, read whole. `json` is undefined when the body is empty or not JSON. */
export interface HttpResponse {
    readonly status: number;
    readonly statusText: string;
    readonly headers: Headers;
    readonly text: string;
    readonly json: unknown;
}
