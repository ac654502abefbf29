import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();
const site = cfg.get("siteDir") ?? `${__dirname}/site`;

// Pages are cached with `Surrogate-Key: blog`: a change of the blog's content purges that key, softly, so
// Fastly serves the stale page while it fetches the new one. The home page is purged by its URL.
// The token comes from `pulumi config set --secret cache-purge:fastlyApiToken …`.
const cdn = new purge.fastly.Purge("site", {
    serviceId: cfg.require("serviceId"),
    surrogateKeys: { blog: purge.hashFiles(`${site}/blog`) },
    urls: { [cfg.get("homeUrl") ?? "https://www.example.com/"]: purge.hashFiles(`${site}/index.html`) },
    softPurge: true,
    // Only to point the example at a local emulator; leave unset for Fastly itself.
    baseUrl: cfg.get("baseUrl"),
});

export const purgePlan = cdn.purgePlan;
export const receipt = cdn.receipt;
