import { PurgeError } from "../../core/errors";

/** The AWS SDK module this service needs; an optional peer dependency of the package. */
export const SDK_MODULE = "@aws-sdk/client-cloudfront";

export type CloudFrontSdk = typeof import("@aws-sdk/client-cloudfront");

let loaded: CloudFrontSdk | undefined;

/**
 * The AWS SDK for CloudFront, loaded on first use: only a CloudFront purge needs it, so users of the
 * other services never install it. `load` is the module loader (tests pass one that cannot find it).
 */
export function cloudFrontSdk(load: (id: string) => unknown = require): CloudFrontSdk {
    if (loaded !== undefined && load === require) {
        return loaded;
    }
    // The SDK warns, under the stack on every deployment, that its releases of 2027 will need Node 22: a
    // notice about installing the SDK, not about the purge. A user who wants it sets the variable to false.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    let sdk: CloudFrontSdk;
    try {
        sdk = load(SDK_MODULE) as CloudFrontSdk;
    } catch (error) {
        if ((error as { code?: unknown }).code === "MODULE_NOT_FOUND") {
            throw new PurgeError(`cloudfront: the AWS SDK for CloudFront (${SDK_MODULE}) is not installed; it signs the requests and finds the AWS credentials. `
                + `Run \`npm install ${SDK_MODULE}\` in the Pulumi project (it is an optional peer dependency of pulumi-cache-purge, needed only for CloudFront)`);
        }
        throw error;
    }
    if (load === require) {
        loaded = sdk;
    }
    return sdk;
}
