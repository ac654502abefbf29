import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { largeUrlMap } from "../large-urls";

// What a user writes instead of imagekit.UrlPurge for thousands of URLs: one curl process purging them
// all, 16 at a time, from a config file with one section per URL, re-run when any URL's hash changes.
// ImageKit's purge request is POST /v1/files/purge {"url": …} with the private key as the Basic auth
// user; the key is added to each section at run time, from an environment variable marked secret, so it
// is in neither the file, the command line nor the state. (-sS must follow -K: curl's parallel progress
// meter reads the last section's options.)
const config = new pulumi.Config();
const urls = largeUrlMap(config);
const endpoint = `${config.require("baseUrl")}/v1/files/purge`;
const quoted = (text: string) => `"${text.replace(/["\\]/g, "\\$&")}"`;
const sections = Object.keys(urls).map((url) => [
    `url = ${quoted(endpoint)}`, `data = ${quoted(JSON.stringify({ url }))}`, `header = "content-type: application/json"`, "fail", `output = "/dev/null"`,
].join("\n"));
const file = path.resolve(`purge-${pulumi.getStack()}.curl`);
fs.writeFileSync(file, `${sections.join("\nnext\n")}\n`);

new command.local.Command("purge-images", {
    create: `awk '/^url / { print "user = \\"" ENVIRON["IMAGEKIT_PRIVATE_KEY"] ":\\"" } { print }' '${file}' | curl --parallel --parallel-max 16 -K - -sS`,
    environment: { IMAGEKIT_PRIVATE_KEY: new pulumi.Config("cache-purge").requireSecret("imagekitPrivateKey") },
    triggers: Object.entries(urls).map(([url, hash]) => `${url}=${hash}`),
});
