#!/usr/bin/env bash
# Builds Pulumi's YAML language host, pulumi-language-yaml, into the folder that holds pulumi (the CLI
# finds language hosts beside itself), or reuses the one already there. Called by scripts/pulumi-cli.sh.
# It is built on its own module (its go.mod, no replace directives): it does not compile inside the
# CLI's wrapper module, whose pkg/v3 is newer than the one it was written for.
#
#   scripts/pulumi-language-yaml.sh <bin folder>
set -euo pipefail
bin="$1"
version="v1.25.0"
stamp="pulumi-language-yaml $version"
if [ -x "$bin/pulumi-language-yaml" ] && [ "$(cat "$bin/.stamp-yaml" 2>/dev/null)" = "$stamp" ]; then
    echo "pulumi-cli: reusing pulumi-language-yaml $version in $bin" >&2
    exit 0
fi
echo "pulumi-cli: building pulumi-language-yaml $version into $bin (a few minutes the first time)" >&2
started=$(date +%s)
# Outside any module, so `go install pkg@version` uses the host's own go.mod.
(cd "$bin" && GOBIN="$bin" GOFLAGS=-trimpath go install -trimpath "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$version")
echo "$stamp" >"$bin/.stamp-yaml"
echo "pulumi-cli: built pulumi-language-yaml $version in $(( $(date +%s) - started )) s" >&2
