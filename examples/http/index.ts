import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();
const zone = cfg.get("zoneId") ?? "023e105f4ecef8ad9ca31a8372d0c353";

// Cloudflare's purge by URL, as any HTTP purge API: one POST per batch of up to 30 URLs in `files`
// (Cloudflare takes 100), counted as done only when the answer says `"success": true`. Each file's
// content hash is its trigger, so an update purges only the files that changed.
// The API token comes from `pulumi config set --secret apiToken …`: stored encrypted, shown as [secret].
const site = new purge.http.Purge("site", {
    request: {
        method: "POST",
        // Only to point the example at a local emulator; leave purgeUrl unset for Cloudflare itself.
        url: cfg.get("purgeUrl") ?? `https://api.cloudflare.com/client/v4/zones/${zone}/purge_cache`,
    },
    secretHeaders: { Authorization: pulumi.interpolate`Bearer ${cfg.requireSecret("apiToken")}` },
    targets: purge.hashFiles(cfg.get("siteDir") ?? `${__dirname}/site`, { baseUrl: "https://www.example.com/" }),
    batch: { size: cfg.getNumber("batchSize") ?? 30, jsonPath: "files" },
    success: { jsonPath: "success", equals: true },
    maxRetries: cfg.getNumber("maxRetries"),
});

export const purgePlan = site.purgePlan;
export const receipt = site.receipt;
