import type * as http from "http";
import { Emulator, type RecordedRequest } from "../../testing/emulator";

export interface FlextypeToken {
    readonly accessToken: string;
    state?: "enabled" | "disabled";
    /**
     * The number 0 means unlimited. Flextype compares it with `!== 0`, so the string `"0"`, which
     * `tokens:create "limit_calls=0"` stores (PHP's `parse_str` gives strings), is a limit of 0: every call answers 400.
     */
    limitCalls?: number | string;
    calls?: number;
}

const JSON_TYPE = "application/json;charset=UTF-8";
const BAD_REQUEST = { title: "Bad Request", message: "Validation for this particular item failed", http_status_code: 400 };
const UNAUTHORIZED = { title: "Unauthorized", message: "Token is wrong", http_status_code: 401 };

/**
 * A local Flextype (1.0.0-alpha.x) that answers `POST /api/v1/cache/clear` exactly as the released code
 * does: tokens read from query and body (body wins), the same validation
 * order, 204 on success, its JSON error bodies, and a 500 without JSON for other methods and paths.
 */
export class FlextypeEmulator extends Emulator {
    readonly tokens = new Map<string, FlextypeToken>();
    /** `flextype.settings.api.cache.enabled`. */
    apiEnabled = true;
    /** Successful clears, for assertions. */
    clears = 0;
    /**
     * PHP's `display_errors` (Flextype's `errors.display`): on, an unmatched route answers 200 with PHP's
     * "Fatal error: Uncaught …" text; off, a bare 500.
     */
    displayErrors = false;

    constructor(tokens: Record<string, FlextypeToken> = {}) {
        super();
        for (const [token, entry] of Object.entries(tokens)) {
            this.tokens.set(token, { state: "enabled", limitCalls: 0, calls: 0, ...entry });
        }
    }

    get baseUrl(): string {
        return this.origin;
    }

    protected route(request: RecordedRequest, res: http.ServerResponse): void {
        if (request.method !== "POST" || request.path !== "/api/v1/cache/clear") {
            // Flextype registers no error middleware: Slim's not-found/not-allowed exception is uncaught.
            this.uncaught(request, res);
            return;
        }
        const params: Record<string, unknown> = { ...request.query, ...request.fields };
        const status = this.validate(params);
        if (status === 400) {
            this.send(res, 400, BAD_REQUEST);
        } else if (status === 401) {
            this.send(res, 401, UNAUTHORIZED);
        } else {
            this.clears++;
            this.send(res, 204, undefined);
        }
    }

    private validate(params: Record<string, unknown>): 204 | 400 | 401 {
        if (!("token" in params) || !("access_token" in params)) {
            return 400;
        }
        if (!this.apiEnabled) {
            return 400;
        }
        const tokenName = String(params.token ?? "");
        if (tokenName === "") {
            // An empty token names the `tokens` collection itself, which lacks the token fields.
            return 400;
        }
        const entry = this.tokens.get(tokenName);
        if (entry === undefined) {
            return 401;
        }
        const limit = entry.limitCalls ?? 0;
        if (entry.state === "disabled" || (limit !== 0 && (entry.calls ?? 0) >= Number(limit))) {
            return 400;
        }
        // PHP's isset(): a null access token skips the check, as the released code does.
        if (params.access_token !== null && params.access_token !== entry.accessToken) {
            return 401;
        }
        entry.calls = (entry.calls ?? 0) + 1;
        return 204;
    }

    private uncaught(request: RecordedRequest, res: http.ServerResponse): void {
        if (!this.displayErrors) {
            res.writeHead(500, { "content-type": "text/html" });
            res.end("");
            return;
        }
        const exception = request.method === "POST" ? "HttpNotFoundException" : "HttpMethodNotAllowedException";
        // PHP writes the fatal error into the page and keeps the status it had: 200.
        res.writeHead(200, { "content-type": "text/html; charset=UTF-8" });
        res.end(`<br />\n<b>Fatal error</b>:  Uncaught Slim\\Exception\\${exception}: Not found. in /var/www/html/vendor/slim/slim/Slim/Middleware/RoutingMiddleware.php:91\n`
            + "Stack trace:\n#0 /var/www/html/vendor/slim/slim/Slim/Routing/RouteRunner.php(56): Slim\\Middleware\\RoutingMiddleware->performRouting()\n"
            + "#1 {main}\n  thrown in <b>/var/www/html/vendor/slim/slim/Slim/Middleware/RoutingMiddleware.php</b> on line <b>91</b><br />\n");
    }

    private send(res: http.ServerResponse, status: number, body: unknown): void {
        res.writeHead(status, { "content-type": JSON_TYPE });
        res.end(body === undefined ? "" : JSON.stringify(body));
    }
}
