import { createHash } from "crypto";
import { credentialProblems, credentialSource, credentialSources, findCredential } from "./credentials";
import { expandBulk } from "./bulk-input";
import { PurgeError } from "./errors";
import { missingCredentialMessage } from "./errors/missing-credential-error";
import { HttpClient } from "./http/client";
import { type CommonInputs, commonInputShape } from "./inputs";
import { Redactor } from "./redact";
import type { PurgeService } from "./service";
import { z } from "./zod";

type Props = Record<string, unknown>;

/** One purge resource of a stack, as `pulumi stack export` recorded its inputs. */
export interface ProbedResource {
    readonly name: string;
    readonly service: PurgeService<CommonInputs>;
    readonly inputs: Props;
}

/** What the check found for one service account (the resources that share a service, endpoint and credentials). */
export interface ProbeResult {
    readonly service: string;
    readonly resources: readonly string[];
    /** `accepted`: the read succeeded; `refused`: the service or the input refused; `unverified`: no harmless read exists. */
    readonly verdict: "accepted" | "refused" | "unverified";
    /** Each credential found and where it came from, never its value: `token from stack config cache-purge:<service>Token`. */
    readonly sources: readonly string[];
    /** What was read, or why it failed or was not tried. */
    readonly detail: string;
}

/** Inputs the provider adds; never the user's. */
const ADDED = new Set(["__provider", "__urn", "purgePlan", "purged", "receipt"]);
/** A check is one quick read: no long retry ladders. */
const PROBE_LIMITS = { maxRetries: 1, maxRetryDelayMs: 2_000, baseRetryDelayMs: 250 };

/**
 * Reads each service account once, the way the provider would load its credentials (input, stack config,
 * environment), and purges nothing. Resources sharing a service, scope and credentials are one account.
 */
export async function probeResources(resources: readonly ProbedResource[]): Promise<ProbeResult[]> {
    const accounts = new Map<string, { first: ProbedResource; inputs: CommonInputs; names: string[] }>();
    const results: ProbeResult[] = [];
    for (const resource of resources) {
        const parsed = parse(resource);
        if (typeof parsed === "string") {
            results.push({ service: resource.service.name, resources: [resource.name], verdict: "refused", sources: [], detail: parsed });
            continue;
        }
        const key = accountKey(resource.service, parsed);
        const account = accounts.get(key);
        if (account === undefined) {
            accounts.set(key, { first: resource, inputs: parsed, names: [resource.name] });
        } else {
            account.names.push(resource.name);
        }
    }
    for (const { first, inputs, names } of accounts.values()) {
        results.push({ ...await probeAccount(first.service, inputs), resources: names });
    }
    return results;
}

function parse(resource: ProbedResource): CommonInputs | string {
    const declared: Props = {};
    for (const [key, value] of Object.entries(resource.inputs)) {
        if (!ADDED.has(key)) {
            declared[key] = value;
        }
    }
    const schema = z.object({ ...commonInputShape(), ...resource.service.inputShape() });
    const parsed = schema.safeParse(expandBulk(declared, resource.service.bulkInputs ?? []));
    return parsed.success ? parsed.data as unknown as CommonInputs : `${resource.service.name}: the recorded inputs do not parse: ${parsed.error.issues[0]?.message ?? "unknown"}`;
}

function accountKey(service: PurgeService<CommonInputs>, inputs: CommonInputs): string {
    const values = service.credentials.map((spec) => findCredential(spec, inputs as unknown as Props) ?? "");
    const digest = createHash("sha256").update(JSON.stringify(values)).digest("hex");
    return `${service.name} ${service.scope(inputs)} ${digest}`;
}

async function probeAccount(service: PurgeService<CommonInputs>, inputs: CommonInputs): Promise<Omit<ProbeResult, "resources">> {
    const props = inputs as unknown as Props;
    const found = service.credentials.filter((spec) => findCredential(spec, props) !== undefined);
    const sources = found.map((spec) => `${spec.description} from ${credentialSource(spec, props)}`);
    const refused = (detail: string) => ({ service: service.name, verdict: "refused" as const, sources, detail });
    const problem = credentialProblems(service.credentials, props)[0];
    if (problem !== undefined) {
        return refused(`${service.name}: ${problem.reason}`);
    }
    const missing = service.credentials.find((spec) => !spec.optional && findCredential(spec, props) === undefined);
    if (missing !== undefined) {
        return refused(missingCredentialMessage(service.name, missing));
    }
    const values = Object.fromEntries(service.credentials.map((spec) => [spec.input, findCredential(spec, props)]));
    const crossFailure = service.checkCredentials?.(values)[0];
    if (crossFailure !== undefined) {
        return refused(crossFailure.reason);
    }
    if (service.probe === undefined) {
        return { service: service.name, verdict: "unverified", sources, detail: service.noProbe ?? `${service.name} has no read-only call` };
    }
    const redactor = new Redactor(found.filter((spec) => spec.secret).map((spec) => values[spec.input]));
    const credentialSourceOf = credentialSources(service.credentials, props);
    const hintOf = service.errorHint?.bind(service);
    const log = { info: () => undefined, warn: () => undefined };
    const http = new HttpClient({
        service: service.name, timeoutMs: inputs.timeoutMs, ...PROBE_LIMITS, redactor, log,
        errorMessage: (response) => service.errorMessage(response),
        errorHint: hintOf && ((response) => hintOf(response, credentialSourceOf)),
        retryStatus: service.retryStatus?.bind(service),
    });
    try {
        const read = await service.probe({
            inputs, credentials: values, http, log, redact: (t) => redactor.redact(t), addSecret: (v) => redactor.add([v]), credentialSource: credentialSourceOf,
        });
        return { service: service.name, verdict: "accepted", sources, detail: `${read} with ${http.requests} request(s)` };
    } catch (error) {
        const message = error instanceof PurgeError ? error.message : `${service.name}: unexpected error: ${(error as Error).message}`;
        return refused(redactor.redact(message));
    }
}
