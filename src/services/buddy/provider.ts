import { createProviderImplementation, engineFacing } from "../../core/provider-implementation";
import { buddyService } from "./service";

/** Loaded by the serialized provider as `pulumi-cache-purge/provider/buddy`; its exports are a stable API. */
export = engineFacing(createProviderImplementation(buddyService));
