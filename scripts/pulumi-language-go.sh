#!/usr/bin/env bash
# Builds this project's Go language host (scripts/pulumi-cli/language-go: Pulumi's is refused by the Go
# module proxy here) into the folder that holds pulumi, in the CLI's wrapper module, or reuses it.
# Called by scripts/pulumi-cli.sh.
#
#   scripts/pulumi-language-go.sh <bin folder>
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
module="$repo/scripts/pulumi-cli"
bin="$1"
stamp="pulumi-language-go 2 $(cat "$module/go.mod" "$module/go.sum" "$module"/language-go/*.go | sha256sum | cut -c1-16)"
if [ -x "$bin/pulumi-language-go" ] && [ "$(cat "$bin/.stamp-go" 2>/dev/null)" = "$stamp" ]; then
    echo "pulumi-cli: reusing pulumi-language-go in $bin" >&2
    exit 0
fi
started=$(date +%s)
# The engine reads the host's version as semver: the CLI's, as for the Node.js host.
version="v$(node -p 'require(process.argv[1]).devDependencies["@pulumi/pulumi"]' "$repo/package.json")"
(cd "$module" && go build -trimpath -ldflags "-X main.version=$version" -o "$bin/pulumi-language-go" ./language-go)
echo "$stamp" >"$bin/.stamp-go"
echo "pulumi-cli: built pulumi-language-go in $(( $(date +%s) - started )) s" >&2
