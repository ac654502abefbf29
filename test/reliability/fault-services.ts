import { buddyFaults } from "./buddy-faults";
import { cloudflareFaults } from "./cloudflare-faults";
import { cloudfrontFaults } from "./cloudfront-faults";
import { codemagicFaults } from "./codemagic-faults";
import { fastlyFaults } from "./fastly-faults";
import type { ServiceFaults } from "./fault-cases";
import { flextypeFaults } from "./flextype-faults";
import { httpFaults } from "./http-faults";
import { imagekitFaults } from "./imagekit-faults";
import { microstrategyFaults } from "./microstrategy-faults";

/** The fault matrix's rows, one per service, in the order the matrix runs them. */
export const SERVICE_FAULTS: readonly ServiceFaults[] = [
    flextypeFaults, codemagicFaults, microstrategyFaults, buddyFaults, imagekitFaults, cloudfrontFaults, cloudflareFaults, fastlyFaults, httpFaults,
];
