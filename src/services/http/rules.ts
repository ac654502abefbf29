import type { CheckFailure } from "../../core/inputs";
import { formatPath } from "../../core/inputs";
import { isLoopbackHost, shownUrl, userinfoProblem } from "../../core/http/url";
import type { HttpInputs } from "./schema";
import { placeholdersIn, stringsOf } from "./template";

/**
 * Query parameters that carry credentials by their name. A URL is stored in plaintext in state and shown
 * in the plan line, so a token there belongs in `secretHeaders` instead.
 */
const CREDENTIAL_PARAM = /^(access[_-]?token|token|auth[_-]?token|id[_-]?token|api[_-]?key|apikey|key|secret|client[_-]?secret|password|passwd|pwd|auth|authorization|sig|signature|access[_-]?key|accesskey|session|session[_-]?id|sid|x-api-key)$/i;

/** Header names that carry credentials: refused in `headers`, which are stored in plaintext. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey|accesskey|access-key|x-access-key|x-auth-key|.*token.*|.*secret.*|.*password.*)$/i;

const TARGET = "target";

/** What the provider refuses in `check` that the shape alone cannot say. Nothing here quotes a secret header. */
export function httpCrossCheck(inputs: HttpInputs): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const fail = (path: (string | number)[], reason: string) => failures.push({ property: String(path[0]), reason: `${formatPath(path)}: ${reason}` });
    const { request } = inputs;
    let usesTarget = false;
    let targetInHeader = false;
    const scan = (text: string, path: (string | number)[], allowed = [TARGET]) => {
        const found = placeholdersIn(text, allowed);
        found.problems.forEach((p) => fail(path, p));
        usesTarget ||= found.names.has(TARGET);
        return found.names;
    };

    urlProblems(request.url, TARGET).forEach((p) => fail(["request", "url"], p));
    scan(request.url, ["request", "url"]);
    const secretNames = new Set(Object.keys(inputs.secretHeaders).map((n) => n.toLowerCase()));
    for (const [name, value] of Object.entries(request.headers)) {
        if (CREDENTIAL_HEADER.test(name)) {
            fail(["request", "headers", name], "this header carries a credential, and headers are stored in plaintext; move it to secretHeaders");
        } else if (secretNames.has(name.toLowerCase())) {
            fail(["request", "headers", name], "is also in secretHeaders; set it in one place");
        }
        if (/[\r\n]/.test(value)) {
            fail(["request", "headers", name], "must not contain a line break (CR or LF)");
        }
        targetInHeader = scan(value, ["request", "headers", name]).has(TARGET) || targetInHeader;
    }
    if (request.json !== undefined && request.form !== undefined) {
        fail(["request", "form"], "a request has one body: set json or form, not both");
    }
    if (request.method === "GET" && (request.json !== undefined || request.form !== undefined)) {
        fail(["request", "method"], "a GET request has no body; use POST, PUT, PATCH or DELETE with json or form");
    }
    for (const { text, path } of stringsOf(request.json)) {
        scan(text, ["request", "json", ...path]);
    }
    for (const [key, value] of Object.entries(request.form ?? {})) {
        scan(key, ["request", "form"]);
        scan(value, ["request", "form", key]);
    }

    const hasTargets = inputs.targets !== undefined;
    const batch = inputs.batch;
    if (batch !== undefined) {
        if (!hasTargets) {
            fail(["batch"], "a batch needs targets to send; add targets or leave batch out");
        }
        if ((batch.jsonPath === undefined) === (batch.header === undefined)) {
            fail(["batch"], "a batch needs one place for its targets: jsonPath (a JSON array at that path of the body) or header (the targets joined by spaces)");
        }
        if (batch.jsonPath !== undefined && request.form !== undefined) {
            fail(["batch", "jsonPath"], "puts the targets in a JSON body, but the request has a form body; use json, or batch.header");
        }
        if (batch.jsonPath !== undefined && request.method === "GET") {
            fail(["batch", "jsonPath"], "puts the targets in a JSON body, but a GET request has none; use POST, or batch.header");
        }
        if (usesTarget) {
            fail(["batch"], "a batched request carries several targets, so {target} cannot be filled; the batch puts them at batch.jsonPath or batch.header");
        }
    } else if (hasTargets && !usesTarget) {
        fail(["targets"], "no part of request uses {target} and there is no batch, so every target's request would be the same; put {target} in request.url, a header or the body, or set batch");
    }
    if (usesTarget && !hasTargets) {
        fail(["targets"], "request uses {target}, but no targets are declared to fill it; add targets, or remove {target}");
    }
    if (hasTargets) {
        // A whole path segment of "." or ".." is resolved away by every URL parser, %2E-encoded or not.
        const wholeSegment = /\/\{target\}(?=[/?#]|$)/.test(request.url.split("?")[0]);
        failures.push(...targetProblems(inputs, { inHeader: targetInHeader || batch?.header !== undefined, joinedBySpaces: batch?.header !== undefined, wholeSegment }));
    }

    if (inputs.wait !== undefined) {
        urlProblems(inputs.wait.url, "id").forEach((p) => fail(["wait", "url"], p));
        if (!scan(inputs.wait.url, ["wait", "url"], ["id"]).has("id")) {
            fail(["wait", "url"], "must hold {id}, where the id read from each answer at wait.idPath goes");
        }
    }
    return failures;
}

/** What is wrong with a URL template: a URL that is not http(s), a placeholder outside path and query, a credential in it. */
export function urlProblems(template: string, placeholder: string): string[] {
    const userinfo = userinfoProblem(template);
    if (userinfo !== undefined) {
        return [userinfo];
    }
    const authorityEnd = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i.exec(template)?.[0].length ?? 0;
    if (template.slice(0, authorityEnd).includes("{")) {
        return [`{${placeholder}} may be used in the path and query only, never in the scheme or host: the secret headers must not go to a host a value chooses`];
    }
    let url: URL;
    try {
        url = new URL(template.replace(/\{[A-Za-z_]\w*\}/g, "x"));
    } catch {
        return [`expected an absolute URL such as https://example.com/purge, got ${shownUrl(template)}`];
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        return [`expected an https:// URL, got ${shownUrl(template)}`];
    }
    if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
        return [`expected an https:// URL (http:// is allowed only for localhost), got ${shownUrl(template)}`];
    }
    if (url.hash !== "") {
        return [`expected a URL without #fragment (it is never sent), got ${shownUrl(template)}`];
    }
    const credentials = [...url.searchParams.keys()].filter((name) => CREDENTIAL_PARAM.test(name));
    if (credentials.length > 0) {
        return [`the query parameter ${credentials.map((n) => JSON.stringify(n)).join(", ")} looks like a credential, and the URL is stored in plaintext and shown in the plan; send it in secretHeaders`];
    }
    return [];
}

/**
 * Targets that cannot go where the template puts them: a whole path segment takes no "." or "..", a
 * header no line break, a space-joined list no blank.
 */
function targetProblems(inputs: HttpInputs, where: { inHeader: boolean; joinedBySpaces: boolean; wholeSegment: boolean }): CheckFailure[] {
    const { inHeader, joinedBySpaces, wholeSegment } = where;
    if (!inHeader && !wholeSegment) {
        return [];
    }
    const failures: CheckFailure[] = [];
    const judge = (target: string, key: string | number) => {
        let problem: string | undefined;
        if (wholeSegment && (target === "." || target === "..")) {
            problem = "fills a whole path segment of request.url, where \".\" and \"..\" name another path (the URL is resolved before it is sent); purge it through another URL";
        } else if (!inHeader) {
            problem = undefined;
        } else if (/[^\u0020-\u007E\u0080-\u00FF]/.test(target)) {
            problem = "goes into a header, which holds only printable Latin-1 text without line breaks";
        } else if (joinedBySpaces && /\s/.test(target)) {
            problem = "goes into batch.header, where targets are joined by spaces, so it must not contain one";
        }
        if (problem !== undefined && failures.length < 20) {
            failures.push({ property: "targets", reason: `${formatPath(["targets", key])}: ${problem}` });
        }
    };
    const targets = inputs.targets!;
    if (Array.isArray(targets)) {
        (targets as readonly string[]).forEach(judge);
    } else {
        for (const target of Object.keys(targets)) {
            judge(target, target);
        }
    }
    return failures;
}
