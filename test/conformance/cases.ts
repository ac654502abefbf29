import { CachePurge as FlextypeCachePurge } from "../../src/services/flextype/resource";

/** One row per service: how to build its resource, and inputs that pass `check`. */
export interface ConformanceCase {
    readonly service: string;
    /** A credential value that must never appear in the serialized provider. */
    readonly canary: string;
    readonly build: (name: string, credential: string) => void;
    /** Inputs that pass check (credentials included, so check needs no stack config). */
    readonly validInputs: Record<string, unknown>;
}

export const conformanceCases: readonly ConformanceCase[] = [
    {
        service: "flextype",
        canary: "CANARY-flextype-conformance",
        build: (name, credential) => new FlextypeCachePurge(name, { baseUrl: "https://cms.example.com", token: "t0k3n-public", accessToken: credential }),
        validInputs: { baseUrl: "https://cms.example.com", token: "t0k3n-public", accessToken: "access-value", triggers: { build: "old" } },
    },
];
