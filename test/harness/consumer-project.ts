import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "./workspace";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

let project: string | undefined;

/**
 * A user's project, made once per test run: the package packed with `npm pack` and installed from the
 * tarball, as a user installs a release, next to the SDK version the repository tests with and the
 * TypeScript that `pulumi new typescript` adds. Every example is copied into it, each in its own
 * folder with its own Pulumi.yaml, so the real CLI runs the examples exactly as a user's program runs.
 *
 * Removed when the test process exits.
 */
export function consumerProject(): string {
    if (project) {
        return project;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cache-purge-consumer-"));
    process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    const tarball = execFileSync(NPM, ["pack", "--silent", "--pack-destination", dir], { cwd: REPO_ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
    const devDependencies = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies;
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({
        name: "consumer", private: true,
        dependencies: {
            "pulumi-cache-purge": `file:${path.join(dir, tarball)}`,
            "@pulumi/pulumi": devDependencies["@pulumi/pulumi"],
            // The optional peer that CloudFront purges need; examples/cloudfront uses it.
            "@aws-sdk/client-cloudfront": devDependencies["@aws-sdk/client-cloudfront"],
        },
        devDependencies: { "typescript": devDependencies.typescript, "ts-node": devDependencies["ts-node"], "@types/node": devDependencies["@types/node"] },
    }, null, 2));
    // The compiler options `pulumi new typescript` writes, for the programs and for ts-node.
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
        compilerOptions: {
            strict: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", sourceMap: true,
            experimentalDecorators: true, pretty: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true,
            forceConsistentCasingInFileNames: true,
        },
    }, null, 4));
    // The registry's packages are in npm's cache already: the repository's own install put them there.
    execFileSync(NPM, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "pipe" });
    fs.cpSync(path.join(REPO_ROOT, "examples"), path.join(dir, "examples"), {
        recursive: true,
        filter: (source) => !source.split(path.sep).includes("node_modules") && !/Pulumi\.[^/]+\.yaml$/.test(source) || source.endsWith("Pulumi.yaml"),
    });
    project = dir;
    return dir;
}
