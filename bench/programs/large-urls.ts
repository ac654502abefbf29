import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

const IMAGES = "https://ik.imagekit.io/acme/img";

function contentHash(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

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
        urls[`${IMAGES}/${String(i).padStart(5, "0")}.jpg`] = contentHash(`${salt}${i}`);
    }
    return urls;
}

/** Images per resource in bench/imagekit-many.ts. */
export const URLS_PER_RESOURCE = 10;

/** The URLs of bench/imagekit-many.ts: `count` folders of 10 images, one URL -> sha256 map per folder. */
export function manyUrlMaps(config: pulumi.Config): Record<string, string>[] {
    return Array.from({ length: config.requireNumber("count") }, (_, folder) => {
        const urls: Record<string, string> = {};
        for (let i = 0; i < URLS_PER_RESOURCE; i++) {
            urls[`${IMAGES}/${folder}/${i}.jpg`] = contentHash(`${folder}/${i}`);
        }
        return urls;
    });
}
