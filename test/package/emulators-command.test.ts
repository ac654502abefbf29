import assert from "node:assert/strict";
import * as path from "path";
import { REPO_ROOT } from "../harness/workspace";
import { EmulatorsProcess } from "./emulators-process";

const BIN = path.join(REPO_ROOT, "dist", "cli", "main.js");

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    await res.text();
    return res.status;
}

/** The `emulators` command (package.json `bin`), run from the built package as `npx` runs it. */
describe("npx pulumi-cache-purge emulators", function () {
    this.timeout(30_000);
    let command: EmulatorsProcess;

    beforeEach(async () => {
        command = new EmulatorsProcess(process.execPath, [BIN, "emulators", "--port", "0"], REPO_ROOT);
        await command.waitFor(/^Ready\./);
    });

    afterEach(() => command.kill());

    it("prints, for each service, the config lines that point a stack at it", () => {
        const keys = Object.keys(command.config);

        assert.deepEqual(keys, [
            "flextypeUrl", "cache-purge:flextypeToken", "cache-purge:flextypeAccessToken",
            "imagekitUrl", "cache-purge:imagekitPrivateKey",
            "codemagicUrl", "cache-purge:codemagicToken",
            "microstrategyUrl", "cache-purge:microstrategyUsername", "cache-purge:microstrategyPassword",
            "buddyUrl", "cache-purge:buddyToken",
            "cloudfrontUrl", "aws:accessKey", "aws:secretKey",
            "cloudflareUrl", "cache-purge:cloudflareApiToken",
            "fastlyUrl", "cache-purge:fastlyApiToken",
        ]);
        assert.match(command.config.microstrategyUrl, /^http:\/\/127\.0\.0\.1:\d+\/MicroStrategyLibrary$/);
        assert.ok(command.configLines.filter((l) => l.includes("cache-purge:")).every((l) => l.includes("--secret ") === !l.includes("Username")),
            "every credential but the user name is set as a secret");
    });

    it("logs each request as one line: what was purged, or the status and why", async () => {
        const flextype = `${command.config.flextypeUrl}/api/v1/cache/clear`;
        const token = command.config["cache-purge:flextypeToken"];

        const ok = await post(flextype, { token, access_token: command.config["cache-purge:flextypeAccessToken"] });
        const wrong = await post(flextype, { token, access_token: "not-it" });
        const missing = await post(flextype, { token });
        const buddy = await fetch(`${command.config.buddyUrl}/workspaces/acme/projects/shop/pipelines/7`, {
            method: "PATCH",
            headers: { "content-type": "application/json", authorization: `Bearer ${command.config["cache-purge:buddyToken"]}` },
            body: JSON.stringify({ clear_cache: true }),
        });

        assert.deepEqual([ok, wrong, missing, buddy.status], [204, 401, 400, 200]);
        const log = (await command.waitFor(/pipelines\/7 -> 200/), command.lines.filter((l) => /^\d\d:\d\d:\d\d /.test(l)).map((l) => l.slice(9)));
        assert.deepEqual(log, [
            "flextype      POST /api/v1/cache/clear -> 204: site cache cleared",
            "flextype      POST /api/v1/cache/clear -> 401: Token is wrong (set cache-purge:flextypeToken and cache-purge:flextypeAccessToken as printed above)",
            "flextype      POST /api/v1/cache/clear -> 400: Validation for this particular item failed (Flextype's answer to a missing token or access_token field, or a token disabled or out of calls)",
            "buddy         pipeline 7 of acme/shop added",
            "buddy         PATCH /workspaces/acme/projects/shop/pipelines/7 -> 200: cache of pipeline 7 (\"Pipeline 7\") cleared",
        ]);
    });

    it("stops on Ctrl-C, saying how many requests it served, and frees its ports", async () => {
        await post(`${command.config.flextypeUrl}/api/v1/cache/clear`, {});

        const exit = await command.interrupt();

        assert.deepEqual(exit, { code: 0, signal: null });
        assert.equal(command.lines.filter((l) => l !== "").at(-1), "SIGINT: stopped the emulators after 1 request.");
        await assert.rejects(fetch(command.config.flextypeUrl), "the port still answers");
    });
});
