/**
 * The cookies of one session: every cookie any response sets, kept for the whole session (the container's
 * `JSESSIONID`, `iSession`, and a load balancer's sticky cookie that it may rotate on any answer), as
 * mstrio-py's single `requests.Session` keeps them and authentication.md step 3 asks.
 */
export class CookieJar {
    private readonly cookies = new Map<string, string>();

    /** Starts from a `Cookie` header the user passed (`JSESSIONID=…; iSession=…`). */
    static fromHeader(header: string | undefined): CookieJar {
        const jar = new CookieJar();
        for (const pair of (header ?? "").split(";")) {
            jar.setPair(pair);
        }
        return jar;
    }

    /**
     * Takes in every `Set-Cookie` of an answer, later ones winning; an expired cookie is dropped. Returns
     * the values it had not held before: a cookie the server rotated is as secret as the first.
     */
    store(setCookies: readonly string[]): string[] {
        const fresh: string[] = [];
        for (const line of setCookies) {
            const [pair, ...attributes] = line.split(";");
            const expired = attributes.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a));
            const name = pair.slice(0, pair.indexOf("=")).trim();
            if (expired) {
                this.cookies.delete(name);
                continue;
            }
            const before = this.cookies.get(name);
            this.setPair(pair);
            const after = this.cookies.get(name);
            if (after !== undefined && after !== before) {
                fresh.push(after);
            }
        }
        return fresh;
    }

    /** The `Cookie` header, or undefined when the jar is empty. */
    header(): string | undefined {
        return this.cookies.size === 0 ? undefined : [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    }

    private setPair(pair: string): void {
        const eq = pair.indexOf("=");
        const name = pair.slice(0, eq).trim();
        if (eq > 0 && name !== "") {
            this.cookies.set(name, pair.slice(eq + 1).trim());
        }
    }
}
