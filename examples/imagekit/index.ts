import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();

// One URL per file, each with its content hash: an update purges only the files that changed.
// The private key comes from `pulumi config set --secret cache-purge:imagekitPrivateKey …`.
const images = new purge.imagekit.UrlPurge("images", {
    urls: purge.hashFiles(cfg.get("imagesDir") ?? `${__dirname}/images`, { baseUrl: cfg.require("urlBase") }),
    wait: cfg.getBoolean("wait") ?? false,
    // Only to point the example at a local emulator; leave unset for ImageKit itself.
    baseUrl: cfg.get("baseUrl"),
    maxPurgeRequests: cfg.getNumber("maxPurgeRequests"),
    maxRetries: cfg.getNumber("maxRetries"),
});

export const purgePlan = images.purgePlan;
export const receipt = images.receipt;
