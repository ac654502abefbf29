import type { z as zod } from "zod";

/**
 * zod, loaded on first use. Every provider process loads an implementation module, but only `check`
 * validates; zod 4 takes ~50 ms to load (all its locales), more than the rest of the package. Schemas
 * are built inside functions anyway (zod objects do not serialize), so nothing touches `z` at load time.
 */
export const z: typeof zod = new Proxy({} as typeof zod, {
    get: (_target, key) => (require("zod") as typeof import("zod")).z[key as keyof typeof zod],
});
