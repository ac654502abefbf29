/**
 * Writes src/plugin/schema.generated.ts: `npm run plugin:schema`. The version in it is the package's;
 * the plugin reports its installed version at run time whatever the file says.
 */
import * as fs from "fs";
import * as path from "path";
import { buildSchema, GENERATED_FILE, generatedModule, packageVersion } from "./build-schema";

const repoRoot = path.resolve(__dirname, "..", "..");
fs.writeFileSync(path.join(repoRoot, GENERATED_FILE), generatedModule(buildSchema(repoRoot, packageVersion(repoRoot))));
console.log(`wrote ${GENERATED_FILE}`);
