/**
 * What a user writes for curl to purge ImageKit URLs: a curl config (`-K`) of one section per URL, each
 * `POST /v1/files/purge {"url": …}` failing on an error status (run it with `--fail-early`: without
 * it curl exits with the last transfer's status, 0 after a failed purge in the middle). The private key is not in it: `ADD_KEY`
 * is an awk filter that adds it to each section at run time from the environment variable
 * IMAGEKIT_PRIVATE_KEY (marked secret), so it is in neither a file, a command line nor the state.
 */
export function curlPurgeConfig(baseUrl: string, urls: readonly string[]): string {
    const quoted = (text: string) => `"${text.replace(/["\\]/g, "\\$&")}"`;
    const endpoint = `${baseUrl}/v1/files/purge`;
    const sections = urls.map((url) => [
        `url = ${quoted(endpoint)}`, `data = ${quoted(JSON.stringify({ url }))}`, `header = "content-type: application/json"`, "fail", `output = "/dev/null"`,
    ].join("\n"));
    return `${sections.join("\nnext\n")}\n`;
}

/** Reads a curl config on stdin or from the file named after it, and prints it with the Basic auth user added to each section. */
export const ADD_KEY = `awk '/^url / { print "user = \\"" ENVIRON["IMAGEKIT_PRIVATE_KEY"] ":\\"" } { print }'`;
