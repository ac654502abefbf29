import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();

// A deployment with many purges of several services: one provider process serves all of them, so
// resources of one service account share its rate budget. Every base URL comes from config, so the
// program runs against local emulators; counts are config too (defaults: 50 resources of the first five
// services, none of the last four).
const generation = cfg.get("generation") ?? "1";
const triggers = { generation };
const count = (name: string, fallback: number) => cfg.getNumber(name) ?? fallback;

// Where credentials come from: "config" (default) and "env" pass none, so the provider reads the stack
// config (`cache-purge:…`) or the environment; "plain" passes them as plain strings, "secret" wrapped in
// pulumi.secret. Either way the state holds them only encrypted.
const credentialsFrom = cfg.get("credentialsFrom") ?? "config";
function credential(name: string): pulumi.Input<string> | undefined {
    if (credentialsFrom === "plain") {
        return cfg.require(name);
    }
    return credentialsFrom === "secret" ? pulumi.secret(cfg.require(name)) : undefined;
}

const exported: Record<string, pulumi.Output<unknown>> = {};
function keep(name: string, resource: purge.flextype.CachePurge | purge.codemagic.CachePurge | purge.microstrategy.CachePurge
    | purge.buddy.PipelineCachePurge | purge.imagekit.UrlPurge | purge.cloudfront.Invalidation | purge.cloudflare.ZonePurge | purge.fastly.Purge
    | purge.http.Purge, ...secretOutputs: string[]): void {
    exported[`${name}Receipt`] = resource.receipt;
    exported[`${name}Plan`] = resource.purgePlan;
    // The credential outputs themselves, so a test can see that they only ever leave the provider as secrets.
    for (const output of secretOutputs) {
        exported[`${name}.${output}`] = (resource as unknown as Record<string, pulumi.Output<unknown>>)[output];
    }
}

for (let i = 0; i < count("imagekitCount", 20); i++) {
    const urls = Array.from({ length: count("imagekitUrlsEach", 5) }, (_, j) => `https://ik.imagekit.io/load/r${i}/img-${j}.jpg`);
    keep(`imagekit${i}`, new purge.imagekit.UrlPurge(`imagekit-${i}`, {
        urls, triggers, baseUrl: cfg.require("imagekitBaseUrl"), privateKey: credential("imagekitPrivateKey"),
    }), "privateKey");
}
for (let i = 0; i < count("buddyCount", 15); i++) {
    keep(`buddy${i}`, new purge.buddy.PipelineCachePurge(`buddy-${i}`, {
        workspace: "acme", project: "web", pipelineId: i + 1, triggers, baseUrl: cfg.require("buddyBaseUrl"), token: credential("buddyToken"),
    }), "token");
}
for (let i = 0; i < count("flextypeCount", 5); i++) {
    keep(`flextype${i}`, new purge.flextype.CachePurge(`flextype-${i}`, {
        baseUrl: cfg.require("flextypeBaseUrl"), triggers, token: credential("flextypeToken"), accessToken: credential("flextypeAccessToken"),
    }), "token", "accessToken");
}
const appIds = cfg.require("codemagicAppIds").split(",");
for (let i = 0; i < count("codemagicCount", 5); i++) {
    keep(`codemagic${i}`, new purge.codemagic.CachePurge(`codemagic-${i}`, {
        appId: appIds[i % appIds.length], triggers, baseUrl: cfg.require("codemagicBaseUrl"), token: credential("codemagicToken"),
    }), "token");
}
const projectIds = cfg.require("microstrategyProjectIds").split(",");
for (let i = 0; i < count("microstrategyCount", 5); i++) {
    keep(`microstrategy${i}`, new purge.microstrategy.CachePurge(`microstrategy-${i}`, {
        baseUrl: cfg.require("microstrategyBaseUrl"), project: { id: projectIds[i % projectIds.length] }, triggers,
        username: credentialsFrom === "plain" || credentialsFrom === "secret" ? cfg.require("microstrategyUsername") : undefined,
        password: credential("microstrategyPassword"),
    }), "password");
}
const distributionIds = (cfg.get("cloudfrontDistributionIds") ?? "").split(",");
for (let i = 0; i < count("cloudfrontCount", 0); i++) {
    keep(`cloudfront${i}`, new purge.cloudfront.Invalidation(`cloudfront-${i}`, {
        distributionId: distributionIds[i % distributionIds.length], paths: [`/load/r${i}/index.html`, `/load/r${i}/app.js`], triggers,
        endpoint: cfg.require("cloudfrontEndpoint"),
        accessKeyId: credentialsFrom === "plain" || credentialsFrom === "secret" ? cfg.require("awsAccessKeyId") : undefined,
        secretAccessKey: credential("awsSecretAccessKey"),
    }), "secretAccessKey");
}
for (let i = 0; i < count("cloudflareCount", 0); i++) {
    keep(`cloudflare${i}`, new purge.cloudflare.ZonePurge(`cloudflare-${i}`, {
        zoneId: cfg.require("cloudflareZoneId"), tags: [`load-${i}`], triggers, plan: "pro", baseUrl: cfg.require("cloudflareBaseUrl"),
        apiToken: credential("cloudflareApiToken"),
    }), "apiToken");
}
for (let i = 0; i < count("fastlyCount", 0); i++) {
    keep(`fastly${i}`, new purge.fastly.Purge(`fastly-${i}`, {
        serviceId: cfg.require("fastlyServiceId"), surrogateKeys: [`load-${i}`], urls: [`https://www.example.com/load/r${i}/a`, `https://www.example.com/load/r${i}/b`],
        triggers, baseUrl: cfg.require("fastlyBaseUrl"), apiToken: credential("fastlyApiToken"),
    }), "apiToken");
}
// Any HTTP endpoint has no credential source of its own: the token is always this program's secret config.
for (let i = 0; i < count("httpCount", 0); i++) {
    keep(`http${i}`, new purge.http.Purge(`http-${i}`, {
        request: { method: "POST", url: cfg.require("httpPurgeUrl") },
        secretHeaders: { Authorization: pulumi.interpolate`Bearer ${cfg.requireSecret("httpToken")}` },
        targets: Array.from({ length: 4 }, (_, j) => `https://www.example.com/load/r${i}/page-${j}.html`),
        batch: { size: 2, jsonPath: "files" },
        success: { jsonPath: "success", equals: true },
        triggers,
    }));
}

export const outputs = exported;
