import type { Headers } from "node-fetch";
import type { z } from "zod";
import type { CredentialSpec, CredentialValues } from "./credentials";
import type { HttpClient, HttpResponse } from "./http/client";
import type { RateLimitInfo } from "./http/rate-gate";
import type { CheckFailure, CommonInputs } from "./inputs";
import type { PurgePlan, PurgeTarget } from "./plan";
import type { ProgressLog } from "./progress-log";
import type { PurgeOutcome } from "./outcome";

export type { Completion, PurgeOutcome } from "./outcome";

/** What a service's purge gets to work with. */
export interface PurgeContext<I> {
    readonly inputs: I;
    readonly credentials: CredentialValues;
    /** Already bound to the service's timeouts, retries, rate gate and redaction. */
    readonly http: HttpClient;
    readonly log: ProgressLog;
    /** Hides secrets in any text the service builds itself. */
    readonly redact: (text: string) => string;
    /** Registers a secret learnt during the purge (a session token), hidden from then on everywhere. */
    readonly addSecret: (value: string) => void;
    /** When the last purge of this resource finished (its receipt's `purgedAt`); undefined before the first. */
    readonly previousPurgedAt?: string;
    /** Where a credential input's value came from, for messages: see `CredentialSource`. */
    readonly credentialSource: CredentialSource;
}

/**
 * Where the value of a credential input came from, in a message's words, never the value: `the token
 * input`, `stack config cache-purge:<service>Token` or `environment variable <SERVICE>_TOKEN`.
 */
export type CredentialSource = (input: string) => string;

/**
 * Everything the core needs from one service. A service is a folder under `src/services/`; the core
 * never names one. All members are pure except `purge`.
 */
export interface PurgeService<I extends CommonInputs = CommonInputs> {
    /** Lower-case name used in messages, config keys and the resource type token. */
    readonly name: string;
    readonly credentials: readonly CredentialSpec[];
    /** The service's own inputs; combined with the common ones. Built on call (zod objects do not serialize). */
    inputShape(): z.ZodRawShape;
    /** Rules across inputs that a shape cannot express (two modes at once). */
    crossCheck?(inputs: I): CheckFailure[];
    /**
     * Rules across credentials (either a token or a user name and a password), given what input, stack
     * config and environment hold; run in `check` once the stack config is known, so preview refuses.
     */
    checkCredentials?(values: CredentialValues): CheckFailure[];
    /** Rules on the plan itself (a request quota); run in `check`, so preview refuses already. */
    checkPlan?(inputs: I, plan: PurgePlan): CheckFailure[];
    /** The endpoint and the thing purged, in canonical form; a change purges every target. */
    scope(inputs: I): string;
    /** What can be purged, each with its own trigger where the service has several targets. */
    targets(inputs: I): PurgeTarget[];
    /**
     * The same as `targets`, as a map of key to trigger ("" for none), for a service whose inputs already
     * hold that map (a URL map): thousands of targets are then not copied into objects and back.
     */
    targetTriggers?(inputs: I): Readonly<Record<string, string>>;
    /** The requests a plan will make, as `pulumi preview` shows them. */
    describeRequests(inputs: I, keys: readonly string[]): string[];
    /** The service's error body as one sentence (its `message`, say), in its own words; empty when it has none. */
    errorMessage(response: HttpResponse): string;
    /**
     * What to check after a failed answer, in the package's words, printed after the service's quoted
     * ones: the base URL (with the path the service expects) for an answer the service never sends to
     * this call, or the credential and `source(input)`, where its value came from.
     */
    errorHint?(response: HttpResponse, source: CredentialSource): string;
    /** Statuses to retry; default 408, 429 and 5xx. The answer is given for services whose body tells more than its status. */
    retryStatus?(status: number, response: HttpResponse): boolean;
    /** Reads the service's rate-limit headers. */
    rateLimit?(headers: Headers, nowMs: number): RateLimitInfo;
    /**
     * What else tells one rate-limited account from another, beside the credentials: the endpoint, for a
     * service whose endpoint and credentials are both inputs. Hashed into the gate's key, never shown.
     */
    rateScope?(inputs: I): string;
    /**
     * Inputs that can hold thousands of entries (a URL map). They travel as JSON text, one string for the
     * host to convert instead of one value per entry (see bulk-input.ts); the service sees them parsed.
     * The resource class names the same inputs.
     */
    readonly bulkInputs?: readonly string[];
    /** Requests in flight at once per account. */
    readonly maxConcurrentRequests?: number;
    /**
     * One harmless authenticated read (list caches, list projects) that tells whether the service accepts
     * the credentials, for `npx pulumi-cache-purge check`; purges nothing. Returns what it read, in a few
     * words; throws as `purge` does.
     */
    probe?(ctx: PurgeContext<I>): Promise<string>;
    /** Why a service without `probe` cannot check its credentials without purging. */
    readonly noProbe?: string;
    /** Performs the purge of the planned targets; throws `PartialPurgeError` when some were done. */
    purge(ctx: PurgeContext<I>, plan: PurgePlan): Promise<PurgeOutcome>;
}
