import { PurgeError } from "../core/errors";
import type { HttpResponse } from "../core/http/client";

const MAX_QUOTED_CHARS = 200;

/** The media type of an answer, without parameters: `text/html`. Empty when the server sent none. */
export function mediaType(response: HttpResponse): string {
    return (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
}

/**
 * The first line a person would read in a body: for HTML (an SSO page, a proxy's error page) its
 * `<title>` or first line of text, for anything else its first non-blank line. Capped, so a page never
 * floods an error message.
 */
export function firstLineOfBody(response: HttpResponse): string {
    const text = response.text;
    const html = mediaType(response) === "text/html" || /^\s*<(!doctype|html)/i.test(text);
    let line: string;
    if (html) {
        const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1].trim();
        const lines = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
            .replace(/<(br|\/p|\/div|\/h\d|\/li|\/tr|hr)\b[^>]*>/gi, "\n")
            .replace(/<[^>]*>/g, "");
        line = title || firstLine(decodeEntities(lines));
    } else {
        line = firstLine(text);
    }
    return line.length > MAX_QUOTED_CHARS ? `${line.slice(0, MAX_QUOTED_CHARS)}…` : line;
}

function firstLine(text: string): string {
    return text.split(/\r?\n/).map((l) => l.replace(/\s+/g, " ").trim()).find((l) => l !== "") ?? "";
}

function decodeEntities(text: string): string {
    return text.replace(/&(lt|gt|quot|#39|amp);/g, (_m, e: string) => ({ lt: "<", gt: ">", quot: "\"", "#39": "'", amp: "&" })[e] ?? "");
}

/**
 * What a redirect said, for the error: this package never follows one (it could carry the credentials to
 * another origin), so the user has to point `baseUrl` where it leads.
 */
export function redirectNote(response: HttpResponse): string | undefined {
    if (response.status < 300 || response.status > 399) {
        return undefined;
    }
    const location = response.headers.get("location");
    return location
        ? `a redirect to ${location}; redirects are not followed, so they cannot carry credentials elsewhere: set baseUrl to where it leads`
        : "a redirect without a Location header";
}

/**
 * A service's words when its error body is not its JSON: a redirect explained, an HTML page by its title,
 * plain text by its first line.
 */
export function nonJsonErrorMessage(response: HttpResponse): string {
    return redirectNote(response) ?? firstLineOfBody(response);
}

/**
 * The failure for an answer that has a success status but is not the service's documented success:
 * an SSO gateway's login page, a PHP fatal error, a proxy's page. Quotes the status, the content type and
 * the first line of the body, and says what was expected.
 */
export function unexpectedAnswer(service: string, method: string, url: string, response: HttpResponse, expected: string, hint = ""): PurgeError {
    const type = mediaType(response) || "no content type";
    const line = firstLineOfBody(response);
    const body = line === "" ? "an empty body" : JSON.stringify(line);
    const fix = hint === "" ? "" : `; ${hint}`;
    return new PurgeError(`${service}: ${method} ${url} returned ${response.status} ${response.statusText} (${type}) instead of ${expected}: ${body}${fix}`
        .replace(/ +/g, " "));
}
