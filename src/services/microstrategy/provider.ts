import { createProviderImplementation, engineFacing } from "../../core/provider-implementation";
import { microstrategyService } from "./service";

/** Loaded by the serialized provider as `pulumi-cache-purge/provider/microstrategy`; its exports are a stable API. */
export = engineFacing(createProviderImplementation(microstrategyService));
