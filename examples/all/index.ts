import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

/**
 * One deploy of a small company's estate, and the purges it makes necessary: the CMS pages, the CDN's
 * images, the mobile build caches, the BI caches over the orders schema, the CI dependency cache, the
 * site's images behind CloudFront, the CMS pages at Cloudflare's edge, the orders API at Fastly, and the
 * web app's own cache through its webhook. Every purge is driven by a hash of the content it depends on,
 * so `pulumi up` purges what changed.
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

// AWS keys from the SDK's chain or aws:accessKey / aws:secretKey, where @pulumi/aws reads them too.
const assets = new purge.cloudfront.Invalidation("assets", {
    distributionId: cfg.get("cloudfrontDistributionId") ?? "E2QWRUHEXAMPLE",
    paths: purge.hashFiles(`${site}/img`, { baseUrl: "/img/" }),
    endpoint: cfg.get("cloudfrontEndpoint"),
}, after);

// The CMS pages are cached at Cloudflare under the tag "content".
const pages = new purge.cloudflare.ZonePurge("pages", {
    baseUrl: cfg.get("cloudflareUrl"),
    zoneId: cfg.get("cloudflareZoneId") ?? "023e105f4ecef8ad9ca31a8372d0c353",
    tags: { content: purge.hashFiles(`${site}/content`) },
}, after);

// The orders API's answers are cached at Fastly with `Surrogate-Key: orders`.
const api = new purge.fastly.Purge("api", {
    baseUrl: cfg.get("fastlyUrl"),
    serviceId: cfg.get("fastlyServiceId") ?? "SU1Z0isxPaozGVKXdv0eY",
    surrogateKeys: { orders: purge.hashFiles(`${site}/api/schema.sql`) },
}, after);

// The web app's own `POST /admin/cache/clear`, behind a bearer token, after each release of the web app.
const app = new purge.http.Purge("app", {
    request: { method: "POST", url: `${cfg.get("appUrl") ?? "https://shop.example.com"}/admin/cache/clear` },
    secretHeaders: { Authorization: pulumi.interpolate`Bearer ${cfg.requireSecret("appToken")}` },
    triggers: { release: purge.hashFiles(`${site}/web/package-lock.json`) },
    success: { statuses: [204] },
}, after);

export const plans = {
    cms: cms.purgePlan, images: images.purgePlan, mobile: mobile.purgePlan, bi: bi.purgePlan, ci: ci.purgePlan,
    assets: assets.purgePlan, pages: pages.purgePlan, api: api.purgePlan, app: app.purgePlan,
};
export const receipts = {
    cms: cms.receipt, images: images.receipt, mobile: mobile.receipt, bi: bi.receipt, ci: ci.receipt,
    assets: assets.receipt, pages: pages.receipt, api: api.receipt, app: app.receipt,
};
