import type { Emulator, Fault, RecordedRequest } from "../../src/testing/emulator";
import type { Props } from "../harness/sdk";

/**
 * The fault matrix of issue 8: eleven faults, each injected on the purge call of each service, with
 * what the user must see. This file holds what a row is and the helpers rows share; each service's
 * row is in its <service>-faults.ts, and fault-services.ts lists them. Pure data and emulator set-up;
 * the test drives it through the provider host.
 */

/** Small limits, so that every case finishes within a few seconds: the bounds the user sets, not wall time, are asserted. */
export const LIMITS = { timeoutMs: 1_000, maxRetries: 2, maxRetryDelayMs: 2_000 } as const;

export const FAULT_NAMES = [
    "429 with Retry-After",
    "429 with the service's reset header",
    "500",
    "502",
    "503",
    "connection reset",
    "a server that never answers",
    "malformed JSON on a success status",
    "401",
    "403",
    "404",
] as const;

export type FaultName = (typeof FAULT_NAMES)[number];

/** What the user sees after the fault. `purgeCalls` counts the requests that matched the purge call. */
export type Expected =
    /** `emulatorPurges`: purges the server carried out; 0 when the fault took the place of its answer to the only call. */
    | { readonly outcome: "purged"; readonly purgeCalls: number; readonly retries: number; readonly emulatorPurges: number; readonly why: string }
    | { readonly outcome: "failed"; readonly purgeCalls: number; readonly message: (purgeUrl: string) => string; readonly why: string };

/** One service's emulator, ready for one case, and the facts the test asserts on. */
export interface Arena {
    readonly emulator: Emulator;
    /** Inputs that pass check, credentials and `LIMITS` included. */
    readonly inputs: Props;
    /** Picks the purge call out of the service's requests (login, list and logout are not it). */
    readonly isPurgeCall: (r: RecordedRequest) => boolean;
    /** The purge call's URL as error messages show it. */
    readonly purgeUrl: string;
    /** How many purges the emulator carried out. */
    readonly purged: () => number;
}

export interface ServiceFaults {
    readonly service: "flextype" | "codemagic" | "microstrategy" | "buddy" | "imagekit" | "cloudfront" | "cloudflare" | "fastly" | "http";
    readonly urn: string;
    /** Starts a fresh emulator; `account` is unique per case, as each service's rate gate is per account. */
    readonly arena: (account: string) => Promise<Arena>;
    /** The faults to queue on the purge call (more than one when one fault is met more than once). */
    readonly faults: (name: FaultName) => readonly Fault[];
    readonly expected: Readonly<Record<FaultName, Expected>>;
}

const RETRY_AFTER: Fault = { status: 429, headers: { "Retry-After": "1" }, body: "" };

export function json(value: unknown): string {
    return JSON.stringify(value);
}

export function retried(why: string): Expected {
    return { outcome: "purged", purgeCalls: 2, retries: 1, emulatorPurges: 1, why };
}

export function failsAtOnce(message: (purgeUrl: string) => string, why: string, purgeCalls = 1): Expected {
    return { outcome: "failed", purgeCalls, message, why };
}

export function timedOut(service: string): Expected {
    return failsAtOnce(
        (url) => `${service}: ${url} failed: no answer within ${LIMITS.timeoutMs} ms; raise timeoutMs if the service is slow`,
        "a request that gets no answer within timeoutMs is not retried",
    );
}

/** The faults every service shares; the vendor's bodies and headers come from `vendor`. */
export function commonFaults(vendor: {
    readonly rateLimited: string;
    readonly resetHeaders: () => Record<string, string>;
    readonly serverError: (status: number) => string;
    readonly clientError: (status: 401 | 403 | 404) => string;
    readonly successStatus: number;
}): (name: FaultName) => readonly Fault[] {
    return (name) => {
        switch (name) {
            case "429 with Retry-After": return [{ ...RETRY_AFTER, body: vendor.rateLimited }];
            case "429 with the service's reset header": return [{ status: 429, headers: vendor.resetHeaders(), body: vendor.rateLimited }];
            case "500": return [{ status: 500, body: vendor.serverError(500) }];
            case "502": return [{ status: 502, body: vendor.serverError(502) }];
            case "503": return [{ status: 503, body: vendor.serverError(503) }];
            case "connection reset": return [{ kind: "reset" }];
            case "a server that never answers": return [{ kind: "hang" }];
            case "malformed JSON on a success status": return [{ kind: "malformed", status: vendor.successStatus }];
            case "401": return [{ status: 401, body: vendor.clientError(401) }];
            case "403": return [{ status: 403, body: vendor.clientError(403) }];
            case "404": return [{ status: 404, body: vendor.clientError(404) }];
        }
    };
}

/** Why a 429 without Retry-After is still retried, for the services that send no reset header. */
export const NO_RESET_HEADER = "the service sends no reset header: a 429 without Retry-After is retried after backoff";
