import type * as http from "http";
import { Emulator, type RecordedRequest } from "../../testing/emulator";

/** One answer of the test server: a status, headers, and a body (a string as it is, anything else as JSON). */
export interface Answer {
    readonly status: number;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: unknown;
}

/**
 * A local HTTP endpoint for the generic purge, configurable because there is no one vendor to model: it
 * records every request and answers what `answer` says, by default `200 {"ok":true}`. Faults (statuses
 * with Retry-After, resets, hangs) come from the shared emulator base. Emulators of a given API (a
 * CDN's purge call) are built on it by giving `answer` that API's documented behaviour.
 */
export class HttpEmulator extends Emulator {
    answer: (request: RecordedRequest) => Answer = () => ({ status: 200, body: { ok: true } });

    constructor(answer?: (request: RecordedRequest) => Answer) {
        super();
        if (answer !== undefined) {
            this.answer = answer;
        }
    }

    get baseUrl(): string {
        return this.origin;
    }

    protected route(request: RecordedRequest, res: http.ServerResponse): void {
        const answer = this.answer(request);
        const text = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
        const type = typeof answer.body === "string" ? "text/plain" : "application/json";
        res.writeHead(answer.status, { "content-type": type, ...answer.headers });
        res.end(text);
    }
}
