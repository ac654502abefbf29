import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { conformanceCases } from "../test/conformance/cases";
import { consumerProject } from "../test/harness/consumer-project";
import { serializedProvider } from "../test/harness/serialize";
import { REPO_ROOT } from "../test/harness/workspace";
import type { Figure } from "./report";

const LIMIT = 1_200;
const LINKED_LIMIT = 2_500;

/** Serializes one resource of each service in a project where the package is installed from its tarball. */
const SERIALIZE_INSTALLED = `
const pulumi = require("@pulumi/pulumi");
const purge = require("pulumi-cache-purge");
const sizes = {};
pulumi.runtime.setMocks({
    newResource(args) { sizes[args.type] = Buffer.byteLength(String(args.inputs.__provider ?? ""), "utf8"); return { id: args.name, state: args.inputs }; },
    call() { return {}; },
}, "project", "stack", false);
new purge.flextype.CachePurge("a", { baseUrl: "https://cms.example.com" });
new purge.codemagic.CachePurge("b", { appId: "60ddd0b747960e00124747cb" });
new purge.microstrategy.CachePurge("c", { baseUrl: "https://bi.example.com/MicroStrategyLibrary", project: { name: "Tutorial" }, cacheTypes: ["element"] });
new purge.buddy.PipelineCachePurge("d", { workspace: "acme", project: "web", pipelineId: 2 });
new purge.imagekit.UrlPurge("e", { urls: ["https://ik.imagekit.io/acme/a.jpg"] });
setTimeout(() => { process.stdout.write(JSON.stringify(sizes)); process.exit(0); }, 1500);
`;

/** In a project where the package is installed from its tarball: the `__provider` each service stores there, by type token. */
function installedSizes(): Record<string, number> {
    const dir = consumerProject();
    fs.writeFileSync(path.join(dir, "serialize-sizes.js"), SERIALIZE_INSTALLED);
    return JSON.parse(execFileSync(process.execPath, ["serialize-sizes.js"], { cwd: dir, encoding: "utf8" })) as Record<string, number>;
}

/**
 * The `__provider` text each service stores per resource, from the SDK's real closure serializer: as a
 * user's project stores it (the package installed under node_modules), and as this repository's tests
 * see it (the package linked). A version bump cannot change it when the text names no version and no
 * code: two resources of one service with different inputs and credentials must serialize the same.
 */
export async function providerSizeFigures(): Promise<Figure[]> {
    const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
    const rows: string[] = [];
    let linkedMet = true;
    for (const c of conformanceCases) {
        const first = await serializedProvider(() => c.build("first", c.canary));
        const second = await serializedProvider(() => c.build("second", `${c.canary}-other`));
        const bytes = Buffer.byteLength(first, "utf8");
        const identical = first === second;
        const namesVersion = first.includes(version);
        const holdsCredential = first.includes(c.canary);
        linkedMet &&= bytes <= LINKED_LIMIT && identical && !namesVersion && !holdsCredential;
        rows.push(`${c.service} ${bytes.toLocaleString("en-US")}${identical ? "" : " (DIFFERS between resources)"}${namesVersion ? " (NAMES THE VERSION)" : ""}${holdsCredential ? " (HOLDS THE CREDENTIAL)" : ""}`);
    }
    const installed = installedSizes();
    const installedRows = Object.entries(installed).map(([type, bytes]) => `${type.replace(/^pulumi-nodejs:dynamic\//, "")} ${bytes.toLocaleString("en-US")}`);
    const installedMet = Object.keys(installed).length === conformanceCases.length && Object.values(installed).every((b) => b <= LIMIT);
    return [
        {
            name: "`__provider` bytes per resource, package installed (as in a user's project)",
            goal: `≤ ${LIMIT.toLocaleString("en-US")} for each service`,
            measured: `${installedRows.join("; ")} bytes`,
            met: installedMet,
            notes: [
                "`npm pack`, the tarball installed into a fresh project with the SDK, one resource of each service serialized there under the SDK's mocks.",
                "Installed under node_modules, the provider object is the implementation module itself (src/core/thin-provider.ts), and the SDK's serializer writes a module under node_modules as `require(\"pulumi-cache-purge/provider/<service>\")`, its exported subpath: the whole text is that line and the SDK's wrapper. It names no version and no code, so a version bump cannot change it.",
            ],
        },
        {
            name: "`__provider` bytes per resource, package linked (this repository's tests)",
            goal: `≤ ${LINKED_LIMIT.toLocaleString("en-US")}, unchanged by a version bump`,
            measured: `${rows.join("; ")} bytes (deterministic: one value each); identical for two resources of a service; no version string (${version}), no credential`,
            met: linkedMet,
            notes: [
                "Serialized by `test/harness/serialize.ts` for two resources of each service with different names and credentials; the text is compared byte for byte and searched for the package version and the credential.",
                "Linked into node_modules, the package's real path is outside node_modules, where the serializer would copy the implementation by value; so the provider is a thin object whose methods require the implementation's module name when called (src/core/thin-provider.ts).",
            ],
        },
    ];
}
