import type { CredentialSource } from "../../core/service";
import { type AuthKind, PASS_API_TOKEN, PASS_PASSWORD, PASS_SESSION } from "./credentials";

/** Codes are documented both as `ERR014` and `ERR0014`. */
export function sameCode(code: string | undefined, expected: string): boolean {
    return code !== undefined && code.replace(/^ERR0*/, "ERR") === expected.replace(/^ERR0*/, "ERR");
}

/** What to check when a login is refused: what it sent, each credential with the place its value came from. */
export function checkLogin(source: CredentialSource, how: Exclude<AuthKind, "session">): string {
    return how === "apiToken"
        ? `check the API token (from ${source("apiToken")})`
        : `check username (from ${source("username")}), password (from ${source("password")}) and loginMode`;
}

/**
 * What the user can do about an error, where the code says. Credential errors name the place each value
 * came from (input, stack config key or environment variable) and where to set a new one, never the value.
 */
export function hintFor(status: number, code: string | undefined, source: CredentialSource, auth: AuthKind): string {
    if (sameCode(code, "ERR003")) {
        // A login answers ERR003; with the user's own session none was sent, so the session is what to check.
        return auth === "session" ? `check the auth token (from ${source("authToken")}) and its cookies` : checkLogin(source, auth);
    }
    if (sameCode(code, "ERR009")) {
        return auth === "session"
            ? `the session of the auth token (from ${source("authToken")}) is invalid or has expired, or was sent without its cookies: `
                + `${PASS_SESSION}; or leave authToken unset and log in: ${PASS_API_TOKEN}; or ${PASS_PASSWORD}`
            // The credentials are not at fault: the login worked, and the server ended its session since.
            : "the server ended the session this purge opened by logging in (its session timeout, or an administrator)";
    }
    if (status === 403 || sameCode(code, "ERR014") || sameCode(code, "ERR017")) {
        return "the user needs the Cache Administration privilege (DssXmlPrivilegesCacheAdministration) on the project";
    }
    return "";
}
