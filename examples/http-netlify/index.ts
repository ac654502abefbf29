import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();
const contentDir = cfg.get("contentDir") ?? `${__dirname}/content`;

// Netlify's purge API (operation purgeCache, github.com/netlify/open-api swagger.yml): POST the site and
// the cache tags that the site's responses carry in `Netlify-Cache-Tag`, with a personal access token;
// 202 means accepted. Each tag carries the hash of the content it tags, so an update purges only the
// tags whose content changed, together in one request.
const tags = new purge.http.Purge("cache-tags", {
    request: {
        method: "POST",
        // apiUrl only points the example at a local server; leave it unset for Netlify itself.
        url: `${cfg.get("apiUrl") ?? "https://api.netlify.com"}/api/v1/purge`,
        json: { site_id: cfg.get("siteId") ?? "3970e0fe-8564-4903-9a55-c5f8de49fb8b" },
    },
    secretHeaders: { Authorization: pulumi.interpolate`Bearer ${cfg.requireSecret("netlifyToken")}` },
    targets: {
        products: purge.hashFiles(`${contentDir}/products`),
        pricing: purge.hashFiles(`${contentDir}/pricing`),
        "blog-posts": purge.hashFiles(`${contentDir}/blog`),
    },
    // Netlify documents no maximum number of tags per request: 50 is our choice (see docs/services/http.md).
    batch: { size: 50, jsonPath: "cache_tags" },
    success: { statuses: [202] },
});

export const purgePlan = tags.purgePlan;
export const receipt = tags.receipt;
