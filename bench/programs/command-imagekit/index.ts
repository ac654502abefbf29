import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { ADD_KEY, curlPurgeConfig } from "../curl-purge";
import { manyUrlMaps } from "../large-urls";

// What a user writes instead of imagekit.UrlPurge for a folder of images: one curl per folder, over a
// config of one section per URL passed in the environment, re-run when any URL's hash changes.
const config = new pulumi.Config();
const baseUrl = config.require("baseUrl");
const privateKey = new pulumi.Config("cache-purge").requireSecret("imagekitPrivateKey");
manyUrlMaps(config).forEach((urls, i) => new command.local.Command(`images-${i}`, {
    create: `printf '%s' "$PURGE_CONFIG" | ${ADD_KEY} | curl --fail-early -K - -sS`,
    environment: { IMAGEKIT_PRIVATE_KEY: privateKey, PURGE_CONFIG: curlPurgeConfig(baseUrl, Object.keys(urls)) },
    triggers: Object.entries(urls).map(([url, hash]) => `${url}=${hash}`),
}));
