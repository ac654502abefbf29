import { PurgeError } from "../../core/errors";
import type { HttpClient, HttpResponse } from "../../core/http/client";
import { endpointUrl } from "../../core/http/url";
import { nonJsonErrorMessage, unexpectedAnswer } from "../answer";
import type { CloudFrontInputs } from "./schema";
import { cloudFrontSdk } from "./sdk";
import { sdkTransport } from "./sdk-transport";

/** `CreateInvalidation`'s URL (API Reference: `POST /2020-05-31/distribution/{DistributionId}/invalidation`). */
export function invalidationEndpoint(endpoint: string, distributionId: string): URL {
    return endpointUrl(endpoint, ["2020-05-31", "distribution", distributionId, "invalidation"]);
}

export interface Invalidation {
    readonly id: string;
    /** `InProgress` until the edge locations dropped the paths, then `Completed` (API Reference, Invalidation). */
    readonly status: string;
}

/** Static keys where the inputs, stack config or environment hold a pair; else undefined, for the SDK's chain. */
export interface StaticKeys {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
}

/**
 * CloudFront's invalidation API for one distribution, through the official AWS SDK: it serializes the
 * REST-XML, signs with SigV4 and finds the credentials by its standard chain (environment, shared
 * profile, SSO, web identity, the container's or instance's role); requests go out through the package's
 * HTTP client (see sdk-transport.ts).
 */
export class CloudFrontApi {
    private readonly answers: HttpResponse[] = [];
    private readonly client: InstanceType<ReturnType<typeof cloudFrontSdk>["CloudFrontClient"]>;
    private readonly sdk = cloudFrontSdk();

    constructor(http: HttpClient, private readonly inputs: CloudFrontInputs, keys: StaticKeys | undefined) {
        this.client = new this.sdk.CloudFrontClient({
            endpoint: inputs.endpoint,
            region: inputs.region,
            maxAttempts: 1,
            requestHandler: sdkTransport(http, this.answers),
            ...(keys === undefined ? {} : { credentials: keys }),
            ...(inputs.profile === undefined ? {} : { profile: inputs.profile }),
        });
    }

    /**
     * The credentials the SDK signs with, resolved once, so the caller can hide the secret parts in every
     * message. A chain that finds none fails naming the ways to give some.
     */
    async credentials(): Promise<{ secretAccessKey: string; sessionToken?: string }> {
        try {
            return await this.client.config.credentials();
        } catch (error) {
            const said = error instanceof Error ? error.message.split("\n")[0] : String(error);
            throw new PurgeError(`cloudfront: no AWS credentials found (the AWS SDK said: ${JSON.stringify(said)}); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, `
                + "or AWS_PROFILE (or the profile input, or stack config aws:profile) with `aws sso login` for SSO, or run where a role is attached; "
                + "static keys may also come from the accessKeyId and secretAccessKey inputs or `pulumi config set --secret aws:secretKey`");
        }
    }

    /** `CreateInvalidation` for `paths` under `callerReference`; CloudFront answers 201 with the invalidation. */
    async createInvalidation(paths: readonly string[], callerReference: string): Promise<Invalidation> {
        const url = invalidationEndpoint(this.inputs.endpoint, this.inputs.distributionId);
        const command = new this.sdk.CreateInvalidationCommand({
            DistributionId: this.inputs.distributionId,
            InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: [...paths] } },
        });
        const expected = "201 with an XML <Invalidation> holding <Id> and <Status>";
        const output = await this.sent("POST", url, () => this.client.send(command), expected);
        return this.invalidation("POST", url, output.Invalidation, expected);
    }

    /** `GetInvalidation`: the invalidation's status. */
    async getInvalidation(id: string): Promise<Invalidation> {
        const url = endpointUrl(this.inputs.endpoint, ["2020-05-31", "distribution", this.inputs.distributionId, "invalidation", id]);
        const command = new this.sdk.GetInvalidationCommand({ DistributionId: this.inputs.distributionId, Id: id });
        const expected = "200 with an XML <Invalidation> holding <Id> and <Status>";
        const output = await this.sent("GET", url, () => this.client.send(command), expected);
        return this.invalidation("GET", url, output.Invalidation, expected);
    }

    /** Runs the SDK call; an answer the SDK could not read becomes an error that quotes it. */
    private async sent<T>(method: string, url: URL, call: () => Promise<T>, expected: string): Promise<T> {
        const before = this.answers.length;
        try {
            return await call();
        } catch (error) {
            if (error instanceof PurgeError) {
                throw error;
            }
            const answer = this.answers.length > before ? this.answers[this.answers.length - 1] : undefined;
            if (answer !== undefined) {
                throw unexpectedAnswer("cloudfront", method, url.toString(), answer, expected, HINT);
            }
            throw new PurgeError(`cloudfront: ${method} ${url.toString()} failed in the AWS SDK: ${error instanceof Error ? error.message : String(error)}`);
        }
    }

    private invalidation(method: string, url: URL, value: { Id?: string; Status?: string } | undefined, expected: string): Invalidation {
        if (value?.Id === undefined || value.Id === "" || value.Status === undefined || value.Status === "") {
            const answer = this.answers[this.answers.length - 1];
            throw unexpectedAnswer("cloudfront", method, url.toString(), answer, expected, HINT);
        }
        return { id: value.Id, status: value.Status };
    }
}

const HINT = "check that endpoint is CloudFront's API (https://cloudfront.amazonaws.com), not a proxy in front of it";

/**
 * CloudFront's error body, REST-XML as AWS services write it:
 * `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`
 * (the SDK's `AwsRestXmlProtocol` reads the same elements). Quoted as `Code: Message`.
 */
export function cloudfrontErrorMessage(response: HttpResponse): string {
    const code = xmlElement(response.text, "Code");
    const message = xmlElement(response.text, "Message");
    if (code === undefined && message === undefined) {
        return nonJsonErrorMessage(response);
    }
    return [code, message].filter((part) => part !== undefined && part !== "").join(": ");
}

/** The error's `<Code>`, for callers that act on one (TooManyInvalidationsInProgress). */
export function cloudfrontErrorCode(response: HttpResponse | undefined): string | undefined {
    return response === undefined ? undefined : xmlElement(response.text, "Code");
}

function xmlElement(text: string, name: string): string | undefined {
    const match = new RegExp(`<${name}>([^<]{0,2000})</${name}>`).exec(text);
    return match?.[1].replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: "<", gt: ">", quot: "\"", apos: "'", amp: "&" })[e] ?? "");
}
