import type * as http from "http";
import { BuddyEmulator } from "../services/buddy/emulator";
import { CloudFrontEmulator } from "../services/cloudfront/emulator";
import { CloudflareEmulator } from "../services/cloudflare/emulator";
import { FastlyEmulator } from "../services/fastly/emulator";
import { CodemagicEmulator } from "../services/codemagic/emulator";
import { FlextypeEmulator } from "../services/flextype/emulator";
import { ImageKitEmulator } from "../services/imagekit/emulator";
import { MicroStrategyEmulator } from "../services/microstrategy/emulator";
import type { Emulator, RecordedRequest } from "../testing/emulator";
import { describeAnswer, type ServiceName } from "./describe-answer";

/** The demo credentials every emulator of the command accepts; the printed config lines set them. */
export const DEMO = {
    flextypeToken: "d3m0t0k3n0123456789abcdef0123456",
    flextypeAccessToken: "demo-access-token",
    imagekitPrivateKey: "private_demo_key",
    codemagicToken: "demo-codemagic-token",
    codemagicAppId: "60ddd0b747960e00124747cb",
    microstrategyUsername: "admin",
    microstrategyPassword: "demo-password",
    microstrategyProject: { id: "B7CA92F04B9FAE8D941C3E9B7E0CD754", name: "MicroStrategy Tutorial" },
    buddyToken: "demo-buddy-token",
    awsAccessKeyId: "AKIADEMOEXAMPLE00000",
    awsSecretAccessKey: "demo/aws/secret/access/key/0123456789abc",
    cloudflareApiToken: "demo-cloudflare-api-token",
    fastlyApiToken: "demo-fastly-api-token",
} as const;

/** How many emulators the command starts, each on its own port after the first. */
const EMULATOR_COUNT = 8;
const EMULATOR_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
const countWord = EMULATOR_WORDS[EMULATOR_COUNT] ?? String(EMULATOR_COUNT);
const HIGHEST_FIRST_PORT = 65535 - (EMULATOR_COUNT - 1);

export interface EmulatorsOptions {
    /** The first of EMULATOR_COUNT consecutive ports; 0 takes free ones. */
    readonly port: number;
    /** Where lines go; the console by default. */
    readonly write?: (line: string) => void;
}

/** Reads `[--port <n>]`; returns a message for anything else. */
export function parseEmulatorsArgs(args: readonly string[]): EmulatorsOptions | string {
    let port = 4471;
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "--port") {
            const value = Number(args[++i]);
            if (!Number.isInteger(value) || value < 0 || value > HIGHEST_FIRST_PORT) {
                return `--port: expected a port number from 0 to ${HIGHEST_FIRST_PORT}, got "${args[i] ?? ""}"`;
            }
            port = value;
        } else {
            return `unknown option "${args[i]}"`;
        }
    }
    return { port };
}

type Note = (text: string) => void;

/** An app id the program names is one the emulator has, with no caches until a build makes some. */
class OpenCodemagic extends CodemagicEmulator {
    private readonly seen = new Set<string>([DEMO.codemagicAppId]);

    constructor(private readonly note: Note) {
        super();
    }

    protected override route(request: RecordedRequest, res: http.ServerResponse): void {
        const match = /^\/apps\/([^/]+)\/caches/.exec(request.path);
        const appId = match ? decodeURIComponent(match[1]) : undefined;
        if (appId !== undefined && !this.seen.has(appId)) {
            this.seen.add(appId);
            this.addApp(appId, []);
            this.note(`codemagic     app ${appId} added, with no caches (only ${DEMO.codemagicAppId} has some)`);
        }
        super.route(request, res);
    }
}

/** A project id the program names is loaded; names are looked up among the listed projects, as a server does. */
class OpenMicroStrategy extends MicroStrategyEmulator {
    constructor(private readonly note: Note) {
        super({ users: { [DEMO.microstrategyUsername]: DEMO.microstrategyPassword }, projects: [{ ...DEMO.microstrategyProject }] });
    }

    protected override route(request: RecordedRequest, res: http.ServerResponse): void {
        const match = /\/api\/monitors\/projects\/([^/]+)\/caches?\//.exec(request.path);
        const id = match ? decodeURIComponent(match[1]) : undefined;
        if (request.method === "DELETE" && id !== undefined && !this.projects.some((p) => p.id === id)) {
            this.projects.push({ id, name: `Project ${id}` });
            this.note(`microstrategy project ${id} added (only "${DEMO.microstrategyProject.name}" is there by name)`);
        }
        super.route(request, res);
    }
}

/** Any workspace, project and numeric pipeline id exists, so a program's own names work offline. */
class OpenBuddy extends BuddyEmulator {
    constructor(private readonly note: Note) {
        super({
            tokens: { [DEMO.buddyToken]: { scopes: ["EXECUTION_MANAGE"] } },
            workspaces: { acme: { projects: { shop: [{ id: 101, name: "Build web", last_execution_status: "SUCCESSFUL" }] } } },
        });
    }

    protected override route(request: RecordedRequest, res: http.ServerResponse): void {
        const match = /^\/workspaces\/([^/]+)\/projects\/([^/]+)\/pipelines\/(\d+)$/.exec(request.path);
        if (match) {
            const [workspace, project] = [decodeURIComponent(match[1]), decodeURIComponent(match[2])];
            const id = Number(match[3]);
            const known = this.workspaces.get(workspace) ?? { projects: {} };
            const pipelines = known.projects[project] ?? [];
            if (!pipelines.some((p) => p.id === id)) {
                const added = [...pipelines, { id, name: `Pipeline ${id}`, last_execution_status: "SUCCESSFUL" }];
                this.workspaces.set(workspace, { ...known, projects: { ...known.projects, [project]: added } });
                this.note(`buddy         pipeline ${id} of ${workspace}/${project} added`);
            }
        }
        super.route(request, res);
    }
}

/** Any distribution id exists, so a program's own distribution works offline. */
class OpenCloudFront extends CloudFrontEmulator {
    constructor(private readonly note: Note) {
        super({ accounts: { [DEMO.awsAccessKeyId]: DEMO.awsSecretAccessKey }, distributions: [], inProgressMs: 2000 });
    }

    protected override route(request: RecordedRequest, res: http.ServerResponse): void {
        const match = /^\/2020-05-31\/distribution\/([A-Z0-9]+)\//.exec(request.path);
        if (match && !this.distributions.has(match[1])) {
            this.distributions.add(match[1]);
            this.note(`cloudfront    distribution ${match[1]} added`);
        }
        super.route(request, res);
    }
}

interface Running {
    readonly name: ServiceName;
    readonly emulator: Emulator;
    /** What to paste into the stack. */
    readonly config: readonly string[];
    /** What the emulator holds, in a few words. */
    readonly knows: string;
}

function configLines(running: Omit<Running, "config" | "knows">, credentials: Readonly<Record<string, string>>): string[] {
    const lines = [`pulumi config set ${running.name}Url ${running.emulator.baseUrl}`];
    for (const [key, value] of Object.entries(credentials)) {
        // AWS's keys go where @pulumi/aws reads them; only the secret key is a secret.
        const secret = /Username$|^aws:accessKey$/.test(key) ? "" : "--secret ";
        lines.push(`pulumi config set ${secret}${key.includes(":") ? key : `cache-purge:${key}`} ${value}`);
    }
    return lines;
}

/**
 * Starts one emulator on its port; a port that cannot be had fails with one line that names it and
 * says what to do, after stopping the emulators already started, so the command exits.
 */
async function startOn<E extends Emulator>(emulator: E, port: number, started: Emulator[]): Promise<E> {
    try {
        await emulator.start(port);
    } catch (error) {
        await Promise.all(started.map((e) => e.stop()));
        throw new Error(portProblem(port, error));
    }
    started.push(emulator);
    return emulator;
}

function portProblem(port: number, error: unknown): string {
    const code = (error as NodeJS.ErrnoException).code;
    const choose = `pass --port <first of ${countWord} free ports>, or --port 0 to take any free ports`;
    if (code === "EADDRINUSE") {
        return `port ${port} on 127.0.0.1 is in use (emulators already running, or another program); stop that program, or ${choose}`;
    }
    if (code === "EACCES") {
        return `port ${port} on 127.0.0.1 needs privileges this user does not have; ${choose}`;
    }
    return `cannot listen on port ${port} of 127.0.0.1: ${(error as Error).message}; ${choose}`;
}

async function startAll(port: number, note: Note): Promise<Running[]> {
    const at = (i: number) => (port === 0 ? 0 : port + i);
    const started: Emulator[] = [];
    const flextype = await startOn(new FlextypeEmulator({ [DEMO.flextypeToken]: { accessToken: DEMO.flextypeAccessToken } }), at(0), started);
    const imagekit = await startOn(new ImageKitEmulator({ privateKey: DEMO.imagekitPrivateKey, pendingMs: 1000 }), at(1), started);
    const codemagic = new OpenCodemagic(note);
    codemagic.addToken(DEMO.codemagicToken);
    codemagic.addApp(DEMO.codemagicAppId, [{ workflowId: "build-ipa", size: 127_793_163 }, { workflowId: "build-apk", size: 59_377_366 }]);
    await startOn(codemagic, at(2), started);
    const microstrategy = await startOn(new OpenMicroStrategy(note), at(3), started);
    const buddy = await startOn(new OpenBuddy(note), at(4), started);
    const cloudfront = await startOn(new OpenCloudFront(note), at(5), started);
    const cloudflare = await startOn(new CloudflareEmulator({ tokens: { [DEMO.cloudflareApiToken]: "*" }, zones: "*", plan: "enterprise" }), at(6), started);
    const fastly = await startOn(new FastlyEmulator({ tokens: { [DEMO.fastlyApiToken]: { scopes: ["global"] } }, services: "*" }), at(7), started);
    const entries: Array<[ServiceName, Emulator, Record<string, string>, string]> = [
        ["flextype", flextype, { flextypeToken: DEMO.flextypeToken, flextypeAccessToken: DEMO.flextypeAccessToken }, "one site"],
        ["imagekit", imagekit, { imagekitPrivateKey: DEMO.imagekitPrivateKey }, "any https URL; a purge reads Pending for 1 s, then Completed"],
        ["codemagic", codemagic, { codemagicToken: DEMO.codemagicToken },
            `app ${DEMO.codemagicAppId} with caches of build-ipa and build-apk; other app ids have none`],
        ["microstrategy", microstrategy, { microstrategyUsername: DEMO.microstrategyUsername, microstrategyPassword: DEMO.microstrategyPassword },
            `project "${DEMO.microstrategyProject.name}" (id ${DEMO.microstrategyProject.id}); any project id`],
        ["buddy", buddy, { buddyToken: DEMO.buddyToken }, "any workspace, project and pipeline id"],
        ["cloudfront", cloudfront, { "aws:accessKey": DEMO.awsAccessKeyId, "aws:secretKey": DEMO.awsSecretAccessKey },
            "any distribution id; an invalidation reads InProgress for 2 s, then Completed"],
        ["cloudflare", cloudflare, { cloudflareApiToken: DEMO.cloudflareApiToken }, "any zone id, on the Enterprise plan's limits"],
        ["fastly", fastly, { fastlyApiToken: DEMO.fastlyApiToken }, "any service id; keys, URLs and purge_all"],
    ];
    return entries.map(([name, emulator, credentials, knows]) => ({ name, emulator, knows, config: configLines({ name, emulator }, credentials) }));
}

function clock(): string {
    return new Date().toISOString().slice(11, 19);
}

/**
 * Starts the emulators, prints what to paste into a stack, logs one line per request and stops on
 * SIGINT or SIGTERM. Resolves once stopped.
 */
export async function runEmulators(options: EmulatorsOptions): Promise<void> {
    const write = options.write ?? ((line: string) => console.log(line));
    const log = (text: string) => write(`${clock()} ${text}`);
    const running = await startAll(options.port, log);
    write(`pulumi-cache-purge emulators: local stand-ins for ${countWord} services' APIs, on 127.0.0.1.`);
    write("In your Pulumi project, paste these lines to point the stack at them; your program passes each");
    write("URL as the resource's baseUrl, e.g. baseUrl: new pulumi.Config().require(\"flextypeUrl\").");
    for (const service of running) {
        write("");
        write(`# ${service.name}: ${service.knows}`);
        for (const line of service.config) {
            write(line);
        }
        service.emulator.onAnswer = (answer) => log(describeAnswer(service.name, answer));
    }
    write("");
    write("Ready. Each request is logged below as one line. Ctrl-C stops the emulators.");

    await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
            process.off("SIGINT", stop);
            process.off("SIGTERM", stop);
            const served = running.reduce((n, s) => n + s.emulator.requests.length, 0);
            void Promise.all(running.map((s) => s.emulator.stop())).then(() => {
                write(`${signal}: stopped the emulators after ${served} request${served === 1 ? "" : "s"}.`);
                resolve();
            });
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
    });
}
