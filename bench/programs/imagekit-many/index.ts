import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";
import { manyUrlMaps } from "../large-urls";

// The private key comes from stack config cache-purge:imagekitPrivateKey; every other input is its default.
const config = new pulumi.Config();
const baseUrl = config.require("baseUrl");
manyUrlMaps(config).forEach((urls, i) => new purge.imagekit.UrlPurge(`images-${i}`, { baseUrl, urls }));
