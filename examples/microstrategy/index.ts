import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();

// The login comes from the stack config, so nothing secret is written here: an API token with
// `pulumi config set --secret cache-purge:microstrategyApiToken …`, or a user and password with
// `pulumi config set cache-purge:microstrategyUsername …` and
// `pulumi config set --secret cache-purge:microstrategyPassword …`.
const bi = new purge.microstrategy.CachePurge("bi", {
    baseUrl: cfg.require("baseUrl"),
    project: cfg.get("projectId") ? { id: cfg.require("projectId") } : { name: cfg.require("projectName") },
    // Object caches hold metadata, which a schema change makes stale; element caches hold attribute
    // element lists read from the warehouse, which a data load makes stale.
    cacheTypes: {
        object: cfg.require("schemaHash"),
        element: cfg.require("dataHash"),
    },
});

export const purgePlan = bi.purgePlan;
export const receipt = bi.receipt;
