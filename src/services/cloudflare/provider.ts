import { createProviderImplementation, engineFacing } from "../../core/provider-implementation";
import { cloudflareService } from "./service";

/** Loaded by the serialized provider as `pulumi-cache-purge/provider/cloudflare`; its exports are a stable API. */
export = engineFacing(createProviderImplementation(cloudflareService));
