import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { consumerProject } from "../test/harness/consumer-project";

/** What the host benches run: a user's project, its SDK, and the `__provider` texts its state holds. */
export interface InstalledBench {
    /** The project: the package installed from its tarball, the SDK, TypeScript; bench/ copied in. */
    readonly dir: string;
    /** Its `@pulumi/pulumi`, whose program runner and provider host a deployment there uses. */
    readonly sdkDir: string;
    readonly hostScript: string;
    /** The programs of bench/programs, in the project. */
    readonly programsDir: string;
    /** `__provider` of a `flextype.CachePurge`, an `imagekit.UrlPurge` and the naive provider of bench/naive, serialized there. */
    readonly providers: { readonly flextype: string; readonly imagekit: string; readonly naive: string };
}

/** Serializes one resource of each kind the benches use, in the project, under the SDK's mocks. */
const SERIALIZE = `
require("ts-node").register({ transpileOnly: true });
const pulumi = require("@pulumi/pulumi");
const texts = {};
pulumi.runtime.setMocks({
    newResource(args) { texts[args.name] = String(args.inputs.__provider ?? ""); return { id: args.name, state: args.inputs }; },
    call() { return {}; },
}, "project", "stack", false);
const purge = require("pulumi-cache-purge");
const { NaiveCacheClear } = require("./bench/naive/cache-clear");
new purge.flextype.CachePurge("flextype", { baseUrl: "https://cms.example.com", accessToken: "a" });
new purge.imagekit.UrlPurge("imagekit", { urls: ["https://ik.imagekit.io/acme/a.jpg"], privateKey: "k" });
new NaiveCacheClear("naive", { baseUrl: "https://cms.example.com", token: "t", accessToken: "a" });
setTimeout(() => { process.stdout.write(JSON.stringify(texts)); process.exit(0); }, 1500);
`;

let installed: InstalledBench | undefined;

/**
 * The package as a user has it, made once per bench run. In this repository the package is linked into
 * node_modules, and its provider is then a thin object of about 2 KB copied into every resource's
 * inputs (src/core/thin-provider.ts); installed, it is one `require` of 276 bytes. Every message
 * between the engine and the host carries it, so the benches measure what users run: both the package
 * and the naive provider from the same installed project.
 */
export function installedBench(): InstalledBench {
    if (installed) {
        return installed;
    }
    const dir = consumerProject();
    for (const folder of ["naive", "programs"]) {
        fs.cpSync(path.join(__dirname, folder), path.join(dir, "bench", folder), { recursive: true });
    }
    fs.writeFileSync(path.join(dir, "serialize-bench.js"), SERIALIZE);
    const texts = JSON.parse(execFileSync(process.execPath, ["serialize-bench.js"], { cwd: dir, encoding: "utf8" })) as Record<string, string>;
    for (const kind of ["flextype", "imagekit", "naive"]) {
        if (!texts[kind]) {
            throw new Error(`the installed project serialized no provider for ${kind}: ${JSON.stringify(texts)}`);
        }
    }
    const sdkDir = path.join(dir, "node_modules", "@pulumi", "pulumi");
    installed = {
        dir, sdkDir,
        hostScript: path.join(sdkDir, "cmd", "dynamic-provider", "index.js"),
        programsDir: path.join(dir, "bench", "programs"),
        providers: { flextype: texts.flextype, imagekit: texts.imagekit, naive: texts.naive },
    };
    return installed;
}
