import { linkPackageIntoNodeModules } from "../test/harness/workspace";
import { programScaleFigures } from "./program-scale";
linkPackageIntoNodeModules();
(async () => {
  for (const x of await programScaleFigures([Number(process.env.N ?? 100)], Number(process.env.RUNS ?? 2))) console.log(x.name, "|", x.measured);
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
