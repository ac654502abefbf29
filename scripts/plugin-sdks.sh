#!/usr/bin/env bash
# Generates the Go and Python SDKs of the provider plugin from its schema, with Pulumi's own code
# generators (scripts/sdk-gen, pkg/v3/codegen), and checks that they compile: `go build` for Go (with a
# go.mod the generator does not write), `python3 -m py_compile` for Python. Nothing here runs them: no
# Go or Python language host of Pulumi's is served on the machines this project is built on.
#
#   scripts/plugin-sdks.sh <out folder>      needs `npm run build` first; writes <out>/go and <out>/python
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"
sdk="v$(node -p 'require(process.argv[1]).devDependencies["@pulumi/pulumi"]' "$repo/package.json")"

node -e 'process.stdout.write(JSON.stringify(require(process.argv[1]).schema, null, 2))' "$repo/dist/plugin/schema.generated.js" >"$out/schema.json"
# -trimpath as the CLI is built (scripts/pulumi-cli.sh), so both share the Go build cache.
export GOFLAGS=-trimpath
(cd "$repo/scripts/sdk-gen" && go build -trimpath -o "$out/sdk-gen" .)
rm -rf "$out/go" "$out/python"
"$out/sdk-gen" "$out/schema.json" go "$out/go"
"$out/sdk-gen" "$out/schema.json" python "$out/python"

module="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).language.go.importBasePath.replace(/\/[^/]+$/, "")' "$out/schema.json")"
printf 'module %s\n\ngo 1.26\n\nrequire github.com/pulumi/pulumi/sdk/v3 %s\n' "$module" "$sdk" >"$out/go/go.mod"
(cd "$out/go" && GOFLAGS=-mod=mod go mod tidy && go build ./...)
echo "go: $(cd "$out/go" && go list ./... | wc -l) packages build"
find "$out/python" -name '*.py' -print0 | xargs -0 python3 -m py_compile
echo "python: $(find "$out/python" -name '*.py' | wc -l) files compile"
