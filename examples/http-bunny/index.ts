import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();

// Bunny.net's "Purge URL" (docs.bunny.net/reference/purgepublic_indexpost): one POST per URL, the URL
// in the `url` query parameter, the account's API key in the `AccessKey` header; 200 means purged.
const zone = new purge.http.Purge("pull-zone", {
    request: { method: "POST", url: `${cfg.get("apiUrl") ?? "https://api.bunny.net"}/purge?url={target}&async=false` },
    secretHeaders: { AccessKey: cfg.requireSecret("bunnyAccessKey") },
    targets: purge.hashFiles(cfg.get("siteDir") ?? `${__dirname}/site`, { baseUrl: "https://example.b-cdn.net/" }),
    success: { statuses: [200] },
});

export const purgePlan = zone.purgePlan;
export const receipt = zone.receipt;
