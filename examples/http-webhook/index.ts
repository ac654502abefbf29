import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();

// Your app's own `POST /admin/cache/clear`, behind a bearer token: one request whenever the release or
// the schema changes, counted as done only on 204 (a login page answering 200 is not a clear).
const appCache = new purge.http.Purge("app-cache", {
    request: { method: "POST", url: `${cfg.require("appUrl")}/admin/cache/clear` },
    secretHeaders: { Authorization: pulumi.interpolate`Bearer ${cfg.requireSecret("adminToken")}` },
    triggers: { release: cfg.require("release"), schema: cfg.require("schemaHash") },
    success: { statuses: [204] },
});

export const purgePlan = appCache.purgePlan;
export const receipt = appCache.receipt;
