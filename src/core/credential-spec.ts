// Its own file: the errors name a credential by its spec, and the credentials module throws those
// errors; with the type here, neither imports the other back.

/**
 * Where one credential may come from, in order: the resource input, the stack config (read by the
 * provider's `configure`, so it is never captured in the serialized provider), an environment variable
 * of the process that runs the provider.
 */
export interface CredentialSpec {
    /** The resource input: `accessToken`. */
    readonly input: string;
    /** The namespaced stack config key: `cache-purge:<service><Name>`. */
    readonly configKey: string;
    /** The environment variable: `<SERVICE>_<NAME>`. */
    readonly envVar: string;
    /** What it is, in the vendor's words, for messages: `access token`. */
    readonly description: string;
    /** Secrets are wrapped with `pulumi.secret` and redacted from every message. */
    readonly secret: boolean;
    /** An optional credential may be absent (another way of authenticating is used). */
    readonly optional?: boolean;
    /**
     * Where the request carries it. An HTTP header holds only Latin-1 text without line breaks; a JSON or
     * form body holds any Unicode text.
     * @default "header"
     */
    readonly carriedIn?: "header" | "body";
}
