import { createProviderImplementation, engineFacing } from "../../core/provider-implementation";
import { httpService } from "./service";

/** Loaded by the serialized provider as `pulumi-cache-purge/provider/http`; its exports are a stable API. */
export = engineFacing(createProviderImplementation(httpService));
