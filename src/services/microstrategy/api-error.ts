import type { HttpResponse } from "../../core/http/client";
import { HttpStatusError } from "../../core/errors";
import { nonJsonErrorMessage } from "../answer";
import { sameCode } from "./hints";

const SERVICE = "microstrategy";

/** The server's error body, `{code, message, ticketId, iServerCode}`, any key spelling. */
export interface MstrErrorBody {
    readonly code?: string;
    readonly message?: string;
    readonly ticketId?: string;
    readonly iServerCode?: number | string;
}

/** Reads the error body case-insensitively (docs show `IserverCode`), also the first of `{errors:[…]}`. */
export function parseErrorBody(json: unknown): MstrErrorBody | undefined {
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
        return undefined;
    }
    const lower = new Map(Object.entries(json).map(([k, v]) => [k.toLowerCase(), v as unknown]));
    const errors = lower.get("errors");
    if (Array.isArray(errors) && errors.length > 0 && !lower.has("code") && !lower.has("message")) {
        return parseErrorBody(errors[0]);
    }
    const text = (key: string): string | undefined => {
        const value = lower.get(key);
        return typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined;
    };
    const iServer = lower.get("iservercode");
    const body: MstrErrorBody = {
        code: text("code"),
        message: text("message"),
        ticketId: text("ticketid"),
        iServerCode: typeof iServer === "number" || typeof iServer === "string" ? iServer : undefined,
    };
    return Object.values(body).some((v) => v !== undefined) ? body : undefined;
}

/** The error body as one sentence: code, message, ticket id, I-Server code, in the server's words. */
export function microStrategyErrorMessage(response: HttpResponse): string {
    const body = parseErrorBody(response.json);
    if (body === undefined) {
        return nonJsonErrorMessage(response);
    }
    const head = [body.code, body.message].filter((s) => s !== undefined).join(" ");
    const extra = [
        body.ticketId === undefined ? undefined : `ticketId ${body.ticketId}`,
        body.iServerCode === undefined ? undefined : `iServerCode ${body.iServerCode}`,
    ].filter((s) => s !== undefined);
    return extra.length > 0 ? `${head} (${extra.join(", ")})` : head;
}

/**
 * A non-2xx answer, with the server's code and ticket id kept apart so callers can branch on the code
 * (`ERR004` means "try the older path") and the receipt can list the tickets an administrator looks up.
 */
export class MicroStrategyApiError extends HttpStatusError {
    readonly code: string | undefined;
    readonly ticketId: string | undefined;

    /** `hintOf`: the package's words for the server's code, after the server's own. */
    constructor(method: string, url: string, response: HttpResponse, attempts: number, redact: (text: string) => string, hintOf: (code: string | undefined) => string) {
        super(SERVICE, method, url, response.status, response.statusText, redact(microStrategyErrorMessage(response)), attempts);
        const body = parseErrorBody(response.json);
        this.code = body?.code;
        this.ticketId = body?.ticketId;
        const hint = hintOf(body?.code);
        if (hint !== "") {
            this.message = `${this.message}; ${hint}`;
        }
    }
}

/** The answer of a server to a session it no longer knows (timed out, or ended by an administrator). */
export function isSessionExpired(error: unknown): error is MicroStrategyApiError {
    return error instanceof MicroStrategyApiError && error.status === 401 && sameCode(error.code, "ERR009");
}

/** The answer of a server that has no such route: `/caches/` on older servers. */
export function isNoRoute(error: unknown): error is MicroStrategyApiError {
    return error instanceof MicroStrategyApiError && error.status === 404 && sameCode(error.code, "ERR004");
}
