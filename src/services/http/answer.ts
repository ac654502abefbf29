import { PurgeError } from "../../core/errors";
import type { HttpResponse } from "../../core/http/client";
import { nonJsonErrorMessage, unexpectedAnswer } from "../answer";
import { readJsonPath, shownJson } from "./json-path";
import type { SuccessRule } from "./schema";

/** Whether an answer is the success the user declared: a listed status and, if asked, a value at a JSON path. */
export function judgeAnswer(rule: SuccessRule, method: string, url: string, response: HttpResponse): void {
    if (!rule.statuses.includes(response.status)) {
        throw unexpectedAnswer("http", method, url, response, `a status in success.statuses (${describeStatuses(rule.statuses)})`,
            "check request.url, or list this status in success.statuses if the API documents it as success");
    }
    if (rule.jsonPath === undefined) {
        return;
    }
    const found = readJsonPath(response.json, rule.jsonPath);
    const ok = rule.equals === undefined ? found !== undefined && found !== null : found === rule.equals;
    if (!ok) {
        const expected = rule.equals === undefined ? "a value" : JSON.stringify(rule.equals);
        const said = errorMessage(response);
        throw new PurgeError(`http: ${method} ${url} returned ${response.status} ${response.statusText} with ${shownJson(found)} at success.jsonPath `
            + `${JSON.stringify(rule.jsonPath)}, expected ${expected}; not counted as purged${said === "" ? "" : `: ${JSON.stringify(said)}`}`.replace(/ +/g, " "));
    }
}

function describeStatuses(statuses: readonly number[]): string {
    const sorted = [...statuses].sort((a, b) => a - b);
    const contiguous = sorted.every((s, i) => i === 0 || s === sorted[i - 1] + 1);
    return contiguous && sorted.length > 2 ? `${sorted[0]}-${sorted[sorted.length - 1]}` : sorted.join(", ");
}

/**
 * The API's own words from an error body, in the shapes APIs commonly use: `message`, `error` (a text
 * or `{message}`), `errors[0].message`, `detail`, `title`; otherwise the body's first line.
 */
export function errorMessage(response: HttpResponse): string {
    const body = response.json;
    if (body !== null && typeof body === "object" && !Array.isArray(body)) {
        for (const path of ["message", "error.message", "error", "errors.0.message", "errors.0", "detail", "title", "msg"]) {
            const value = readJsonPath(body, path);
            if (typeof value === "string" && value.trim() !== "") {
                return value.length > 200 ? `${value.slice(0, 200)}…` : value;
            }
        }
    }
    return nonJsonErrorMessage(response);
}
