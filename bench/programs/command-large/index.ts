import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { ADD_KEY, curlPurgeConfig } from "../curl-purge";
import { largeUrlMap } from "../large-urls";

// What a user writes instead of imagekit.UrlPurge for thousands of URLs: one curl process purging them
// all, 16 at a time, from a config file with one section per URL, re-run when any URL's hash changes.
// (-sS must follow -K: curl's parallel progress meter reads the last section's options.)
const config = new pulumi.Config();
const urls = largeUrlMap(config);
const file = path.resolve(`purge-${pulumi.getStack()}.curl`);
fs.writeFileSync(file, curlPurgeConfig(config.require("baseUrl"), Object.keys(urls)));

new command.local.Command("purge-images", {
    create: `${ADD_KEY} '${file}' | curl --parallel --parallel-max 16 --fail-early -K - -sS`,
    environment: { IMAGEKIT_PRIVATE_KEY: new pulumi.Config("cache-purge").requireSecret("imagekitPrivateKey") },
    triggers: Object.entries(urls).map(([url, hash]) => `${url}=${hash}`),
});
