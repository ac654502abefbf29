import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { schema } from "../plugin/schema.generated";


/**
 * `npx pulumi-cache-purge plugin`: how to install the provider plugin that serves YAML, Go, Python, C#
 * and Java programs, for the version installed here. The tarball is a release asset
 * (scripts/plugin-tarball.sh builds it).
 */
export function pluginInstructions(): string {
    const version = (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
    const file = `pulumi-resource-cache-purge-v${version}-${goOs(os.platform())}-${goArch(os.arch())}.tar.gz`;
    // Where a user's CLI fetches the same tarball itself: the schema's pluginDownloadURL.
    const releases = String(schema.pluginDownloadURL).replace("${VERSION}", version);
    return [
        `# The provider plugin of pulumi-cache-purge ${version}, for Pulumi YAML, Go, Python, C# and Java programs (node >= 20 on PATH):`,
        `curl -fLO ${releases}${file}`,
        `pulumi plugin install resource cache-purge ${version} --file ${file}`,
        "# or, with this package installed globally (npm install -g pulumi-cache-purge), the plugin is already on PATH",
    ].join("\n");
}

function goOs(platform: string): string {
    return platform === "win32" ? "windows" : platform;
}

function goArch(arch: string): string {
    return arch === "x64" ? "amd64" : arch;
}
