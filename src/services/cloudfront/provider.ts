import { createProviderImplementation, engineFacing } from "../../core/provider-implementation";
import { cloudfrontService } from "./service";

/** Loaded by the serialized provider as `pulumi-cache-purge/provider/cloudfront`; its exports are a stable API. */
export = engineFacing(createProviderImplementation(cloudfrontService));
