import type { EmulatorAnswer } from "../testing/emulator";

/** The service an answer came from, as the log names it. */
export type ServiceName = "flextype" | "imagekit" | "codemagic" | "microstrategy" | "buddy" | "cloudfront" | "cloudflare" | "fastly";

/** Why a credential was refused, in the words of someone who pasted the wrong config line. */
const CREDENTIAL_HINT: Record<ServiceName, string> = {
    flextype: "set cache-purge:flextypeToken and cache-purge:flextypeAccessToken as printed above",
    imagekit: "the private key is not the emulator's; set cache-purge:imagekitPrivateKey as printed above",
    codemagic: "the X-Auth-Token is not the emulator's; set cache-purge:codemagicToken as printed above",
    microstrategy: "set cache-purge:microstrategyUsername and cache-purge:microstrategyPassword as printed above",
    buddy: "the token is not the emulator's; set cache-purge:buddyToken as printed above",
    cloudfront: "the AWS keys are not the emulator's; set aws:accessKey and aws:secretKey as printed above",
    cloudflare: "the API token is not the emulator's; set cache-purge:cloudflareApiToken as printed above",
    fastly: "the Fastly-Key is not the emulator's; set cache-purge:fastlyApiToken as printed above",
};

function parse(body: string): unknown {
    try {
        return JSON.parse(body) as unknown;
    } catch {
        return undefined;
    }
}

function field(value: unknown, key: string): unknown {
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
}

/** The service's own error text, whatever shape its body has. */
function errorText(body: string): string {
    const xmlCode = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
    if (xmlCode !== undefined) {
        return `${xmlCode} ${/<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? ""}`.trim();
    }
    const json = parse(body);
    const errors = field(json, "errors");
    const first = Array.isArray(errors) ? field(errors[0], "message") : undefined;
    const text = [first, field(json, "message"), field(json, "error")].find((t) => typeof t === "string");
    const code = field(json, "code");
    if (typeof text === "string") {
        return typeof code === "string" ? `${code} ${text}` : text;
    }
    return body.length > 60 ? `${body.slice(0, 57)}...` : body;
}

function count(n: number, noun: string): string {
    return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** What a successful answer did, in one phrase. */
function success(service: ServiceName, answer: EmulatorAnswer): string {
    const { request } = answer;
    const json = parse(answer.body);
    const path = decodeURIComponent(request.path);
    switch (service) {
        case "flextype":
            return "site cache cleared";
        case "imagekit": {
            if (request.method === "POST") {
                return `purge of ${String(request.fields?.url)} accepted (request ${String(field(json, "requestId"))})`;
            }
            return `purge status read: ${String(field(json, "status"))}`;
        }
        case "codemagic": {
            const caches = field(json, "caches");
            const n = Array.isArray(caches) ? caches.length : 0;
            if (request.method === "GET") {
                const workflows = Array.isArray(caches) ? [...new Set(caches.map((c) => String(field(c, "workflowId"))))] : [];
                return `${count(n, "cache")} listed${workflows.length > 0 ? ` (${workflows.join(", ")})` : ""}`;
            }
            return `deletion of ${count(n, "cache")} started; they leave the list shortly`;
        }
        case "microstrategy": {
            if (path.endsWith("/api/auth/login")) {
                return `logged in as ${String(request.fields?.username)}`;
            }
            if (path.endsWith("/api/auth/logout")) {
                return "logged out";
            }
            if (path.endsWith("/api/projects")) {
                const names = Array.isArray(json) ? json.map((p) => `"${String(field(p, "name"))}"`) : [];
                return `${count(names.length, "project")} listed: ${names.join(", ")}`;
            }
            const purge = /\/projects\/([^/]+)\/caches?\/([^/]+)$/.exec(path);
            return purge ? `${purge[2]} cache of project ${purge[1]} purged` : "ok";
        }
        case "cloudfront": {
            const id = /<Id>([^<]*)<\/Id>/.exec(answer.body)?.[1];
            const status = /<Status>([^<]*)<\/Status>/.exec(answer.body)?.[1];
            const paths = [...answer.body.matchAll(/<Path>([^<]*)<\/Path>/g)].map((m) => m[1]);
            return request.method === "POST" ? `invalidation ${String(id)} of ${paths.join(", ")}: ${String(status)}` : `invalidation ${String(id)} read: ${String(status)}`;
        }
        case "buddy":
            return `cache of pipeline ${String(field(json, "id"))} ("${String(field(json, "name"))}") cleared`;
        case "cloudflare":
            return `purge ${String(field(field(json, "result"), "id"))} done: ${Object.keys(request.fields ?? {}).join(", ")}`;
        case "fastly":
            return `${request.headers["fastly-soft-purge"] === undefined ? "purged" : "soft-purged"} ${path}`;
    }
}

/**
 * One readable line for one request an emulator answered: what it purged, or the status it refused
 * with and why. Pure, so the command's log is tested without servers.
 */
export function describeAnswer(service: ServiceName, answer: EmulatorAnswer): string {
    const { request, status } = answer;
    const head = `${service.padEnd(13)} ${request.method} ${request.path}`;
    if (status === 0) {
        return `${head} -> ${answer.body} (an injected fault)`;
    }
    if (status < 400) {
        return `${head} -> ${status}: ${success(service, answer)}`;
    }
    const why = errorText(answer.body);
    if (service === "flextype" && status === 400) {
        return `${head} -> 400: ${why} (Flextype's answer to a missing token or access_token field, or a token disabled or out of calls)`;
    }
    const credential = status === 401 || (status === 403 && (service === "cloudfront" || ((service === "imagekit" || service === "cloudflare") && /authenticat/i.test(why))));
    return `${head} -> ${status}: ${why}${credential ? ` (${CREDENTIAL_HINT[service]})` : ""}`;
}
