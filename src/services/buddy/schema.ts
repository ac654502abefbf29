import { z } from "../../core/zod";
import { baseUrlSchema, type CheckFailure, type CommonInputs, pathSegment } from "../../core/inputs";

/** Buddy's hosted regions and their API base URLs, from its API reference. */
export const REGION_BASE_URLS = {
    us: "https://api.buddy.works",
    eu: "https://api.eu.buddy.works",
} as const;

export type BuddyRegion = keyof typeof REGION_BASE_URLS;

/** Buddy's inputs as the provider sees them after `check`. */
export interface BuddyInputs extends CommonInputs {
    /** The workspace's URL handle (Buddy's `:workspace`, called `:domain` in older docs). */
    readonly workspace: string;
    /** The project's name ID (its URL handle), not its display name. */
    readonly project: string;
    readonly pipelineId?: number;
    /** Pipeline id (as a string, JSON keys are strings) -> the hash that decides when that pipeline is cleared. */
    readonly pipelines?: Readonly<Record<string, string>>;
    readonly region?: BuddyRegion;
    /** A self-hosted install's API root, canonical form (`https://buddy.example.com/api`). */
    readonly baseUrl?: string;
    readonly token?: string;
}

/** Buddy's pipeline ids are integers; a map key must spell one exactly, so `"02"` and `"2"` never both exist. */
const PIPELINE_ID_KEY = /^[1-9]\d*$/;

function pipelinesSchema() {
    return z.record(z.string(), z.string()).superRefine((map, ctx) => {
        for (const key of Object.keys(map)) {
            if (!PIPELINE_ID_KEY.test(key) || !Number.isSafeInteger(Number(key))) {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    message: `expected a pipeline id (a positive whole number such as "2"), got ${JSON.stringify(key)}`,
                });
            }
        }
    });
}

export function buddyInputShape() {
    return {
        workspace: pathSegment(),
        project: pathSegment(),
        pipelineId: z.number().int().min(1).optional(),
        pipelines: pipelinesSchema().optional(),
        region: z.enum(["us", "eu"]).optional(),
        baseUrl: baseUrlSchema().optional(),
        // Sent in a header: a blank inside can only be a copy-and-paste mistake.
        token: z.string().min(1).refine((s) => !/\s/.test(s), { message: "must not contain spaces or line breaks" }).optional(),
    };
}

/** The rules between inputs: exactly one way to name pipelines, at most one way to name the endpoint. */
export function buddyCrossCheck(inputs: BuddyInputs): CheckFailure[] {
    const failures: CheckFailure[] = [];
    if (inputs.pipelineId !== undefined && inputs.pipelines !== undefined) {
        failures.push({ property: "pipelineId", reason: "pipelineId, pipelines: pass one of them, not both (pipelines can hold every pipeline with its own hash)" });
    } else if (inputs.pipelineId === undefined && inputs.pipelines === undefined) {
        failures.push({ property: "pipelineId", reason: "pipelineId or pipelines: required; pass pipelineId for one pipeline, or pipelines to map pipeline ids to hashes" });
    } else if (inputs.pipelines !== undefined && Object.keys(inputs.pipelines).length === 0) {
        failures.push({ property: "pipelines", reason: "pipelines: must name at least one pipeline" });
    }
    if (inputs.region !== undefined && inputs.baseUrl !== undefined) {
        failures.push({ property: "region", reason: `region, baseUrl: pass one of them, not both; region picks Buddy's cloud (us or eu), baseUrl a self-hosted install, got region ${JSON.stringify(inputs.region)} and baseUrl ${JSON.stringify(inputs.baseUrl)}` });
    }
    return failures;
}

/** The API root the requests go to: the self-hosted `baseUrl`, else the region's (US by default). */
export function resolveBaseUrl(inputs: Pick<BuddyInputs, "region" | "baseUrl">): string {
    return inputs.baseUrl ?? REGION_BASE_URLS[inputs.region ?? "us"];
}

/** The pipelines to clear, in a stable order, each with its own hash when the map form is used. */
export function pipelineTargets(inputs: Pick<BuddyInputs, "pipelineId" | "pipelines">): Array<{ id: number; hash?: string }> {
    if (inputs.pipelines !== undefined) {
        return Object.entries(inputs.pipelines)
            .map(([id, hash]) => ({ id: Number(id), hash }))
            .sort((a, b) => a.id - b.id);
    }
    return inputs.pipelineId === undefined ? [] : [{ id: inputs.pipelineId }];
}

/** How a pipeline is named in plans, receipts and state. */
export function targetKey(id: number): string {
    return `pipeline ${id}`;
}
