/** One request as a service client describes it; the client adds timeouts, retries and pacing. */
export interface HttpRequest {
    readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    readonly url: URL;
    readonly headers?: Readonly<Record<string, string>>;
    /** Sent as `application/json`. */
    readonly json?: unknown;
    /** Sent as `application/x-www-form-urlencoded`. */
    readonly form?: Readonly<Record<string, string>>;
    /** Sent as it is, with its own content type, for a body another library built (and maybe signed). */
    readonly body?: { readonly contentType: string; readonly text: string };
    /** Statuses returned to the caller instead of thrown, for callers that handle them (a 404 fallback). */
    readonly accept?: (status: number) => boolean;
    /**
     * Whether a failed attempt may be sent again. Off for a request that must not happen twice (a login
     * opens a new session each time it reaches the server).
     *
     * @default true
     */
    readonly retry?: boolean;
    /**
     * Called before every attempt, the first included; throwing a `PurgeError` stops the request. For
     * services that count attempts against a quota, since a retried request may be counted as well.
     */
    readonly beforeAttempt?: (attempt: number) => void;
}

/** The headers and body that go on the wire: JSON, a form, or a body built elsewhere, each with its content type. */
export function wireHeadersAndBody(request: HttpRequest): { headers: Record<string, string>; body: string | undefined } {
    const headers: Record<string, string> = { accept: "application/json", ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(request.json);
    } else if (request.form !== undefined) {
        headers["content-type"] = "application/x-www-form-urlencoded";
        body = new URLSearchParams(request.form).toString();
    } else if (request.body !== undefined) {
        headers["content-type"] = request.body.contentType;
        body = request.body.text;
    }
    return { headers, body };
}
