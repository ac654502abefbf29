import { createProviderImplementation, engineFacing } from "../../core/provider-implementation";
import { fastlyService } from "./service";

/** Loaded by the serialized provider as `pulumi-cache-purge/provider/fastly`; its exports are a stable API. */
export = engineFacing(createProviderImplementation(fastlyService));
