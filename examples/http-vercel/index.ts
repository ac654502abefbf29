import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();
const project = cfg.get("project") ?? "my-shop";

// Vercel's "Invalidate by tag" (vercel.com/docs/rest-api/edge-cache/invalidate-by-tag): POST the tags
// as a JSON array, a bearer token, the project in the query. Each tag carries the hash of what it
// tags, so only the tags whose content changed are invalidated, several per request.
const tags = new purge.http.Purge("tags", {
    request: {
        method: "POST",
        url: `${cfg.get("apiUrl") ?? "https://api.vercel.com"}/v1/edge-cache/invalidate-by-tags?projectIdOrName=${project}`,
        json: { target: "production" },
    },
    secretHeaders: { Authorization: pulumi.interpolate`Bearer ${cfg.requireSecret("vercelToken")}` },
    targets: {
        products: cfg.require("productsHash"),
        pricing: cfg.require("pricingHash"),
        "blog-posts": cfg.require("postsHash"),
    },
    batch: { size: 16, jsonPath: "tags" },
    success: { statuses: [200] },
});

export const purgePlan = tags.purgePlan;
export const receipt = tags.receipt;
