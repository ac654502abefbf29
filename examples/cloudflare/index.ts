import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();
const site = cfg.get("siteDir") ?? `${__dirname}/site`;

// One URL per built file, each with its content hash: an update purges only the files that changed.
// Pages are cached under the tag of the content they show: a change of the blog's content purges "blog".
// The token comes from `pulumi config set --secret cache-purge:cloudflareApiToken …`.
const zone = new purge.cloudflare.ZonePurge("site", {
    zoneId: cfg.require("zoneId"),
    files: purge.hashFiles(site, { baseUrl: cfg.get("siteUrl") ?? "https://www.example.com/" }),
    tags: { blog: purge.hashFiles(`${site}/blog`) },
    plan: cfg.get<"free" | "pro" | "business" | "enterprise">("plan") ?? "free",
    // Only to point the example at a local emulator; leave unset for Cloudflare itself.
    baseUrl: cfg.get("baseUrl"),
});

export const purgePlan = zone.purgePlan;
export const receipt = zone.receipt;
