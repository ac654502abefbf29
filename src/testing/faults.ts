import type * as http from "http";

/** A failure to inject into the next matching request, instead of the emulator's normal answer. */
export type Fault =
    | { readonly status: number; readonly body?: string; readonly headers?: Readonly<Record<string, string>> }
    /** Close the connection without answering. */
    | { readonly kind: "reset" }
    /** Accept the request and never answer. */
    | { readonly kind: "hang" }
    /** Answer with a success status and a body that is not JSON. */
    | { readonly kind: "malformed"; readonly status: number }
    /** Answer normally, after a pause. */
    | { readonly kind: "delay"; readonly ms: number }
    /**
     * What a front door in the way answers instead of the service: a redirect (`https`: the same URL with
     * `https:`, as a load balancer that forces TLS sends; `trailing-slash`: the path with a `/` added, as
     * a web server that treats the path as a folder sends), or an HTML page with the given status (an SSO
     * gateway's login page with 200, a proxy's 502/503/504).
     */
    | { readonly kind: "redirect"; readonly to: "https" | "trailing-slash"; readonly status?: 301 | 302 | 307 | 308 }
    | { readonly kind: "html"; readonly status: number; readonly html: string };

/** A fault that is not the service's own error answer: the emulator plays something else in its place. */
export type StagedFault = Extract<Fault, { readonly kind: string }>;

/** The login page an SSO gateway in front of a service serves, with 200, to a request without its cookie. */
export const SSO_LOGIN_PAGE = "<!DOCTYPE html>\n<html><head><title>Sign in - Corporate SSO</title></head>"
    + "<body><form method=\"post\" action=\"/sso/login\"><input name=\"username\"><input name=\"password\" type=\"password\"></form></body></html>\n";

/** The page a reverse proxy (nginx) serves when the service behind it fails or is not there. */
export function proxyErrorPage(status: 502 | 503 | 504): string {
    const reason = { 502: "Bad Gateway", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out" }[status];
    return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n`
        + `<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/** Fault builders for the front doors real deployments have, so each service's tests read the same. */
export const frontDoor = {
    redirectToHttps: (): Fault => ({ kind: "redirect", to: "https", status: 301 }),
    redirectToTrailingSlash: (): Fault => ({ kind: "redirect", to: "trailing-slash", status: 301 }),
    ssoLoginPage: (): Fault => ({ kind: "html", status: 200, html: SSO_LOGIN_PAGE }),
    proxyError: (status: 502 | 503 | 504): Fault => ({ kind: "html", status, html: proxyErrorPage(status) }),
} as const;

/**
 * Plays a staged fault on the request. Returns true when the fault was the whole answer (or, for a reset
 * or a hang, the lack of one, reported through `noAnswer`), false after a delay, when the normal answer
 * follows. `origin` gives the emulator's own, which a redirect keeps but for what it changes.
 */
export async function playFault(
    fault: StagedFault, req: http.IncomingMessage, res: http.ServerResponse, origin: () => string, noAnswer: (what: string) => void,
): Promise<boolean> {
    if (fault.kind === "reset" || fault.kind === "hang") {
        noAnswer(fault.kind === "reset" ? "connection reset" : "no answer");
    }
    if (fault.kind === "reset") {
        req.socket.destroy();
        return true;
    }
    if (fault.kind === "hang") {
        return true;
    }
    if (fault.kind === "redirect") {
        const target = new URL(req.url ?? "/", origin());
        if (fault.to === "https") {
            target.protocol = "https:";
        } else {
            target.pathname = `${target.pathname}/`;
        }
        res.writeHead(fault.status ?? 301, { location: target.toString(), "content-type": "text/html" });
        res.end(`<html><head><title>${fault.status ?? 301} Moved Permanently</title></head><body></body></html>`);
        return true;
    }
    if (fault.kind === "html") {
        res.writeHead(fault.status, { "content-type": "text/html; charset=utf-8" });
        res.end(fault.html);
        return true;
    }
    if (fault.kind === "malformed") {
        res.writeHead(fault.status, { "content-type": "application/json" });
        res.end("{\"truncated\": ");
        return true;
    }
    await new Promise((r) => setTimeout(r, fault.ms));
    return false;
}
