import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";
import { largeUrlMap } from "../large-urls";

// The private key comes from stack config cache-purge:imagekitPrivateKey.
const config = new pulumi.Config();
const urls = largeUrlMap(config);
new purge.imagekit.UrlPurge("images", {
    baseUrl: config.require("baseUrl"),
    urls,
    // The account's monthly quota allows the first up's purge of every URL.
    maxPurgeRequests: Math.max(1000, Object.keys(urls).length),
});
