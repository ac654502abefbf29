import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();

// A monorepo with two apps, each built by its own Buddy pipeline that caches its dependencies. A change
// to one lockfile clears only the cache of the pipeline that installs from it.
const webLock = purge.hashFiles(cfg.get("webLockfile") ?? `${__dirname}/web/package-lock.json`);
const apiLock = purge.hashFiles(cfg.get("apiLockfile") ?? `${__dirname}/api/package-lock.json`);

const pipelines: Record<string, pulumi.Input<string>> = {
    [cfg.get("webPipelineId") ?? "2"]: webLock,
    [cfg.get("apiPipelineId") ?? "5"]: apiLock,
};
// An optional deploy pipeline that installs both apps: its cache is stale when either lockfile changes.
const deployPipelineId = cfg.get("deployPipelineId");
if (deployPipelineId !== undefined) {
    pipelines[deployPipelineId] = pulumi.all([webLock, apiLock]).apply(([web, api]) => `${web}+${api}`);
}

// The token comes from `pulumi config set --secret cache-purge:buddyToken …` (or BUDDY_TOKEN), so
// nothing secret is written in the program.
const ci = new purge.buddy.PipelineCachePurge("ci", {
    workspace: cfg.get("workspace") ?? "acme",
    project: cfg.get("project") ?? "company-website",
    pipelines,
    region: cfg.get<"us" | "eu">("region"),
    baseUrl: cfg.get("baseUrl"),
});

export const purgePlan = ci.purgePlan;
export const receipt = ci.receipt;
