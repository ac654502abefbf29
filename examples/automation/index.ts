import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();

// deploy.ts sets baseUrl and puts the tokens in the stack config as secrets
// (cache-purge:flextypeToken, cache-purge:flextypeAccessToken): nothing secret is in the program.
const cms = new purge.flextype.CachePurge("cms", {
    baseUrl: cfg.require("baseUrl"),
    triggers: { content: purge.hashFiles(`${__dirname}/content`) },
});

export const purgePlan = cms.purgePlan;
export const receipt = cms.receipt;
