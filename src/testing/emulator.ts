import * as http from "http";
import type { AddressInfo, Socket } from "net";
import { type Fault, playFault } from "./faults";
import { type RecordedRequest, recordRequest } from "./recorded-request";

export { type Fault, frontDoor, proxyErrorPage, SSO_LOGIN_PAGE } from "./faults";
export type { RecordedRequest } from "./recorded-request";

/**
 * One answer an emulator gave, for a log of what it did. `status` is 0 when it answered nothing (an
 * injected reset or hang).
 */
export interface EmulatorAnswer {
    readonly request: RecordedRequest;
    readonly status: number;
    readonly body: string;
}

/** A fixed-window request budget, announced in the service's own headers. */
export interface RateLimitConfig {
    readonly limit: number;
    readonly windowMs: number;
}

export interface RateWindow {
    readonly limit: number;
    readonly remaining: number;
    readonly resetAtMs: number;
    readonly windowMs: number;
}

/**
 * The shared base of the local service emulators: a real HTTP server on 127.0.0.1 and a free port, a
 * log of every request, fault injection and a rate-limit window. Each service's emulator adds its routes
 * and its own error bodies and rate-limit headers, following the vendor's API documentation.
 */
export abstract class Emulator {
    readonly requests: RecordedRequest[] = [];
    /** Added to every answer, to model a distant server. */
    latencyMs = 0;
    rateLimit: RateLimitConfig | undefined;
    /** Enforce `rateLimit` without announcing it: some servers (or the proxies before them) send no rate-limit headers. */
    omitRateLimitHeaders = false;

    private server: http.Server | undefined;
    private readonly sockets = new Set<Socket>();
    private readonly faults: Array<{ fault: Fault; match?: (r: RecordedRequest) => boolean }> = [];
    private readonly started = Date.now();
    private window: { startMs: number; used: number } = { startMs: Date.now(), used: 0 };
    /** Requests refused with 429, for tests that must prove none reached the user. */
    rateLimited = 0;
    /** Called once per request, with what the emulator answered: the `emulators` command logs it. */
    onAnswer: ((answer: EmulatorAnswer) => void) | undefined;

    /** The base URL the service's client should use, with the service's own path prefix. */
    abstract get baseUrl(): string;

    /** The service's normal answer. */
    protected abstract route(request: RecordedRequest, res: http.ServerResponse): void | Promise<void>;

    /** Writes the service's rate-limit headers; the default writes none. */
    protected rateLimitHeaders(_window: RateWindow): Record<string, string> {
        return {};
    }

    /** The service's body for a 429. */
    protected rateLimitedBody(): string {
        return JSON.stringify({ message: "Too many requests" });
    }

    get origin(): string {
        const address = this.server?.address() as AddressInfo | null;
        if (!address) {
            throw new Error("emulator is not started");
        }
        return `http://127.0.0.1:${address.port}`;
    }

    /** Listens on 127.0.0.1; `port` 0 (the default) takes a free one. */
    async start(port = 0): Promise<this> {
        const server = http.createServer((req, res) => void this.receive(req, res));
        server.on("connection", (socket) => {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
        });
        // A port in use rejects here: without a listener, the server's "error" event crashed the process.
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(port, "127.0.0.1", () => {
                server.off("error", reject);
                resolve();
            });
        });
        this.server = server;
        return this;
    }

    async stop(): Promise<void> {
        for (const socket of this.sockets) {
            socket.destroy();
        }
        const server = this.server;
        this.server = undefined;
        if (server) {
            await new Promise<void>((resolve) => server.close(() => resolve()));
        }
    }

    /** Queues faults, answered in order to the next requests (that match, when a filter is given). */
    inject(faults: Fault | readonly Fault[], match?: (r: RecordedRequest) => boolean): this {
        for (const fault of Array.isArray(faults) ? faults : [faults as Fault]) {
            this.faults.push({ fault, match });
        }
        return this;
    }

    clearFaults(): void {
        this.faults.length = 0;
    }

    /** The requests to paths that end with `suffix`, for assertions. */
    requestsTo(method: string, pathPattern: RegExp): RecordedRequest[] {
        return this.requests.filter((r) => r.method === method && pathPattern.test(r.path));
    }

    /** Sends JSON with the rate-limit headers of the current window. */
    protected sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
        const text = body === undefined ? "" : JSON.stringify(body);
        res.writeHead(status, { "content-type": "application/json", ...this.currentRateHeaders(), ...headers });
        res.end(text);
    }

    protected sendEmpty(res: http.ServerResponse, status: number, headers: Record<string, string> = {}): void {
        res.writeHead(status, { ...this.currentRateHeaders(), ...headers });
        res.end();
    }

    private currentRateHeaders(): Record<string, string> {
        if (!this.rateLimit || this.omitRateLimitHeaders) {
            return {};
        }
        const w = this.currentWindow();
        return this.rateLimitHeaders({ limit: this.rateLimit.limit, remaining: Math.max(0, this.rateLimit.limit - w.used), resetAtMs: w.startMs + this.rateLimit.windowMs, windowMs: this.rateLimit.windowMs });
    }

    private currentWindow(): { startMs: number; used: number } {
        const now = Date.now();
        if (this.rateLimit && now >= this.window.startMs + this.rateLimit.windowMs) {
            this.window = { startMs: now, used: 0 };
        }
        return this.window;
    }

    /** Starts a fresh rate window with `used` requests already spent. */
    setRateWindow(used: number, startMs = Date.now()): void {
        this.window = { startMs, used };
    }

    /** Every answer ends with one `res.end(body)`: wrap it to tell `onAnswer` what was sent. */
    private reportAnswers(request: RecordedRequest, res: http.ServerResponse): void {
        const end = res.end;
        res.end = ((...args: Parameters<typeof end>) => {
            this.onAnswer?.({ request, status: res.statusCode, body: bodyText(args[0]) });
            return end.apply(res, args);
        }) as typeof end;
    }

    private async receive(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const recorded = await recordRequest(req, this.started);
        this.requests.push(recorded);
        this.reportAnswers(recorded, res);

        if (this.latencyMs > 0) {
            await new Promise((r) => setTimeout(r, this.latencyMs));
        }
        const index = this.faults.findIndex((f) => f.match === undefined || f.match(recorded));
        const fault = index >= 0 ? this.faults.splice(index, 1)[0].fault : undefined;
        if (fault !== undefined && "kind" in fault) {
            const report = (what: string) => this.onAnswer?.({ request: recorded, status: 0, body: what });
            if (await playFault(fault, req, res, () => this.origin, report)) {
                return;
            }
        } else if (fault !== undefined) {
            res.writeHead(fault.status, { "content-type": "application/json", ...this.currentRateHeaders(), ...fault.headers });
            res.end(fault.body ?? "");
            return;
        }

        if (this.rateLimit) {
            const w = this.currentWindow();
            if (w.used >= this.rateLimit.limit) {
                this.rateLimited++;
                this.sendJson(res, 429, JSON.parse(this.rateLimitedBody()));
                return;
            }
            w.used++;
        }
        try {
            await this.route(recorded, res);
        } catch (error) {
            if (!res.headersSent) {
                res.writeHead(500, { "content-type": "text/plain" });
            }
            res.end(`emulator error: ${(error as Error).message}`);
        }
    }
}

function bodyText(chunk: unknown): string {
    return typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : "";
}
