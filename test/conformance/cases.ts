import { CachePurge as CodemagicCachePurge } from "../../src/services/codemagic/resource";
import { CachePurge as FlextypeCachePurge } from "../../src/services/flextype/resource";
import { CachePurge as MicroStrategyCachePurge } from "../../src/services/microstrategy/resource";
import { PipelineCachePurge } from "../../src/services/buddy/resource";
import { UrlPurge } from "../../src/services/imagekit/resource";
import { Invalidation } from "../../src/services/cloudfront/resource";
import { Purge as HttpPurge } from "../../src/services/http/resource";
import { cloudflareCase } from "./cloudflare-case";
import { fastlyCase } from "./fastly-case";

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
    {
        service: "microstrategy",
        canary: "CANARY-mstr-conformance",
        build: (name, credential) => new MicroStrategyCachePurge(name, {
            baseUrl: "https://bi.example.com/MicroStrategyLibrary", project: { name: "Tutorial" }, username: "admin", password: credential,
        }),
        validInputs: { baseUrl: "https://bi.example.com/MicroStrategyLibrary", project: { name: "Tutorial" }, username: "admin", password: "pw-value", triggers: { build: "old" } },
    },
    {
        service: "buddy",
        canary: "CANARY-buddy-conformance",
        build: (name, credential) => new PipelineCachePurge(name, { workspace: "acme", project: "web", pipelines: { "101": "a", "102": "b" }, token: credential }),
        validInputs: { workspace: "acme", project: "web", pipelines: { "101": "a", "102": "b" }, token: "token-value", triggers: { build: "old" } },
    },
    {
        service: "imagekit",
        canary: "private_CANARY-imagekit-conformance",
        build: (name, credential) => new UrlPurge(name, { urls: { "https://ik.imagekit.io/acme/a.jpg": "h1" }, privateKey: credential }),
        validInputs: { urls: { "https://ik.imagekit.io/acme/a.jpg": "h1" }, privateKey: "private_key", triggers: { build: "old" } },
    },
    {
        service: "codemagic",
        canary: "CANARY-codemagic-conformance",
        build: (name, credential) => new CodemagicCachePurge(name, { appId: "60ddd0b747960e00124747cb", workflows: { "build-ipa": "h1" }, token: credential }),
        validInputs: { appId: "60ddd0b747960e00124747cb", workflows: { "build-ipa": "h1" }, token: "token-value", triggers: { build: "old" } },
    },
    {
        service: "cloudfront",
        canary: "CANARY/cloudfront/conformance/secret",
        build: (name, credential) => new Invalidation(name, { distributionId: "E2QWRUHEXAMPLE", paths: { "/index.html": "h1" }, accessKeyId: "AKIAEXAMPLE000000000", secretAccessKey: credential }),
        validInputs: { distributionId: "E2QWRUHEXAMPLE", paths: { "/index.html": "h1" }, accessKeyId: "AKIAEXAMPLE000000000", secretAccessKey: "secret-value", triggers: { build: "old" } },
    },
    {
        service: "http",
        canary: "CANARY-http-conformance",
        build: (name, credential) => new HttpPurge(name, { request: { url: "https://cdn.example.com/purge?url={target}" }, targets: { "https://cdn.example.com/a.css": "h1" }, secretHeaders: { AccessKey: credential } }),
        validInputs: { request: { url: "https://cdn.example.com/purge?url={target}" }, targets: { "https://cdn.example.com/a.css": "h1" }, secretHeaders: { AccessKey: "key-value" }, triggers: { build: "old" } },
    },
    cloudflareCase,
    fastlyCase,
];
