import { createHash, createHmac, randomBytes } from "crypto";
import type * as http from "http";
import { Emulator, type RecordedRequest } from "../../testing/emulator";

/**
 * A local CloudFront invalidation API, modelled on AWS's own evidence, never on this package's client:
 * - API Reference, CreateInvalidation: `POST /2020-05-31/distribution/{DistributionId}/invalidation`, an
 *   XML `<InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">` with `CallerReference`
 *   and `Paths` (`Quantity`, `Items/Path`); answers 201, a `Location` header and the `<Invalidation>`.
 *   Errors it lists: AccessDenied, BatchTooLarge, InconsistentQuantities, InvalidArgument, MissingBody,
 *   NoSuchDistribution (404), TooManyInvalidationsInProgress (400): the same codes and statuses as the
 *   error shapes in the model of `@aws-sdk/client-cloudfront` (aws/aws-sdk-js-v3, clients/client-cloudfront).
 * - API Reference, InvalidationBatch: the same `CallerReference` with the same paths returns the
 *   invalidation already made; with other paths, `InvalidationBatchAlreadyExists`.
 * - API Reference, GetInvalidation / Invalidation: `GET …/invalidation/{Id}`, `Status` `InProgress`, then
 *   `Completed` "when the invalidation batch is finished"; NoSuchInvalidation (404).
 * - Developer Guide, "Concurrent invalidation request maximum": 3,000 file paths and, independently, 15
 *   wildcard paths in progress per distribution.
 * - Error bodies: REST-XML's `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 * - AWS General Reference, Signature Version 4: `Authorization: AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/cloudfront/aws4_request,
 *   SignedHeaders=…, Signature=<64 hex>` with `X-Amz-Date`; with the key's secret known, the signature is
 *   computed and compared (canonical request, string to sign, the derived signing key).
 */
export interface CloudFrontEmulatorOptions {
    /** Access key id -> secret access key; requests signed by others are refused (403). */
    readonly accounts: Readonly<Record<string, string>>;
    /** The distributions that exist. */
    readonly distributions: readonly string[];
    /** How long an invalidation reads `InProgress` before `Completed`. @default 0 */
    readonly inProgressMs?: number;
}

/** One invalidation the emulator made. */
export interface CloudFrontInvalidation {
    readonly distributionId: string;
    readonly id: string;
    readonly callerReference: string;
    readonly paths: readonly string[];
    /** Milliseconds since the epoch. */
    readonly createdAtMs: number;
}

const NAMESPACE = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
const MAX_FILE_PATHS = 3000;
const MAX_WILDCARD_PATHS = 15;
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export class CloudFrontEmulator extends Emulator {
    readonly invalidations: CloudFrontInvalidation[] = [];
    /** Answers that returned an invalidation already made (same CallerReference, same paths). */
    replays = 0;
    readonly accounts: Map<string, string>;
    readonly distributions: Set<string>;
    inProgressMs: number;
    /** Signatures checked against the secret, for tests that prove the check ran. */
    signaturesVerified = 0;

    constructor(options: CloudFrontEmulatorOptions) {
        super();
        this.accounts = new Map(Object.entries(options.accounts));
        this.distributions = new Set(options.distributions);
        this.inProgressMs = options.inProgressMs ?? 0;
    }

    get baseUrl(): string {
        return this.origin;
    }

    /** Every path invalidated, as CloudFront bills them: one per path sent, a wildcard counting one. */
    get pathsBilled(): number {
        return this.invalidations.reduce((sum, inv) => sum + inv.paths.length, 0);
    }

    status(invalidation: CloudFrontInvalidation): "InProgress" | "Completed" {
        return Date.now() - invalidation.createdAtMs >= this.inProgressMs ? "Completed" : "InProgress";
    }

    protected route(request: RecordedRequest, res: http.ServerResponse): void {
        const create = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation$/.exec(request.path);
        const read = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation\/([^/]+)$/.exec(request.path);
        if ((create === null || request.method !== "POST") && (read === null || request.method !== "GET")) {
            this.sendError(res, 404, "Sender", "NotFound", "The requested resource was not found.");
            return;
        }
        const refusal = this.authorizationProblem(request);
        if (refusal !== undefined) {
            this.sendError(res, 403, "Sender", refusal.code, refusal.message);
            return;
        }
        const distributionId = decodeURIComponent((create ?? read)![1]);
        if (!this.distributions.has(distributionId)) {
            this.sendError(res, 404, "Sender", "NoSuchDistribution", "The specified distribution does not exist.");
            return;
        }
        if (create !== null) {
            this.createInvalidation(distributionId, request, res);
            return;
        }
        const found = this.invalidations.find((inv) => inv.distributionId === distributionId && inv.id === decodeURIComponent(read![2]));
        if (found === undefined) {
            this.sendError(res, 404, "Sender", "NoSuchInvalidation", "The specified invalidation does not exist.");
            return;
        }
        this.sendXml(res, 200, this.invalidationXml(found));
    }

    private createInvalidation(distributionId: string, request: RecordedRequest, res: http.ServerResponse): void {
        if (request.body.trim() === "") {
            this.sendError(res, 400, "Sender", "MissingBody", "This operation requires a body. Ensure that the body is present and the Content-Type header is set.");
            return;
        }
        const callerReference = element(request.body, "CallerReference");
        const quantity = element(request.body, "Quantity");
        const paths = [...request.body.matchAll(/<Path>([\s\S]*?)<\/Path>/g)].map((m) => unescapeXml(m[1]));
        if (!request.body.includes("<InvalidationBatch") || callerReference === undefined || callerReference === "" || quantity === undefined) {
            this.sendError(res, 400, "Sender", "MalformedInput", "Unexpected list type or missing element: InvalidationBatch requires CallerReference and Paths.");
            return;
        }
        if (Number(quantity) !== paths.length) {
            this.sendError(res, 400, "Sender", "InconsistentQuantities", "The value of Quantity and the size of Items don't match.");
            return;
        }
        if (paths.length === 0 || paths.some((p) => !p.startsWith("/") || p.length > 4000 || p.slice(0, -1).includes("*"))) {
            this.sendError(res, 400, "Sender", "InvalidArgument", "Your request contains one or more invalid invalidation paths.");
            return;
        }
        const earlier = this.invalidations.find((inv) => inv.distributionId === distributionId && inv.callerReference === callerReference);
        if (earlier !== undefined) {
            if (earlier.paths.length === paths.length && earlier.paths.every((p, i) => p === paths[i])) {
                this.replays++;
                this.sendXml(res, 201, this.invalidationXml(earlier), { location: this.location(earlier) });
                return;
            }
            this.sendError(res, 400, "Sender", "InvalidationBatchAlreadyExists", "The CallerReference you provided is already in use with a different invalidation batch.");
            return;
        }
        const inProgress = this.invalidations.filter((inv) => inv.distributionId === distributionId && this.status(inv) === "InProgress").flatMap((inv) => inv.paths);
        const wildcards = (list: readonly string[]) => list.filter((p) => p.endsWith("*")).length;
        if (inProgress.length - wildcards(inProgress) + paths.length - wildcards(paths) > MAX_FILE_PATHS
            || wildcards(inProgress) + wildcards(paths) > MAX_WILDCARD_PATHS) {
            this.sendError(res, 400, "Sender", "TooManyInvalidationsInProgress", "Processing your request will cause you to exceed the maximum number of in-progress invalidations.");
            return;
        }
        const invalidation: CloudFrontInvalidation = { distributionId, id: newInvalidationId(), callerReference, paths, createdAtMs: Date.now() };
        this.invalidations.push(invalidation);
        // A new invalidation is InProgress when CreateInvalidation answers (API Reference, CreateInvalidation example).
        this.sendXml(res, 201, this.invalidationXml(invalidation, "InProgress"), { location: this.location(invalidation) });
    }

    /** Why the request's SigV4 signature is refused, or undefined when it is well-formed (and, with the key's secret known, correct). */
    private authorizationProblem(request: RecordedRequest): { code: string; message: string } | undefined {
        const header = request.headers.authorization;
        const amzDate = request.headers["x-amz-date"];
        if (header === undefined) {
            return { code: "MissingAuthenticationToken", message: "Missing Authentication Token" };
        }
        const match = AUTHORIZATION.exec(header);
        if (match === null || amzDate === undefined || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
            return { code: "IncompleteSignature", message: "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters, and an X-Amz-Date header." };
        }
        const [, keyId, date, region, service, signedHeaders, signature] = match;
        const secret = this.accounts.get(keyId);
        if (secret === undefined) {
            return { code: "InvalidClientTokenId", message: "The security token included in the request is invalid." };
        }
        if (service !== "cloudfront" || date !== amzDate.slice(0, 8) || !signedHeaders.split(";").includes("host")) {
            return { code: "IncompleteSignature", message: `Credential should be scoped to a valid service and to date ${amzDate.slice(0, 8)}, and sign the host header.` };
        }
        const canonical = [
            request.method,
            request.path.split("/").map(escapeRfc3986).join("/"),
            Object.entries(request.query).map(([k, v]) => `${escapeRfc3986(k)}=${escapeRfc3986(v)}`).sort().join("&"),
            ...signedHeaders.split(";").map((name) => `${name}:${(request.headers[name] ?? "").trim().replace(/\s+/g, " ")}`),
            "",
            signedHeaders,
            request.headers["x-amz-content-sha256"] ?? sha256(request.body),
        ].join("\n");
        const scope = `${date}/${region}/${service}/aws4_request`;
        const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
        const key = [date, region, service, "aws4_request"].reduce<Buffer | string>((k, part) => hmac(k, part), `AWS4${secret}`);
        this.signaturesVerified++;
        if (hmac(key, toSign).toString("hex") !== signature) {
            return { code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method." };
        }
        return undefined;
    }

    private location(invalidation: CloudFrontInvalidation): string {
        return `${this.origin}/2020-05-31/distribution/${invalidation.distributionId}/invalidation/${invalidation.id}`;
    }

    private invalidationXml(inv: CloudFrontInvalidation, status = this.status(inv)): string {
        const items = inv.paths.map((p) => `<Path>${escapeXml(p)}</Path>`).join("");
        return `<?xml version="1.0" encoding="UTF-8"?>\n<Invalidation xmlns="${NAMESPACE}"><Id>${inv.id}</Id><Status>${status}</Status>`
            + `<CreateTime>${new Date(inv.createdAtMs).toISOString()}</CreateTime><InvalidationBatch><Paths><Quantity>${inv.paths.length}</Quantity>`
            + `<Items>${items}</Items></Paths><CallerReference>${escapeXml(inv.callerReference)}</CallerReference></InvalidationBatch></Invalidation>`;
    }

    private sendXml(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
        res.writeHead(status, { "content-type": "text/xml", "x-amz-request-id": randomBytes(16).toString("hex"), ...headers });
        res.end(body);
    }

    private sendError(res: http.ServerResponse, status: number, type: string, code: string, message: string): void {
        this.sendXml(res, status, `<?xml version="1.0"?>\n<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${code}</Code>`
            + `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomBytes(16).toString("hex")}</RequestId></ErrorResponse>`);
    }
}

/** Invalidation ids look like `I2J0I21PCUYOIK` (AWS CLI examples): upper-case letters and digits. */
function newInvalidationId(): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    return `I${[...randomBytes(13)].map((b) => alphabet[b % alphabet.length]).join("")}`;
}

function element(xml: string, name: string): string | undefined {
    const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
    return match === null ? undefined : unescapeXml(match[1]);
}

function escapeXml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function unescapeXml(text: string): string {
    return text.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-fA-F]+));/g, (_m, name: string, dec?: string, hex?: string) => {
        if (dec !== undefined) {
            return String.fromCodePoint(Number(dec));
        }
        if (hex !== undefined) {
            return String.fromCodePoint(parseInt(hex, 16));
        }
        return ({ lt: "<", gt: ">", quot: "\"", apos: "'", amp: "&" } as Record<string, string>)[name];
    });
}

/** SigV4's URI encoding: RFC 3986 unreserved characters stay, every other byte is `%XX`. */
function escapeRfc3986(text: string): string {
    return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256(text: string): string {
    return createHash("sha256").update(text, "utf8").digest("hex");
}

function hmac(key: Buffer | string, data: string): Buffer {
    return createHmac("sha256", key).update(data, "utf8").digest();
}
