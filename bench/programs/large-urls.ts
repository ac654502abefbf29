import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

/**
 * The URLs of bench/large-preview.ts, as `hashFiles` would give them for a folder of `count` images:
 * URL -> sha256 hex. Config `changed`, when set, names the one image whose content changed since the
 * first up, so a program run with it differs from the last by exactly one hash.
 */
export function largeUrlMap(config: pulumi.Config): Record<string, string> {
    const count = config.requireNumber("count");
    const changed = config.getNumber("changed") ?? -1;
    const urls: Record<string, string> = {};
    for (let i = 0; i < count; i++) {
        const salt = i === changed ? "changed" : "";
        urls[`https://ik.imagekit.io/acme/img/${String(i).padStart(5, "0")}.jpg`] = createHash("sha256").update(`${salt}${i}`).digest("hex");
    }
    return urls;
}
