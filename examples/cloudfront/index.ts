import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();

// One path per built file (/index.html, /assets/app.js), each with its content hash: an update
// invalidates only the files that changed, and /* instead when more than collapseAbove did.
// Credentials come from the AWS SDK's chain (AWS_PROFILE, SSO, the CI runner's role), or from
// aws:accessKey and aws:secretKey in the stack config, where @pulumi/aws reads them too.
const site = new purge.cloudfront.Invalidation("site", {
    distributionId: cfg.require("distributionId"),
    paths: purge.hashFiles(cfg.get("siteDir") ?? `${__dirname}/site`, { baseUrl: "/" }),
    collapseAbove: cfg.getNumber("collapseAbove") ?? 100,
    maxPathsPerDeployment: cfg.getNumber("maxPathsPerDeployment"),
    wait: cfg.getBoolean("wait") ?? false,
    // Only to point the example at a local emulator; leave unset for CloudFront itself.
    endpoint: cfg.get("endpoint"),
    maxRetries: cfg.getNumber("maxRetries"),
});

export const purgePlan = site.purgePlan;
export const receipt = site.receipt;
