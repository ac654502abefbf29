import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const config = new pulumi.Config();
const count = config.requireNumber("count");
for (let i = 0; i < count; i++) {
    new purge.flextype.CachePurge(`cms-${i}`, {
        baseUrl: config.require("baseUrl"),
        triggers: { content: config.require("contentHash") },
    });
}
