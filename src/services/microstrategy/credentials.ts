import type { CredentialSpec } from "../../core/credentials";

// Their own file: the service chooses among them, and the client's hints name where each is set.

export const authToken: CredentialSpec = {
    input: "authToken", configKey: "cache-purge:microstrategyAuthToken", envVar: "MSTR_AUTH_TOKEN",
    description: "auth token (X-MSTR-AuthToken)", secret: true, optional: true,
};
export const cookies: CredentialSpec = {
    input: "cookies", configKey: "cache-purge:microstrategyCookies", envVar: "MSTR_COOKIES",
    description: "session cookies", secret: true, optional: true,
};
export const username: CredentialSpec = {
    input: "username", configKey: "cache-purge:microstrategyUsername", envVar: "MSTR_USERNAME",
    description: "user name", secret: false, optional: true, carriedIn: "body",
};
export const apiToken: CredentialSpec = {
    input: "apiToken", configKey: "cache-purge:microstrategyApiToken", envVar: "MSTR_API_TOKEN",
    description: "API token (login mode 4096)", secret: true, optional: true,
};
export const password: CredentialSpec = {
    input: "password", configKey: "cache-purge:microstrategyPassword", envVar: "MSTR_PASSWORD",
    description: "password", secret: true, optional: true, carriedIn: "body",
};

/** Either way of authenticating is enough, so none is required on its own; `purge` checks that one is complete. */
export const credentials: readonly CredentialSpec[] = [authToken, cookies, apiToken, username, password];

/** How a run authenticates: with the user's own session, or by logging in with an API token or a user and password. */
export type AuthKind = "session" | "apiToken" | "password";

/** The three places an API token may be set, as an instruction. */
export const PASS_API_TOKEN = `pass apiToken, run \`pulumi config set --secret ${apiToken.configKey} <token>\`, or set ${apiToken.envVar}`;

/** The three places a user and password may be set, as an instruction. */
export const PASS_PASSWORD = `pass username and password, run \`pulumi config set ${username.configKey} <name>\` and `
    + `\`pulumi config set --secret ${password.configKey} <password>\`, or set ${username.envVar} and ${password.envVar}`;

/** The three places a session's token and cookies may be set, as an instruction. */
export const PASS_SESSION = `pass a fresh authToken with the cookies of its session, run \`pulumi config set --secret ${authToken.configKey} <token>\` `
    + `and \`pulumi config set --secret ${cookies.configKey} <cookies>\`, or set ${authToken.envVar} and ${cookies.envVar}`;
