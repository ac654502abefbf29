import type { CredentialSpec } from "../../core/credentials";
import type { PurgeService } from "../../core/service";
import { codemagicErrorHint, codemagicErrorMessage, codemagicRateLimit, listCaches } from "./client";
import { purgeCodemagic } from "./purge";
import { codemagicCrossCheck, codemagicInputShape, type CodemagicInputs } from "./schema";
import { codemagicRequests, codemagicScope, codemagicTargets } from "./targets";

const credentials: readonly CredentialSpec[] = [
    { input: "token", configKey: "cache-purge:codemagicToken", envVar: "CODEMAGIC_TOKEN", description: "API token", secret: true },
];

export const codemagicService: PurgeService<CodemagicInputs> = {
    name: "codemagic",
    credentials,
    inputShape: codemagicInputShape,
    crossCheck: codemagicCrossCheck,
    scope: codemagicScope,
    targets: codemagicTargets,
    describeRequests: codemagicRequests,
    errorMessage: codemagicErrorMessage,
    errorHint: codemagicErrorHint,
    async probe(ctx) {
        const caches = await listCaches(ctx.http, ctx.inputs.baseUrl, ctx.inputs.appId, ctx.credentials.token ?? "");
        return `listed ${caches.length} cache(s) of app ${ctx.inputs.appId}`;
    },
    rateLimit: codemagicRateLimit,
    purge: purgeCodemagic,
};
