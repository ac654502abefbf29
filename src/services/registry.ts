import type { PurgeService } from "../core/service";
import { flextypeService } from "./flextype/service";

/** Every service this package supports: the conformance suite runs over this list. */
export const services: readonly PurgeService<never>[] = [
    flextypeService,
] as unknown as readonly PurgeService<never>[];
