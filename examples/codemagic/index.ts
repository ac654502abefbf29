import * as pulumi from "@pulumi/pulumi";
import * as purge from "pulumi-cache-purge";

const cfg = new pulumi.Config();

// The token comes from `pulumi config set --secret cache-purge:codemagicToken …` (or CODEMAGIC_TOKEN),
// so nothing secret is written in the program. Each workflow's cache goes when its own lockfile changes:
// new pods do not throw away the Gradle cache.
const caches = new purge.codemagic.CachePurge("mobile-build-caches", {
    appId: cfg.require("appId"),
    baseUrl: cfg.get("baseUrl"),
    workflows: {
        "build-ipa": purge.hashFiles(cfg.get("iosLockfile") ?? `${__dirname}/ios/Podfile.lock`),
        "build-apk": purge.hashFiles(cfg.get("androidLockfile") ?? `${__dirname}/android/gradle.lockfile`),
    },
    // The next build should not start from a cache that is still being deleted.
    wait: cfg.getBoolean("wait") ?? true,
    waitTimeoutMs: cfg.getNumber("waitTimeoutMs"),
});

export const purgePlan = caches.purgePlan;
export const receipt = caches.receipt;
