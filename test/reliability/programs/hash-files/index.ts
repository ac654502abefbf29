import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();

const cms = new purge.flextype.CachePurge("cms", {
    baseUrl: cfg.require("baseUrl"),
    triggers: { site: purge.hashFiles(cfg.require("dir")) },
});

export const purgePlan = cms.purgePlan;
