import * as fs from "fs";
import * as path from "path";
import { conformanceCases } from "../test/conformance/cases";
import { serializedProvider } from "../test/harness/serialize";
import { REPO_ROOT } from "../test/harness/workspace";
import type { Figure } from "./report";

const LIMIT = 2_500;

/**
 * The `__provider` text each service stores per resource, from the SDK's real closure serializer. A
 * version bump cannot change it when the text names no version and no code but the thin provider: two
 * resources of one service with different inputs and credentials must serialize to the same text.
 */
export async function providerSizeFigures(): Promise<Figure[]> {
    const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
    const rows: string[] = [];
    let met = true;
    for (const c of conformanceCases) {
        const first = await serializedProvider(() => c.build("first", c.canary));
        const second = await serializedProvider(() => c.build("second", `${c.canary}-other`));
        const bytes = Buffer.byteLength(first, "utf8");
        const identical = first === second;
        const namesVersion = first.includes(version);
        const holdsCredential = first.includes(c.canary);
        met &&= bytes <= LIMIT && identical && !namesVersion && !holdsCredential;
        rows.push(`${c.service} ${bytes.toLocaleString("en-US")}${identical ? "" : " (DIFFERS between resources)"}${namesVersion ? " (NAMES THE VERSION)" : ""}${holdsCredential ? " (HOLDS THE CREDENTIAL)" : ""}`);
    }
    return [{
        name: "`__provider` bytes per resource, for each service",
        goal: `≤ ${LIMIT.toLocaleString("en-US")}, unchanged by a version bump`,
        measured: `${rows.join("; ")} bytes (deterministic: one value each); identical for two resources of a service; no version string (${version}), no credential`,
        met,
        notes: [
            "Serialized by `test/harness/serialize.ts` (the SDK's closure serializer under mocks, as a deployment stores it) for two resources of each service with different names and credentials; the text is compared byte for byte and searched for the package version and the credential.",
            "The text captures only the implementation's module name (`pulumi-cache-purge/provider/<service>`, src/core/thin-provider.ts) and requires it when called, so a version bump changes it only if thin-provider.ts itself changes. A real bump of the installed package was not simulated (it would need a second installed copy); the absence of any version or package code in the text is what makes the figure bump-proof.",
        ],
    }];
}
