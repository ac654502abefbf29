import type { PurgeService } from "../core/service";
import { codemagicService } from "./codemagic/service";
import { flextypeService } from "./flextype/service";
import { microstrategyService } from "./microstrategy/service";
import { buddyService } from "./buddy/service";
import { imagekitService } from "./imagekit/service";
import { cloudfrontService } from "./cloudfront/service";
import { httpService } from "./http/service";
import { cloudflareService } from "./cloudflare/service";
import { fastlyService } from "./fastly/service";

/** Every service this package supports: the conformance suite runs over this list. */
export const services: readonly PurgeService<never>[] = [
    flextypeService,
    codemagicService,
    microstrategyService,
    buddyService,
    imagekitService,
    cloudfrontService,
    httpService,
    cloudflareService,
    fastlyService,
] as unknown as readonly PurgeService<never>[];
