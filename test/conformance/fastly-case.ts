import { Purge } from "../../src/services/fastly/resource";
import type { ConformanceCase } from "./cases";

const SERVICE = "SU1Z0isxPaozGVKXdv0eY";

/** Fastly's row of the conformance suite: a URL by hash and one surrogate key. */
export const fastlyCase: ConformanceCase = {
    service: "fastly",
    canary: "CANARY-fastly-conformance",
    build: (name, credential) => new Purge(name, { serviceId: SERVICE, urls: { "https://www.example.com/a.css": "h1" }, surrogateKeys: ["blog"], apiToken: credential }),
    validInputs: { serviceId: SERVICE, urls: { "https://www.example.com/a.css": "h1" }, surrogateKeys: ["blog"], apiToken: "token-value", triggers: { build: "old" } },
};
