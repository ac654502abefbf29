import { type PurgePlan, shownName, targetsByReason } from "./plan";
import { formatCount } from "./count";
import { escapeControlCharacters } from "./inputs";

const MAX_TARGETS_SHOWN = 10;
const MAX_REQUESTS_SHOWN = 3;
/** A request's method and URL are shown whole up to this length: a URL is where the purge goes. */
const MAX_REQUEST_SHOWN = 400;

/**
 * The one line `pulumi preview --diff` shows as the `purgePlan` input: what will be purged, why, and
 * which requests that takes. Targets that share their reasons are listed together.
 *
 * @example purge cache (trigger content: 3f2a1b4c… -> 9c1d2e3f…); 1 request: POST https://cms.example.com/api/v1/cache/clear
 *
 * `hideNames`: the targets' names are secret, so each group is counted instead of listed.
 */
export function summarizePlan(plan: PurgePlan, totalTargets: number, requests: readonly string[], hideNames = false): string {
    if (plan.targets.length === 0) {
        return "no purge";
    }
    // Linear in the number of targets: one host serves every resource, so a quadratic summary of one
    // large resource stalls the purges of all the others. Bounded whatever the plan: at most
    // MAX_TARGETS_SHOWN names and as many groups, each with at most MAX_REASONS_SHOWN reasons.
    const groups = targetsByReason(plan);
    const parts: string[] = [];
    let shown = 0;
    let hiddenTargets = 0;
    for (const { why, keys } of groups) {
        if (shown >= MAX_TARGETS_SHOWN) {
            hiddenTargets += keys.length;
            continue;
        }
        if (hideNames) {
            shown += 1;
            parts.push(`${formatCount(keys.length)} ${keys.length === 1 ? "target with a secret name" : "targets with secret names"} (${why})`);
            continue;
        }
        const visible = keys.slice(0, MAX_TARGETS_SHOWN - shown);
        shown += visible.length;
        const more = keys.length > visible.length ? ` and ${formatCount(keys.length - visible.length)} more` : "";
        parts.push(`${visible.map((name) => shownName(name)).join(", ")}${more} (${why})`);
    }
    const count = totalTargets > 1 ? `${formatCount(plan.targets.length)} of ${formatCount(totalTargets)} targets: ` : "";
    const rest = hiddenTargets > 0 ? `; and ${formatCount(hiddenTargets)} more` : "";
    // Names are refused with control characters in them, but a request may quote any value (a project's name).
    return escapeControlCharacters(`purge ${count}${parts.join("; ")}${rest}; ${describeRequests(requests, hideNames)}`);
}

/** Each request by its method and URL; a long URL by its start and end, unless it holds secret names, which redaction replaces whole. */
function describeRequests(requests: readonly string[], hideNames: boolean): string {
    const n = requests.length;
    const noun = n === 1 ? "request" : "requests";
    const shown = requests.slice(0, MAX_REQUESTS_SHOWN).map((r) => (hideNames ? r : shownName(r, MAX_REQUEST_SHOWN))).join(", ");
    return `${formatCount(n)} ${noun}: ${shown}${n > MAX_REQUESTS_SHOWN ? `, …` : ""}`;
}

/** The summary when some inputs are not known yet: the purge is decided at apply. */
export function summarizeUnknown(fields: readonly string[]): string {
    return `purge decided at apply: ${fields.join(", ")} not known until then`;
}
