import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

/**
 * One deploy of a small company's estate, and the purges it makes necessary: the CMS pages, the CDN's
 * images, the mobile build caches, the BI caches over the orders schema, and the CI dependency cache.
 * Every purge is driven by a hash of the content it depends on, so `pulumi up` purges what changed.
 */
const cfg = new pulumi.Config();
const site = cfg.get("siteDir") ?? `${__dirname}/site`;

// Stand-in for the infrastructure the purges sit next to: in a real stack, the bucket upload, the
// app build, the database migration.
class Release extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("example:index:Release", name, {}, opts);
        this.registerOutputs({});
    }
}
const release = new Release("release");
const after = { parent: release };

const cms = new purge.flextype.CachePurge("cms", {
    baseUrl: cfg.require("flextypeUrl"),
    triggers: { content: purge.hashFiles(`${site}/content`) },
}, after);

const images = new purge.imagekit.UrlPurge("images", {
    baseUrl: cfg.get("imagekitUrl"),
    urls: purge.hashFiles(`${site}/img`, { baseUrl: "https://ik.imagekit.io/acme/img" }),
    wait: true,
}, after);

const mobile = new purge.codemagic.CachePurge("mobile", {
    baseUrl: cfg.get("codemagicUrl"),
    appId: cfg.get("codemagicAppId") ?? "60ddd0b747960e00124747cb",
    workflows: {
        "build-ipa": purge.hashFiles(`${site}/ios/Podfile.lock`),
        "build-apk": purge.hashFiles(`${site}/android/gradle.lockfile`),
    },
}, after);

const bi = new purge.microstrategy.CachePurge("bi", {
    baseUrl: cfg.require("microstrategyUrl"),
    project: { name: cfg.get("biProject") ?? "MicroStrategy Tutorial" },
    cacheTypes: { object: purge.hashFiles(`${site}/api/schema.sql`), element: purge.hashFiles(`${site}/api/schema.sql`) },
}, after);

const ci = new purge.buddy.PipelineCachePurge("ci", {
    baseUrl: cfg.get("buddyUrl"),
    workspace: cfg.get("buddyWorkspace") ?? "acme",
    project: cfg.get("buddyProject") ?? "shop",
    pipelines: { "101": purge.hashFiles(`${site}/web/package-lock.json`) },
}, after);

export const plans = { cms: cms.purgePlan, images: images.purgePlan, mobile: mobile.purgePlan, bi: bi.purgePlan, ci: ci.purgePlan };
export const receipts = { cms: cms.receipt, images: images.receipt, mobile: mobile.receipt, bi: bi.receipt, ci: ci.receipt };
