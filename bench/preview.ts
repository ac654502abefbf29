import * as path from "path";
import { BuddyEmulator } from "../src/services/buddy/emulator";
import { CodemagicEmulator } from "../src/services/codemagic/emulator";
import { FlextypeEmulator } from "../src/services/flextype/emulator";
import { ImageKitEmulator } from "../src/services/imagekit/emulator";
import { MicroStrategyEmulator } from "../src/services/microstrategy/emulator";
import type { Emulator } from "../src/testing/emulator";
import { TestEngine } from "../test/harness/test-engine";
import { REPO_ROOT, tempDir } from "../test/harness/workspace";
import type { Figure } from "./report";

type Config = Record<string, { value: string; secret?: boolean }>;

interface ExampleSetup {
    readonly example: string;
    readonly project: string;
    readonly emulator: () => Promise<Emulator>;
    readonly config: (emulator: Emulator) => Config;
}

const FLEXTYPE_TOKEN = "0123456789abcdef0123456789abcdef";
const SECRET = "bench-secret-value";
const IK_KEY = "private_bench_preview";
const MSTR_PROJECT = { id: "B7CA92F04B9FAE8D941C3E9B7E0CD754", name: "MicroStrategy Tutorial" };
const CODEMAGIC_APP = "60ddd0b747960e00124747cb";

/** Each example with an emulator set up as its program test does, so that `up` succeeds too. */
const EXAMPLES: readonly ExampleSetup[] = [
    {
        example: "flextype",
        project: "flextype-cache-purge",
        emulator: () => new FlextypeEmulator({ [FLEXTYPE_TOKEN]: { accessToken: SECRET } }).start(),
        config: (e) => ({
            "flextype-cache-purge:baseUrl": { value: e.baseUrl },
            "cache-purge:flextypeToken": { value: FLEXTYPE_TOKEN, secret: true },
            "cache-purge:flextypeAccessToken": { value: SECRET, secret: true },
        }),
    },
    {
        example: "codemagic",
        project: "codemagic-cache-purge",
        emulator: async () => {
            const e = await new CodemagicEmulator().start();
            e.addToken(SECRET);
            e.addApp(CODEMAGIC_APP, [
                { _id: "620f9f218ab90da6b1b22e0e", workflowId: "build-ipa", size: 1000 },
                { _id: "620f9e948ab90da6b1b2217d", workflowId: "build-apk", size: 1000 },
            ]);
            return e;
        },
        config: (e) => ({
            "codemagic-cache-purge:baseUrl": { value: e.baseUrl },
            "codemagic-cache-purge:appId": { value: CODEMAGIC_APP },
            "codemagic-cache-purge:wait": { value: "false" },
            "cache-purge:codemagicToken": { value: SECRET, secret: true },
        }),
    },
    {
        example: "microstrategy",
        project: "microstrategy-cache-purge",
        emulator: () => new MicroStrategyEmulator({ users: { admin: SECRET }, projects: [MSTR_PROJECT] }).start(),
        config: (e) => ({
            "microstrategy-cache-purge:baseUrl": { value: e.baseUrl },
            "microstrategy-cache-purge:projectName": { value: MSTR_PROJECT.name },
            "microstrategy-cache-purge:schemaHash": { value: "5c4e1a0f9b2d7e63aa01" },
            "microstrategy-cache-purge:dataHash": { value: "d1a7f00c3b9e4e21bb02" },
            "cache-purge:microstrategyUsername": { value: "admin" },
            "cache-purge:microstrategyPassword": { value: SECRET, secret: true },
        }),
    },
    {
        example: "buddy",
        project: "buddy-cache-purge",
        emulator: () => new BuddyEmulator({
            tokens: { [SECRET]: { scopes: ["EXECUTION_MANAGE"] } },
            workspaces: { acme: { projects: { shop: [
                { id: 101, name: "Build web", last_execution_status: "SUCCESSFUL" },
                { id: 102, name: "Build api", last_execution_status: "SUCCESSFUL" },
            ] } } },
        }).start(),
        config: (e) => ({
            "buddy-cache-purge:baseUrl": { value: e.baseUrl },
            "buddy-cache-purge:workspace": { value: "acme" },
            "buddy-cache-purge:project": { value: "shop" },
            "buddy-cache-purge:webPipelineId": { value: "101" },
            "buddy-cache-purge:apiPipelineId": { value: "102" },
            "cache-purge:buddyToken": { value: SECRET, secret: true },
        }),
    },
    {
        example: "imagekit",
        project: "imagekit-url-purge",
        emulator: () => new ImageKitEmulator({ privateKey: IK_KEY }).start(),
        config: (e) => ({
            "imagekit-url-purge:baseUrl": { value: e.baseUrl },
            "imagekit-url-purge:urlBase": { value: "https://ik.imagekit.io/acme/img/" },
            "cache-purge:imagekitPrivateKey": { value: IK_KEY, secret: true },
        }),
    },
];

interface PreviewCount {
    readonly example: string;
    readonly fresh: number;
    readonly afterUp: number;
    readonly upRequests: number;
    readonly ok: boolean;
    readonly error?: string;
}

/** HTTP requests each example's emulator receives during preview: on a new stack, and after an up. */
export async function previewFigures(): Promise<Figure[]> {
    const counts: PreviewCount[] = [];
    for (const setup of EXAMPLES) {
        const emulator = await setup.emulator();
        const workspace = tempDir(`bench-preview-${setup.example}`);
        try {
            const engine = new TestEngine({
                programDir: path.join(REPO_ROOT, "examples", setup.example),
                project: setup.project,
                stack: "bench",
                stateFile: path.join(workspace.dir, "state.json"),
                config: setup.config(emulator),
                env: { FLEXTYPE_TOKEN: "", CODEMAGIC_TOKEN: "", BUDDY_TOKEN: "", IMAGEKIT_PRIVATE_KEY: "" },
            });
            const first = await engine.preview();
            const fresh = emulator.requests.length;
            const up = await engine.up();
            const afterUpStart = emulator.requests.length;
            const second = await engine.preview();
            const afterUp = emulator.requests.length - afterUpStart;
            const ok = first.ok && up.ok && second.ok;
            counts.push({
                example: setup.example, fresh, afterUp, upRequests: afterUpStart - fresh, ok,
                ...(ok ? {} : { error: [...first.errors, ...up.errors, ...second.errors].join("; ") || up.output.slice(0, 300) }),
            });
        } finally {
            await emulator.stop();
            workspace.remove();
        }
    }
    const total = counts.reduce((n, c) => n + c.fresh + c.afterUp, 0);
    const allOk = counts.every((c) => c.ok);
    return [{
        name: "HTTP requests during preview of the examples",
        goal: "0",
        measured: `${total} in total; ` + counts.map((c) => `${c.example}: ${c.fresh} on a new stack, ${c.afterUp} after an up (the up itself: ${c.upRequests})${c.ok ? "" : ` FAILED: ${c.error}`}`).join("; "),
        met: total === 0 && allOk,
        notes: [
            "There is no `examples/all`: each of the five examples (examples/<service>) is run with `TestEngine.preview` against its service's emulator, once on a new stack and once after an `up` (so `check` and `diff` both run with old state). The count is every request the emulator logged during the previews; the up's own requests show that the emulator was reachable.",
            "Preview is a pure function of inputs and old state (src/core/plan.ts): `check` computes the plan line and `diff` compares it, neither holds an HTTP client.",
        ],
    }];
}
