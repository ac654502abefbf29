#!/usr/bin/env bash
# Builds the real Pulumi CLI from its Go source, at the version of the @pulumi/pulumi devDependency,
# into a cache folder outside the repository, and prints that folder. A folder that already holds
# this version is reused. No prebuilt pulumi can be downloaded on the machines this project is built
# on; the Go module proxy serves the CLI's source.
#
#   scripts/pulumi-cli.sh            build or reuse; the last line of stdout is the bin folder
#   PULUMI_CLI_CACHE=/some/dir ...    where to keep it (default ~/.cache/pulumi-cache-purge/pulumi-cli)
#
# The folder holds `pulumi` (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi), `pulumi-language-nodejs`
# (this project's own host, scripts/pulumi-cli/language-nodejs: Pulumi's is not served by the proxy)
# and `pulumi-resource-pulumi-nodejs`, the launcher the engine runs for dynamic providers; and Pulumi's
# `pulumi-language-yaml` (scripts/pulumi-language-yaml.sh) and this project's `pulumi-language-go`
# (scripts/pulumi-language-go.sh), for YAML and Go programs of the provider plugin.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
module="$repo/scripts/pulumi-cli"

if ! command -v go >/dev/null 2>&1; then
    echo "pulumi-cli: go is not on PATH; the real-CLI tests need Go 1.26 to build the pulumi CLI" >&2
    exit 3
fi

version="v$(node -p 'require(process.argv[1]).devDependencies["@pulumi/pulumi"]' "$repo/package.json")"
pinned="$(cd "$module" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3)"
if [ "$pinned" != "$version" ]; then
    echo "pulumi-cli: scripts/pulumi-cli/go.mod builds pkg/v3 $pinned but @pulumi/pulumi is $version;" \
        "run: (cd scripts/pulumi-cli && go get github.com/pulumi/pulumi/pkg/v3@$version github.com/pulumi/pulumi/sdk/v3@$version && go mod tidy)" >&2
    exit 2
fi

cache="${PULUMI_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cache-purge/pulumi-cli}"
bin="$cache/$version"
# The stamp names what was built: the version and the wrapper module's sources. A change to either rebuilds.
stamp="$version $(cat "$module/go.mod" "$module/go.sum" "$module"/language-nodejs/*.go | sha256sum | cut -c1-16)"
if [ -x "$bin/pulumi" ] && [ "$(cat "$bin/.stamp" 2>/dev/null)" = "$stamp" ] \
    && [ "$("$bin/pulumi" version 2>/dev/null)" = "$version" ]; then
    echo "pulumi-cli: reusing $version in $bin" >&2
    bash "$repo/scripts/pulumi-language-yaml.sh" "$bin"
    bash "$repo/scripts/pulumi-language-go.sh" "$bin"
    echo "$bin"
    exit 0
fi

echo "pulumi-cli: building pulumi $version into $bin (a few minutes the first time)" >&2
started=$(date +%s)
mkdir -p "$bin"
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version -X main.version=$version"
(cd "$module" && go build -trimpath -ldflags "$ldflags" -o "$bin/" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi ./language-nodejs)
mv "$bin/language-nodejs" "$bin/pulumi-language-nodejs"

# The launcher a CLI distribution ships beside pulumi: the engine starts it for `pulumi-nodejs`
# dynamic providers, in the program's folder, with the engine's address as the last argument.
cat >"$bin/pulumi-resource-pulumi-nodejs" <<'EOF'
#!/bin/sh
script=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))") || exit 1
exec node "$script" "$@"
EOF
chmod +x "$bin/pulumi-resource-pulumi-nodejs"

[ "$("$bin/pulumi" version)" = "$version" ] || { echo "pulumi-cli: the built pulumi does not report $version" >&2; exit 1; }
echo "$stamp" >"$bin/.stamp"
echo "pulumi-cli: built $version in $(( $(date +%s) - started )) s" >&2
bash "$repo/scripts/pulumi-language-yaml.sh" "$bin"
bash "$repo/scripts/pulumi-language-go.sh" "$bin"
echo "$bin"
