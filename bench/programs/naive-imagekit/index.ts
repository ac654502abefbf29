import * as pulumi from "@pulumi/pulumi";
import { NaiveUrlPurge } from "../../naive/url-purge";
import { manyUrlMaps } from "../large-urls";

// The URLs to purge, and their hashes as the triggers that re-run the purge.
const config = new pulumi.Config();
const baseUrl = config.require("baseUrl");
const privateKey = new pulumi.Config("cache-purge").requireSecret("imagekitPrivateKey");
manyUrlMaps(config).forEach((urls, i) => new NaiveUrlPurge(`images-${i}`, { baseUrl, privateKey, urls: Object.keys(urls), triggers: urls }));
