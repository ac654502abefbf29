import { createProviderImplementation, engineFacing } from "../../core/provider-implementation";
import { flextypeService } from "./service";

/** Loaded by the serialized provider as `pulumi-cache-purge/provider/flextype`; its exports are a stable API. */
export = engineFacing(createProviderImplementation(flextypeService));
