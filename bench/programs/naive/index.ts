import * as pulumi from "@pulumi/pulumi";
import { NaiveCacheClear } from "../../naive/cache-clear";

const config = new pulumi.Config();
const count = config.requireNumber("count");
for (let i = 0; i < count; i++) {
    new NaiveCacheClear(`cms-${i}`, {
        baseUrl: config.require("baseUrl"),
        token: config.require("token"),
        accessToken: config.requireSecret("accessToken"),
        triggers: { content: config.require("contentHash") },
    });
}
