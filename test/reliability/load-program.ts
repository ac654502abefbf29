import * as path from "path";
import { BuddyEmulator } from "../../src/services/buddy/emulator";
import { CloudflareEmulator } from "../../src/services/cloudflare/emulator";
import { CloudFrontEmulator } from "../../src/services/cloudfront/emulator";
import { CodemagicEmulator } from "../../src/services/codemagic/emulator";
import { FastlyEmulator } from "../../src/services/fastly/emulator";
import { FlextypeEmulator } from "../../src/services/flextype/emulator";
import { ImageKitEmulator } from "../../src/services/imagekit/emulator";
import { MicroStrategyEmulator } from "../../src/services/microstrategy/emulator";
import type { Emulator } from "../../src/testing/emulator";
import { CloudflarePurgeEmulator } from "../services/http-vendors";
import { TestEngine } from "../harness/test-engine";
import { REPO_ROOT } from "../harness/workspace";

/**
 * The nine emulators and the stack config that points `examples/load` at them, for the load and secrets
 * tests: one program, one provider process, every service at once. The generic HTTP purge runs against
 * a Cloudflare-shaped purge API (test/services/http-vendors.ts).
 */

export const LOAD_PROJECT = "cache-purge-load";

/** The credentials every emulator accepts: canaries, so a test can search every output for them. */
export interface LoadCredentials {
    readonly flextypeToken: string;
    readonly flextypeAccessToken: string;
    readonly codemagicToken: string;
    readonly microstrategyUsername: string;
    readonly microstrategyPassword: string;
    readonly buddyToken: string;
    readonly imagekitPrivateKey: string;
    readonly awsAccessKeyId: string;
    readonly awsSecretAccessKey: string;
    readonly cloudflareApiToken: string;
    readonly fastlyApiToken: string;
}

/** The generic HTTP purge's bearer token: it has no credential source but the program's own secret config. */
export const HTTP_TOKEN = "CANARY-load-http-token";

/** The secret ones, by the resource input and stack config key that carries each. */
export const SECRET_CREDENTIALS = [
    "flextypeToken", "flextypeAccessToken", "codemagicToken", "microstrategyPassword", "buddyToken", "imagekitPrivateKey",
    "awsSecretAccessKey", "cloudflareApiToken", "fastlyApiToken",
] as const;

/** The environment variable of each credential. */
export const CREDENTIAL_ENV: Readonly<Record<keyof LoadCredentials, string>> = {
    flextypeToken: "FLEXTYPE_TOKEN",
    flextypeAccessToken: "FLEXTYPE_ACCESS_TOKEN",
    codemagicToken: "CODEMAGIC_TOKEN",
    microstrategyUsername: "MSTR_USERNAME",
    microstrategyPassword: "MSTR_PASSWORD",
    buddyToken: "BUDDY_TOKEN",
    imagekitPrivateKey: "IMAGEKIT_PRIVATE_KEY",
    awsAccessKeyId: "AWS_ACCESS_KEY_ID",
    awsSecretAccessKey: "AWS_SECRET_ACCESS_KEY",
    cloudflareApiToken: "CLOUDFLARE_API_TOKEN",
    fastlyApiToken: "FASTLY_API_TOKEN",
};

/** The stack config key of each credential: `cache-purge:<name>`, but CloudFront's are where @pulumi/aws reads them. */
function configKey(name: keyof LoadCredentials): string {
    return name === "awsAccessKeyId" ? "aws:accessKey" : name === "awsSecretAccessKey" ? "aws:secretKey" : `cache-purge:${name}`;
}

export function canaryCredentials(tag: string): LoadCredentials {
    const nonce = Math.random().toString(16).slice(2, 10);
    return {
        flextypeToken: `CANARY-flextype-token-${tag}-${nonce}`,
        flextypeAccessToken: `CANARY-flextype-access-${tag}-${nonce}`,
        codemagicToken: `CANARY-codemagic-token-${tag}-${nonce}`,
        microstrategyUsername: "admin",
        // Spaces, a quote, a slash and a backslash: its URL-, form- and JSON-encoded forms all differ from it.
        microstrategyPassword: `CANARY mstr/"pass\\word"!-${tag}-${nonce}`,
        buddyToken: `CANARY-buddy-token-${tag}-${nonce}`,
        imagekitPrivateKey: `private_CANARY-imagekit-${tag}-${nonce}`,
        awsAccessKeyId: "AKIALOADEXAMPLE00000",
        awsSecretAccessKey: `CANARY/aws/secret/${tag}-${nonce}`,
        cloudflareApiToken: `CANARY-cloudflare-token-${tag}-${nonce}`,
        fastlyApiToken: `CANARY-fastly-token-${tag}-${nonce}`,
    };
}

/** How many resources of each service the program declares; the last four default to none. */
export interface LoadCounts {
    readonly imagekit: number;
    readonly imagekitUrlsEach: number;
    readonly buddy: number;
    readonly flextype: number;
    readonly codemagic: number;
    readonly microstrategy: number;
    readonly cloudfront?: number;
    readonly cloudflare?: number;
    readonly fastly?: number;
    readonly http?: number;
}

export const CODEMAGIC_APP_IDS = ["60ddd0b747960e00124747c0", "60ddd0b747960e00124747c1", "60ddd0b747960e00124747c2", "60ddd0b747960e00124747c3", "60ddd0b747960e00124747c4"];
export const CLOUDFRONT_DISTRIBUTION_IDS = ["E2QWRUHLOAD0", "E2QWRUHLOAD1", "E2QWRUHLOAD2"];
export const CLOUDFLARE_ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
export const FASTLY_SERVICE = "SU1Z0isxPaozGVKXdv0eY";
export const MSTR_PROJECT_IDS = ["B7CA92F04B9FAE8D941C3E9B7E0CD750", "B7CA92F04B9FAE8D941C3E9B7E0CD751", "B7CA92F04B9FAE8D941C3E9B7E0CD752", "B7CA92F04B9FAE8D941C3E9B7E0CD753", "B7CA92F04B9FAE8D941C3E9B7E0CD754"];

export interface LoadEmulators {
    readonly flextype: FlextypeEmulator;
    readonly codemagic: CodemagicEmulator;
    readonly microstrategy: MicroStrategyEmulator;
    readonly buddy: BuddyEmulator;
    readonly imagekit: ImageKitEmulator;
    readonly cloudfront: CloudFrontEmulator;
    readonly cloudflare: CloudflareEmulator;
    readonly fastly: FastlyEmulator;
    readonly http: CloudflarePurgeEmulator;
    readonly all: readonly Emulator[];
}

export async function startEmulators(credentials: LoadCredentials, buddyPipelines: number): Promise<LoadEmulators> {
    const flextype = new FlextypeEmulator({ [credentials.flextypeToken]: { accessToken: credentials.flextypeAccessToken } });
    const codemagic = new CodemagicEmulator().addToken(credentials.codemagicToken);
    for (const appId of CODEMAGIC_APP_IDS) {
        codemagic.addApp(appId, [{ workflowId: "default" }]);
    }
    const microstrategy = new MicroStrategyEmulator({
        users: { [credentials.microstrategyUsername]: credentials.microstrategyPassword },
        projects: MSTR_PROJECT_IDS.map((id, i) => ({ id, name: `Project ${i}` })),
    });
    const buddy = new BuddyEmulator({
        pathPrefix: "/api",
        workspaces: { acme: { projects: { web: Array.from({ length: buddyPipelines }, (_, i) => ({ id: i + 1, name: `pipeline ${i + 1}` })) } } },
        tokens: { [credentials.buddyToken]: { scopes: ["EXECUTION_MANAGE"] } },
    });
    const imagekit = new ImageKitEmulator({ privateKey: credentials.imagekitPrivateKey, monthlyQuota: 100_000 });
    const cloudfront = new CloudFrontEmulator({ accounts: { [credentials.awsAccessKeyId]: credentials.awsSecretAccessKey }, distributions: CLOUDFRONT_DISTRIBUTION_IDS });
    const cloudflare = new CloudflareEmulator({ tokens: { [credentials.cloudflareApiToken]: [CLOUDFLARE_ZONE] }, zones: [CLOUDFLARE_ZONE], plan: "pro" });
    const fastly = new FastlyEmulator({ tokens: { [credentials.fastlyApiToken]: { scopes: ["purge_select"] } }, services: [FASTLY_SERVICE] });
    const http = new CloudflarePurgeEmulator(CLOUDFLARE_ZONE, HTTP_TOKEN);
    const all = [flextype, codemagic, microstrategy, buddy, imagekit, cloudfront, cloudflare, fastly, http];
    await Promise.all(all.map((e) => e.start()));
    return { flextype, codemagic, microstrategy, buddy, imagekit, cloudfront, cloudflare, fastly, http, all };
}

/** Where the program takes its credentials from; see examples/load/index.ts. */
export type CredentialSource = "plain" | "secret" | "config" | "env";

export interface LoadStackOptions {
    readonly emulators: LoadEmulators;
    readonly credentials: LoadCredentials;
    readonly counts: LoadCounts;
    readonly source: CredentialSource;
    readonly stateFile: string;
    readonly generation?: string;
}

/** A test engine running examples/load against the emulators, with credentials from `source`. */
export function loadStack(options: LoadStackOptions): TestEngine {
    const { emulators, credentials, counts, source } = options;
    type Entry = readonly [string, { readonly value: string; readonly secret: boolean }];
    const project = (key: string, value: string | number, secret = false): Entry => [`${LOAD_PROJECT}:${key}`, { value: String(value), secret }];
    const entries: Entry[] = [
        project("imagekitBaseUrl", emulators.imagekit.baseUrl),
        project("buddyBaseUrl", emulators.buddy.baseUrl),
        project("flextypeBaseUrl", emulators.flextype.baseUrl),
        project("codemagicBaseUrl", emulators.codemagic.baseUrl),
        project("microstrategyBaseUrl", emulators.microstrategy.baseUrl),
        project("codemagicAppIds", CODEMAGIC_APP_IDS.join(",")),
        project("microstrategyProjectIds", MSTR_PROJECT_IDS.join(",")),
        project("cloudfrontEndpoint", emulators.cloudfront.baseUrl),
        project("cloudfrontDistributionIds", CLOUDFRONT_DISTRIBUTION_IDS.join(",")),
        project("cloudflareBaseUrl", emulators.cloudflare.baseUrl),
        project("cloudflareZoneId", CLOUDFLARE_ZONE),
        project("fastlyBaseUrl", emulators.fastly.baseUrl),
        project("fastlyServiceId", FASTLY_SERVICE),
        project("httpPurgeUrl", emulators.http.purgeUrl),
        project("httpToken", HTTP_TOKEN, true),
        project("imagekitCount", counts.imagekit),
        project("imagekitUrlsEach", counts.imagekitUrlsEach),
        project("buddyCount", counts.buddy),
        project("flextypeCount", counts.flextype),
        project("codemagicCount", counts.codemagic),
        project("microstrategyCount", counts.microstrategy),
        project("cloudfrontCount", counts.cloudfront ?? 0),
        project("cloudflareCount", counts.cloudflare ?? 0),
        project("fastlyCount", counts.fastly ?? 0),
        project("httpCount", counts.http ?? 0),
        project("generation", options.generation ?? "1"),
        project("credentialsFrom", source),
    ];
    const names = Object.keys(credentials) as (keyof LoadCredentials)[];
    if (source === "plain" || source === "secret") {
        // The program reads them from its own config; "plain" passes them on as plain strings.
        entries.push(...names.map((name) => project(name, credentials[name], source === "secret")));
    }
    if (source === "config") {
        entries.push(...names.map((name) => [configKey(name), { value: credentials[name], secret: name !== "microstrategyUsername" && name !== "awsAccessKeyId" }] as const));
    }
    return new TestEngine({
        programDir: path.join(REPO_ROOT, "examples", "load"),
        project: LOAD_PROJECT,
        stack: "test",
        stateFile: options.stateFile,
        config: Object.fromEntries(entries),
        env: source === "env" ? Object.fromEntries(names.map((name) => [CREDENTIAL_ENV[name], credentials[name]])) : undefined,
    });
}
