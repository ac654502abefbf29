import type { CredentialSpec } from "../../core/credentials";
import type { PurgeService } from "../../core/service";
import { clearCache, clearUrl, flextypeErrorHint, flextypeErrorMessage, isRetryableStatus } from "./client";
import { flextypeInputShape, type FlextypeInputs } from "./schema";

const credentials: readonly CredentialSpec[] = [
    { input: "token", configKey: "cache-purge:flextypeToken", envVar: "FLEXTYPE_TOKEN", description: "token", secret: true },
    { input: "accessToken", configKey: "cache-purge:flextypeAccessToken", envVar: "FLEXTYPE_ACCESS_TOKEN", description: "access token", secret: true },
];

/** Flextype has one cache per site: one target, driven by the shared triggers. */
const CACHE_TARGET = "cache";

export const flextypeService: PurgeService<FlextypeInputs> = {
    name: "flextype",
    credentials,
    inputShape: flextypeInputShape,
    scope: (inputs) => inputs.baseUrl,
    targets: () => [{ key: CACHE_TARGET }],
    describeRequests: (inputs, keys) => keys.map(() => `POST ${clearUrl(inputs.baseUrl).toString()}`),
    errorMessage: flextypeErrorMessage,
    errorHint: flextypeErrorHint,
    // api-contracts: the token and access token are checked only by the cache endpoint, which clears.
    noProbe: "Flextype checks the token and access token only in its cache API, which clears the cache: they are not verified",
    retryStatus: isRetryableStatus,
    async purge(ctx) {
        await clearCache(ctx.http, ctx.inputs.baseUrl, ctx.credentials.token ?? "", ctx.credentials.accessToken ?? "");
        return { completion: "synchronous" };
    },
};
