import * as pulumi from "@pulumi/pulumi";
import { NaiveUrlPurge } from "../../naive/url-purge";
import { largeUrlMap } from "../large-urls";

// What a user gives the naive provider for thousands of URLs: the URLs, and their hashes as the triggers.
const config = new pulumi.Config();
const urls = largeUrlMap(config);
new NaiveUrlPurge("images", {
    baseUrl: config.require("baseUrl"),
    privateKey: new pulumi.Config("cache-purge").requireSecret("imagekitPrivateKey"),
    urls: Object.keys(urls),
    triggers: urls,
});
