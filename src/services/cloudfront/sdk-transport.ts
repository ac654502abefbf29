import type { HttpClient, HttpResponse } from "../../core/http/client";

/** The request as the AWS SDK hands it to its HTTP handler, already serialized and signed. */
interface SignedRequest {
    readonly method: string;
    readonly protocol: string;
    readonly hostname: string;
    readonly port?: number;
    readonly path: string;
    readonly query?: Readonly<Record<string, string | readonly string[] | null>>;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: unknown;
}

type Method = "GET" | "POST";

/**
 * An HTTP handler for the AWS SDK that sends each signed request through the package's own client, so a
 * CloudFront purge has the timeouts, retries, deadline, request counts and redaction every service has.
 * The SDK's own retries are off (`maxAttempts: 1`): two retry loops would multiply. A retry sends the
 * same signed request again: a SigV4 signature stays valid for 15 minutes (AWS General Reference,
 * "Signature Version 4"), longer than any retry here waits.
 *
 * `answers` collects each success as it came, for error messages about a body the SDK could not read.
 */
export function sdkTransport(http: HttpClient, answers: HttpResponse[]) {
    return {
        metadata: { handlerProtocol: "http/1.1" },
        async handle(request: SignedRequest): Promise<{ response: { statusCode: number; reason: string; headers: Record<string, string>; body: Uint8Array } }> {
            const url = new URL(`${request.protocol}//${request.hostname}${request.port === undefined ? "" : `:${request.port}`}${request.path}`);
            for (const [name, value] of Object.entries(request.query ?? {})) {
                for (const one of value === null ? [] : typeof value === "string" ? [value] : value) {
                    url.searchParams.append(name, one);
                }
            }
            const { "content-type": contentType, ...headers } = lowerCaseKeys(request.headers);
            const text = typeof request.body === "string" ? request.body : request.body instanceof Uint8Array ? Buffer.from(request.body).toString("utf8") : undefined;
            const response = await http.send({
                method: request.method as Method,
                url,
                headers: { ...headers, accept: "application/xml" },
                ...(text === undefined ? {} : { body: { contentType: contentType ?? "application/xml", text } }),
            });
            answers.push(response);
            const responseHeaders: Record<string, string> = {};
            response.headers.forEach((value, name) => {
                responseHeaders[name] = value;
            });
            return { response: { statusCode: response.status, reason: response.statusText, headers: responseHeaders, body: Buffer.from(response.text, "utf8") } };
        },
        updateHttpClientConfig(): void {
            // Timeouts and agents are the package client's.
        },
        httpHandlerConfigs(): Record<string, never> {
            return {};
        },
    };
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
        out[name.toLowerCase()] = value;
    }
    return out;
}
