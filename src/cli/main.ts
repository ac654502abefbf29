#!/usr/bin/env node
/**
 * The `pulumi-cache-purge` command: `emulators`, which runs the local service emulators for offline
 * runs of a user's own program, and `plugin`, which prints how to install the provider plugin.
 */
import { parseEmulatorsArgs, runEmulators } from "./emulators";
import { pluginInstructions } from "./plugin-command";

const USAGE = `usage: npx pulumi-cache-purge emulators [--port <first port>]

  emulators   start local emulators of Flextype, ImageKit, Codemagic, MicroStrategy, Buddy.Works and CloudFront,
              print the \`pulumi config set\` lines that point a stack at them, log every request,
              stop on Ctrl-C. --port 0 takes free ports; the default is 4471 (and the seven after it).
  plugin      print how to install the provider plugin, pulumi-resource-cache-purge, for programs in
              Pulumi YAML, Go, Python, C# or Java.`;

function main(argv: readonly string[]): void {
    const [command, ...rest] = argv;
    if (command === "emulators") {
        const parsed = parseEmulatorsArgs(rest);
        if (typeof parsed === "string") {
            console.error(`pulumi-cache-purge emulators: ${parsed}\n\n${USAGE}`);
            process.exitCode = 2;
            return;
        }
        runEmulators(parsed).catch((error: unknown) => {
            console.error(`pulumi-cache-purge emulators: ${(error as Error).message}`);
            process.exitCode = 1;
        });
        return;
    }
    if (command === "plugin") {
        console.log(pluginInstructions());
        return;
    }
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
        console.log(USAGE);
        return;
    }
    console.error(`pulumi-cache-purge: unknown command "${command}"\n\n${USAGE}`);
    process.exitCode = 2;
}

main(process.argv.slice(2));
