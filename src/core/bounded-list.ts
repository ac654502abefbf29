import { formatCount } from "./count";

/**
 * The first `max` items joined with ", ", each as `show` writes it, then how many more:
 * `a, b, c, and 4,997 more`. A line that names items stays bounded whatever their number (each item is
 * bounded by `show` or its caller); only the items shown are written.
 */
export function listFirst<T>(items: readonly T[], max: number, show: (item: T) => string = String): string {
    const shown = items.slice(0, max).map((item) => show(item)).join(", ");
    const more = items.length - max;
    return more > 0 ? `${shown}, and ${formatCount(more)} more` : shown;
}
