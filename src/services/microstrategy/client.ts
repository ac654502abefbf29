import type { HttpClient, HttpRequest, HttpResponse } from "../../core/http/client";
import { expectJsonBody } from "../../core/http/client";
import { endpointUrl } from "../../core/http/url";
import { HttpStatusError, PurgeError } from "../../core/errors";
import { unexpectedAnswer } from "../answer";
import type { CredentialSource } from "../../core/service";
import { MicroStrategyApiError } from "./api-error";
import { CookieJar } from "./cookie-jar";
import type { AuthKind } from "./credentials";
import { checkLogin, hintFor } from "./hints";
import type { CacheType, LoginMode } from "./schema";

export { CookieJar } from "./cookie-jar";
export { isNoRoute, isSessionExpired, MicroStrategyApiError, microStrategyErrorMessage, type MstrErrorBody, parseErrorBody } from "./api-error";

const SERVICE = "microstrategy";

/**
 * mstrio-py retries exactly these (its urllib3 `status_forcelist`); a 502 or 504 from a Library server
 * usually means the Intelligence Server is down, which a retry seconds later does not fix.
 */
export function isRetryableStatus(status: number): boolean {
    return status === 413 || status === 429 || status === 500 || status === 503;
}

/**
 * `caches` is the path of Swagger and mstrio-py since 11.4.3.101; `cache` is the one the REST docs'
 * prose and curl sample show, and some servers only know that one.
 */
export type PathVariant = "caches" | "cache";

/** An authenticated session: the token header and the cookies it is bound to, sent together on every call. */
export interface Session {
    readonly token: string;
    readonly cookies: CookieJar;
}

/** Where requests go and how their errors are worded. */
export interface Connection {
    readonly http: HttpClient;
    /** The Library server without `/api`. */
    readonly baseUrl: string;
    readonly redact: (text: string) => string;
    /** Hides a value the server issued (a session token, a cookie) from every later message and log line. */
    readonly hide: (value: string) => void;
    /** Where each credential came from, for messages. */
    readonly source: CredentialSource;
    /** How this run authenticates, so a refusal names what to check. */
    readonly auth: AuthKind;
}

export interface Project {
    readonly id: string;
    readonly name: string;
}

export function apiUrl(baseUrl: string, segments: readonly string[]): URL {
    return endpointUrl(baseUrl, ["api", ...segments]);
}

export function purgeUrl(baseUrl: string, projectId: string, cacheType: CacheType, variant: PathVariant): URL {
    return apiUrl(baseUrl, ["monitors", "projects", projectId, variant, cacheType]);
}

export function sessionHeaders(session: Session): Record<string, string> {
    const cookie = session.cookies.header();
    return { "X-MSTR-AuthToken": session.token, ...(cookie ? { Cookie: cookie } : {}) };
}

function setCookies(response: HttpResponse): string[] {
    return response.headers.raw()["set-cookie"] ?? [];
}

/**
 * Sends a request and turns every non-2xx answer that is not retried into a `MicroStrategyApiError`, so
 * its code and ticket id are kept. Retried statuses that stay failing come back as the core's error.
 */
async function call(
    conn: Connection, request: HttpRequest, jar: CookieJar | undefined, hints: Readonly<Partial<Record<number, string>>> = {},
): Promise<HttpResponse> {
    // Every cookie the server sets is a credential of the session, the first ones and any it rotates later.
    const keep = (response: HttpResponse) => {
        for (const value of jar?.store(setCookies(response)) ?? []) {
            conn.hide(value);
        }
    };
    try {
        const response = await conn.http.send(request);
        keep(response);
        return response;
    } catch (error) {
        if (error instanceof HttpStatusError && error.response !== undefined) {
            keep(error.response);
        }
        if (error instanceof HttpStatusError && error.response !== undefined && !isRetryableStatus(error.status)) {
            // A call's own context says more than the generic words for a code (a login's names the credentials it sent).
            const status = error.status;
            throw new MicroStrategyApiError(request.method, error.url, error.response, error.attempts, conn.redact,
                (code) => hints[status] ?? hintFor(status, code, conn.source, conn.auth));
        }
        throw error;
    }
}

/** How to log in: a user and password (standard or LDAP), or an API token. */
export type Login =
    | { readonly kind: "password"; readonly username: string; readonly password: string; readonly loginMode: Exclude<LoginMode, 4096> }
    | { readonly kind: "apiToken"; readonly apiToken: string };

/**
 * `POST /api/auth/login`, sent once: a retried login that reached the server opens a second session nobody
 * logs out (mstrio-py does not retry POST either). Standard and LDAP logins go form-encoded; an API-token
 * login goes as JSON `{"loginMode": 4096, "username": <token>}` with no password, as mstrio-py sends it
 * (the server ignores every other field). Keeps the `X-MSTR-AuthToken` header and every cookie set,
 * because the session is bound to the container's cookie as much as to the token.
 */
export async function login(conn: Connection, how: Login): Promise<Session> {
    const url = apiUrl(conn.baseUrl, ["auth", "login"]);
    const body = how.kind === "apiToken"
        ? { json: { loginMode: 4096, username: how.apiToken } }
        : { form: { username: how.username, password: how.password, loginMode: String(how.loginMode) } };
    const cookies = new CookieJar();
    const response = await call(conn, { method: "POST", url, retry: false, ...body }, cookies, {
        401: checkLogin(conn.source, how.kind),
        // The login route exists on every Library server; a 404 means the path in front of /api is wrong.
        404: "MicroStrategy's login never answers 404: check that baseUrl is the Library server with its path (https://<host>/MicroStrategyLibrary)",
    });
    const token = response.headers.get("x-mstr-authtoken");
    if (!token) {
        throw unexpectedAnswer(SERVICE, "POST", conn.redact(url.toString()), response, "204 with an X-MSTR-AuthToken header",
            "is baseUrl the Library server (https://<host>/MicroStrategyLibrary), and not a login page or proxy in front of it?");
    }
    return { token, cookies };
}

/** `POST /api/auth/logout`; a 401 means the session already ended, which is what logout wants. */
export async function logout(conn: Connection, session: Session): Promise<void> {
    const url = apiUrl(conn.baseUrl, ["auth", "logout"]);
    try {
        await call(conn, { method: "POST", url, headers: sessionHeaders(session) }, session.cookies);
    } catch (error) {
        if (!(error instanceof MicroStrategyApiError && error.status === 401)) {
            throw error;
        }
    }
}

/** `GET /api/projects`: the projects loaded on the server that the user can see. */
export async function listProjects(conn: Connection, session: Session): Promise<Project[]> {
    const url = apiUrl(conn.baseUrl, ["projects"]);
    const response = await call(conn, { method: "GET", url, headers: sessionHeaders(session) }, session.cookies);
    const shownUrl = conn.redact(url.toString());
    const body = expectJsonBody(SERVICE, "GET", shownUrl, response);
    if (!Array.isArray(body)) {
        throw new PurgeError(`${SERVICE}: GET ${shownUrl} returned ${response.status} with JSON that is not a list of projects`);
    }
    return body.flatMap((p: unknown) => {
        const project = p as { id?: unknown; name?: unknown } | null;
        return typeof project?.id === "string" && typeof project.name === "string" ? [{ id: project.id, name: project.name }] : [];
    });
}

/**
 * `DELETE /api/monitors/projects/{id}/{caches|cache}/{type}`. Success is 204, which "notifies that the
 * cache purge was triggered" (manage-caches.md); any other 2xx is not MicroStrategy (a gateway's page
 * passes a token through to nothing). A 400 here is MicroStrategy's answer to an unknown project id or
 * cache type, so the message says so.
 */
export async function deleteCache(conn: Connection, session: Session, projectId: string, cacheType: CacheType, variant: PathVariant): Promise<void> {
    const url = purgeUrl(conn.baseUrl, projectId, cacheType, variant);
    // The docs' curl sends `accept: */*`: a 204 has no body to negotiate.
    const response = await call(conn, { method: "DELETE", url, headers: { accept: "*/*", ...sessionHeaders(session) } }, session.cookies, {
        400: `MicroStrategy answers 400 when project ${projectId} does not exist on the server or the cache type is not element or object`,
    });
    if (response.status !== 204) {
        throw unexpectedAnswer(SERVICE, "DELETE", conn.redact(url.toString()), response, "204 No Content",
            "is baseUrl the Library server itself, and not an SSO gateway or proxy in front of it?");
    }
}
