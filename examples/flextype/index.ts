import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();

// The tokens come from `pulumi config set --secret cache-purge:flextypeToken …` and
// `cache-purge:flextypeAccessToken`, so nothing secret is written in the program.
const cms = new purge.flextype.CachePurge("cms", {
    baseUrl: cfg.require("baseUrl"),
    triggers: { entries: purge.hashFiles(cfg.get("contentDir") ?? `${__dirname}/content`) },
    purgeOnDelete: cfg.getBoolean("purgeOnDelete") ?? false,
});

export const purgePlan = cms.purgePlan;
export const receipt = cms.receipt;
