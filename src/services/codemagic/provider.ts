import { createProviderImplementation, engineFacing } from "../../core/provider-implementation";
import { codemagicService } from "./service";

/** Loaded by the serialized provider as `pulumi-cache-purge/provider/codemagic`; its exports are a stable API. */
export = engineFacing(createProviderImplementation(codemagicService));
