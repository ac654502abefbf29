import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();

const cms = new purge.flextype.CachePurge("cms", {
    baseUrl: cfg.require("baseUrl"),
    triggers: { apiKey: cfg.requireSecret("apiKey"), site: cfg.require("site") },
    forcePurge: cfg.getSecret("nonce"),
});

// The whole map a secret: every trigger in it is.
const whole = new purge.flextype.CachePurge("whole", {
    baseUrl: cfg.require("baseUrl"),
    triggers: cfg.requireSecret("apiKey").apply((apiKey) => ({ apiKey, site: "fixed" })),
});

// A target's own trigger a secret: one URL's hash comes from secret config.
const images = new purge.imagekit.UrlPurge("images", {
    baseUrl: cfg.require("imagekitUrl"),
    urls: { "https://ik.imagekit.io/acme/img/logo.png": cfg.requireSecret("apiKey"), "https://ik.imagekit.io/acme/img/hero.png": cfg.require("site") },
});

export const imagesPlan = images.purgePlan;
export const imagesReceipt = images.receipt;
export const purgePlan = cms.purgePlan;
export const wholePlan = whole.purgePlan;
export const receipt = cms.receipt;
export const purged = (cms as unknown as { purged: pulumi.Output<unknown> }).purged;
