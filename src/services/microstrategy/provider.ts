import { createProviderImplementation } from "../../core/provider-implementation";
import { microstrategyService } from "./service";

/** Loaded by the serialized provider as `pulumi-cache-purge/provider/microstrategy`; its exports are a stable API. */
export = createProviderImplementation(microstrategyService);
