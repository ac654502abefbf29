import { z } from "../../core/zod";
import { baseUrlSchema, type CheckFailure, type CommonInputs, describeValue } from "../../core/inputs";

export const CACHE_TYPES = ["element", "object"] as const;
export type CacheType = typeof CACHE_TYPES[number];

/**
 * 1 Standard, 16 LDAP (the values mstrio-py sends with a password). 4096, the API-token login, is
 * accepted only to explain that the token goes in `apiToken`.
 */
export const LOGIN_MODES = [1, 16, 4096] as const;
export type LoginMode = typeof LOGIN_MODES[number];

/** The project, as the provider sees it: exactly one of the two is set. */
export interface ProjectRef {
    /** 32 upper-case hex digits. */
    readonly id?: string;
    readonly name?: string;
}

/** MicroStrategy's inputs as the provider sees them after `check`. */
export interface MicroStrategyInputs extends CommonInputs {
    /** The Library server, canonical form, without `/api`: `https://host/MicroStrategyLibrary`. */
    readonly baseUrl: string;
    readonly project: ProjectRef;
    /** Cache type to its own trigger ("" when the user gave a plain list). */
    readonly cacheTypes: Readonly<Partial<Record<CacheType, string>>>;
    readonly loginMode: LoginMode;
    readonly authToken?: string;
    readonly cookies?: string;
    /** An API token, sent as the `username` of a loginMode 4096 login. */
    readonly apiToken?: string;
    readonly username?: string;
    readonly password?: string;
}

const GUID = /^[0-9a-f]{32}$/i;

/**
 * Users copy the URL from a browser or from Swagger, which ends in `/api/...`; mstrio-py cuts everything
 * from the first `/api` on, so both spellings mean the same server here too.
 */
export function cutApiSuffix(raw: unknown): unknown {
    if (typeof raw !== "string") {
        return raw;
    }
    const match = /^([a-z][a-z\d+.-]*:\/\/[^/?#]*)(.*)$/i.exec(raw.trim());
    if (!match) {
        return raw;
    }
    // The Swagger page of the same server, `…/api-docs/index.html`, names the same server too.
    const cut = match[2].search(/\/api(-docs)?([/?#]|$)/);
    return cut < 0 ? raw.trim() : match[1] + match[2].slice(0, cut);
}

function projectSchema() {
    return z.strictObject({
        id: z.string().optional(),
        name: z.string().optional(),
    }).superRefine((project, ctx) => {
        const hasId = project.id !== undefined;
        const hasName = project.name !== undefined;
        if (hasId === hasName) {
            ctx.addIssue({
                code: "custom",
                message: hasId
                    ? `pass either id or name, not both (got id ${describeValue(project.id)} and name ${describeValue(project.name)})`
                    : `pass either id (the project's 32-hex-digit GUID) or name`,
            });
        }
        if (hasId && !GUID.test(project.id ?? "")) {
            ctx.addIssue({
                code: "custom",
                path: ["id"],
                message: `expected a project GUID of 32 hex digits such as B7CA92F04B9FAE8D941C3E9B7E0CD754, got ${describeValue(project.id)}`,
            });
        }
        if (hasName && (project.name ?? "").trim() === "") {
            ctx.addIssue({ code: "custom", path: ["name"], message: "must not be empty" });
        }
    }).transform((project): ProjectRef => (project.id !== undefined ? { id: project.id.toUpperCase() } : { name: project.name }));
}

/**
 * A list purges on the shared triggers only; a map gives each cache type its own trigger as well. One
 * hand-written schema rather than a union, so a bad entry is reported at its own path.
 */
function cacheTypesSchema() {
    return z.unknown().optional().transform((value, ctx): Partial<Record<CacheType, string>> => {
        if (value === undefined) {
            return { element: "", object: "" };
        }
        const given = cacheTypeEntries(value);
        if (given === undefined) {
            ctx.addIssue({ code: "custom", message: `expected a list of cache types or a map of cache type to trigger, got ${describeValue(value)}` });
            return z.NEVER;
        }
        if (given.length === 0) {
            ctx.addIssue({ code: "custom", message: `name at least one cache type: "element", "object" or both` });
        }
        for (const { path, type, trigger } of given) {
            if (typeof type !== "string" || !(CACHE_TYPES as readonly string[]).includes(type)) {
                ctx.addIssue({ code: "custom", path: [path], message: `expected "element" or "object", got ${describeValue(type)}` });
            } else if (typeof trigger !== "string") {
                ctx.addIssue({ code: "custom", path: [path], message: `expected a trigger string, got ${describeValue(trigger)}` });
            }
        }
        const types = new Map(given.map((g) => [g.type, g.trigger]));
        // Fixed key order, so the same set written two ways is the same input.
        return Object.fromEntries(CACHE_TYPES.filter((t) => types.has(t)).map((t) => [t, types.get(t)]));
    });
}

function cacheTypeEntries(value: unknown): { path: string | number; type: unknown; trigger: unknown }[] | undefined {
    if (Array.isArray(value)) {
        return value.map((type: unknown, index) => ({ path: index, type, trigger: "" }));
    }
    if (value !== null && typeof value === "object") {
        return Object.entries(value).map(([type, trigger]) => ({ path: type, type, trigger }));
    }
    return undefined;
}

function secretString() {
    return z.string().min(1).optional();
}

export function microStrategyInputShape() {
    return {
        baseUrl: z.preprocess(cutApiSuffix, baseUrlSchema()),
        project: projectSchema(),
        cacheTypes: cacheTypesSchema(),
        loginMode: z.literal(LOGIN_MODES).default(1),
        authToken: secretString(),
        cookies: secretString(),
        apiToken: secretString(),
        username: z.string().min(1).optional(),
        password: secretString(),
    };
}

/**
 * Earlier versions had users put an API token in `password` with loginMode 4096, which no server accepts:
 * the token is the login's `username`, and it has its own input now.
 */
export function microStrategyCrossCheck(inputs: MicroStrategyInputs): CheckFailure[] {
    if (inputs.loginMode !== 4096) {
        return [];
    }
    return [{
        property: "loginMode",
        reason: "loginMode: 4096 is the API-token login; pass the token as apiToken (or run "
            + "`pulumi config set --secret cache-purge:microstrategyApiToken <token>`, or set MSTR_API_TOKEN) and leave loginMode out",
    }];
}
