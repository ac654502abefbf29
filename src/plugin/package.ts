import * as fs from "fs";
import * as path from "path";

/** The Pulumi package name: the stack config `cache-purge:<key>` is this package's provider config. */
export const PACKAGE_NAME = "cache-purge";

/** This npm package's version, which is the plugin's: read from its package.json beside dist/. */
export function pluginVersion(): string {
    const file = path.join(__dirname, "..", "..", "package.json");
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}
