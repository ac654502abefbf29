import { createProviderImplementation, engineFacing } from "../../core/provider-implementation";
import { imagekitService } from "./service";

/** Loaded by the serialized provider as `pulumi-cache-purge/provider/imagekit`; its exports are a stable API. */
export = engineFacing(createProviderImplementation(imagekitService));
