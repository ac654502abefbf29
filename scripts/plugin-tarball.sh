#!/usr/bin/env bash
# Builds the release tarball of the provider plugin, the file that
#   pulumi plugin install resource cache-purge <version> --file <tarball>
# installs, and that a release publishes under the schema's pluginDownloadURL. It holds a launcher,
# pulumi-resource-cache-purge, the packed package (built code, package.json) and its production
# node_modules, @pulumi/pulumi and the AWS SDK for CloudFront included. Users need node >= 20 on PATH.
#
#   scripts/plugin-tarball.sh <out folder>    prints the tarball's path
#   PLUGIN_VERSION=0.2.0 scripts/plugin-tarball.sh <out folder>
#                                             the same code as another version (default: package.json's):
#                                             the packed package.json, so the plugin's reported version and
#                                             its schema, and the tarball's name carry it. For a release
#                                             candidate, and for the upgrade test (test/cli/plugin-upgrade.test.ts).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"
version="${PLUGIN_VERSION:-$(node -p 'require(process.argv[1]).version' "$repo/package.json")}"
# The engine parses plugin versions as semver, and the version is part of the file and folder names.
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
    echo "plugin-tarball: PLUGIN_VERSION=$version is not a version such as 0.2.0 or 0.2.0-rc.1" >&2
    exit 2
fi
sdk="$(node -p 'require(process.argv[1]).devDependencies["@pulumi/pulumi"]' "$repo/package.json")"
aws="$(node -p 'require(process.argv[1]).devDependencies["@aws-sdk/client-cloudfront"]' "$repo/package.json")"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

packed="$(cd "$repo" && npm pack --silent --pack-destination "$stage" | tail -n 1)"
tar -xzf "$stage/$packed" -C "$stage"
root="$stage/package"
# The SDK the plugin is tested with, pinned: in the npm package it is a peer (and a dev) dependency,
# which an install that leaves out dev dependencies would leave out. The AWS SDK for CloudFront too:
# in the npm package it is an optional peer the TypeScript project installs, but the plugin's folder
# belongs to Pulumi (~/.pulumi/plugins), and a YAML, Go or Python program has no npm project to put it
# in; loaded lazily, it costs the other services nothing but the download.
node -e '
const fs = require("fs");
const [file, sdk, aws, version] = process.argv.slice(1);
const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
pkg.version = version;
delete pkg.devDependencies;
delete pkg.peerDependencies;
pkg.dependencies = { ...pkg.dependencies, "@pulumi/pulumi": sdk, "@aws-sdk/client-cloudfront": aws };
fs.writeFileSync(file, JSON.stringify(pkg, null, 2));' "$root/package.json" "$sdk" "$aws" "$version"
(cd "$root" && npm install --omit=dev --ignore-scripts --no-package-lock --prefer-offline --no-audit --no-fund --loglevel=error)
cat >"$root/pulumi-resource-cache-purge" <<'LAUNCHER'
#!/bin/sh
# The engine starts this file from the plugin folder's absolute path; node runs the built plugin beside it.
dir=$(dirname "$0")
exec node "$dir/dist/plugin/main.js" "$@"
LAUNCHER
chmod +x "$root/pulumi-resource-cache-purge"
# Named as the CLI looks for it under pluginDownloadURL: -<os>-<arch>. The code is JavaScript, so one
# tarball serves every machine with node and sh; a release publishes it under each name.
os="$(uname -s | tr '[:upper:]' '[:lower:]')"
case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac
tarball="$out/pulumi-resource-cache-purge-v$version-$os-$arch.tar.gz"
tar -czf "$tarball" -C "$root" .
echo "$tarball"
