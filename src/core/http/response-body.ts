import { PurgeError } from "../errors";
import type { Redactor } from "../redact";
import type { HttpResponse } from "./response";

/** The body as JSON, or undefined when it is empty or not JSON: callers fall back to its text. */
export function parseJson(text: string): unknown {
    if (text.trim() === "") {
        return undefined;
    }
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** The response as error messages may quote it: its text redacted, its JSON parsed from that text. */
export function redactedResponse(response: HttpResponse, redactor: Redactor): HttpResponse {
    const text = redactor.redact(response.text);
    return text === response.text ? response : { ...response, text, json: parseJson(text) };
}

/**
 * The body of a successful response as the JSON a caller needs, or an error that says what came instead.
 * Services whose purge depends on the body (an id to poll) call this; the others ignore the body.
 */
export function expectJsonBody(service: string, method: string, url: string, response: HttpResponse): unknown {
    if (response.json === undefined) {
        const snippet = response.text.length > 80 ? `${response.text.slice(0, 80)}…` : response.text;
        throw new PurgeError(`${service}: ${method} ${url} returned ${response.status} with a body that is not JSON: ${JSON.stringify(snippet)}`);
    }
    return response.json;
}
