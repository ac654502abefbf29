import { PurgeError } from "../../core/errors";
import { delay } from "../../core/http/delay";
import { formatSeconds } from "../../core/http/retry-timing";
import { formatCount } from "../../core/count";
import type { PurgeContext } from "../../core/service";
import { readJsonPath, shownJson } from "./json-path";
import type { HttpInputs, WaitSettings } from "./schema";
import { fill } from "./template";
import { judgeAnswer } from "./answer";

const FIRST_POLL_DELAY_MS = 500;
const MAX_POLL_DELAY_MS = 10_000;

/** The id to poll, read from a purge's answer at `wait.idPath`: a string or a number. */
export function pollId(wait: WaitSettings, method: string, url: string, json: unknown): string {
    const id = readJsonPath(json, wait.idPath);
    if ((typeof id === "string" && id !== "") || (typeof id === "number" && Number.isFinite(id))) {
        return String(id);
    }
    throw new PurgeError(`http: ${method} ${url} was accepted, but its answer holds ${shownJson(id)} at wait.idPath ${JSON.stringify(wait.idPath)}, `
        + `where an id to poll was expected; check wait.idPath against the API's answer, or leave wait out`);
}

/**
 * Polls `wait.url` with each id until the answer holds `wait.doneValue` at `wait.donePath`, in rounds
 * with a doubling pause, until `wait.timeoutMs` or the purge's deadline, whichever comes first.
 */
export async function waitUntilDone(ctx: PurgeContext<HttpInputs>, ids: readonly string[]): Promise<void> {
    const { inputs, http, log } = ctx;
    const wait = inputs.wait!;
    const boundMs = Math.min(wait.timeoutMs, http.deadlineLeftMs());
    const bound = boundMs < wait.timeoutMs ? "purgeTimeoutMs" : "wait.timeoutMs";
    const deadline = Date.now() + boundMs;
    const headers = { ...plainHeaders(inputs), ...inputs.secretHeaders };
    let pending = [...new Set(ids)];
    const total = pending.length;
    let pause = FIRST_POLL_DELAY_MS;
    log.info(`http: waiting for ${formatCount(total)} purge(s) to finish (up to ${formatSeconds(boundMs)})`);
    while (pending.length > 0) {
        const left = deadline - Date.now();
        if (left <= 0) {
            const shown = pending.slice(0, 5).join(", ") + (pending.length > 5 ? `, and ${pending.length - 5} more` : "");
            throw new PurgeError(`http: ${formatCount(pending.length)} of ${formatCount(total)} purges not done after waiting ${formatSeconds(boundMs)} `
                + `(ids ${shown}): ${wait.donePath} never read ${JSON.stringify(wait.doneValue)}; the API accepted them and may finish on its own: raise ${bound} or leave wait out`);
        }
        await delay(Math.min(pause, left));
        pause = Math.min(pause * 2, MAX_POLL_DELAY_MS);
        const still: string[] = [];
        for (const id of pending) {
            const url = new URL(fill(wait.url, { id }, "url"));
            const response = await http.send({ method: "GET", url, headers });
            judgeAnswer({ statuses: [200] }, "GET", ctx.redact(url.toString()), response);
            if (readJsonPath(response.json, wait.donePath) !== wait.doneValue) {
                still.push(id);
            }
        }
        pending = still;
    }
}

/** The request's headers that need no target: a status read is about an id, not a target. */
function plainHeaders(inputs: HttpInputs): Record<string, string> {
    return Object.fromEntries(Object.entries(inputs.request.headers).filter(([, value]) => !value.includes("{target}")));
}
