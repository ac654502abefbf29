#!/usr/bin/env node
/**
 * `pulumi-resource-cache-purge`: the provider plugin the engine starts for the `cache-purge` package,
 * from any language's program. It prints the port it serves on, as every plugin does; the engine's
 * address comes as its first argument that is not a flag, and receives the plan and progress lines.
 */
import { engineSink, setProgressSink } from "../core/progress-log";
import { pluginVersion } from "./package";
import { serve } from "./server";

async function main(): Promise<void> {
    const engineAddress = process.argv.slice(2).find((arg) => !arg.startsWith("-"));
    if (engineAddress !== undefined && /^[\w.[\]:-]+:\d+$/.test(engineAddress)) {
        setProgressSink(engineSink(engineAddress));
    }
    const port = await serve(pluginVersion());
    // The port alone on stdout, as a string (a number would be coloured in a terminal).
    process.stdout.write(`${port}\n`);
}

main().catch((error: unknown) => {
    process.stderr.write(`pulumi-resource-cache-purge: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
});
