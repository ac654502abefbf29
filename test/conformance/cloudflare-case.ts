import { ZonePurge } from "../../src/services/cloudflare/resource";
import type { ConformanceCase } from "./cases";

const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";

/** Cloudflare's row of the conformance suite: files by hash and one tag. */
export const cloudflareCase: ConformanceCase = {
    service: "cloudflare",
    canary: "CANARY-cloudflare-conformance",
    build: (name, credential) => new ZonePurge(name, { zoneId: ZONE, files: { "https://www.example.com/a.css": "h1" }, tags: ["blog"], apiToken: credential }),
    validInputs: { zoneId: ZONE, files: { "https://www.example.com/a.css": "h1" }, tags: ["blog"], apiToken: "token-value", triggers: { build: "old" } },
};
