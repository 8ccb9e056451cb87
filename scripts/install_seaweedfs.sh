#!/usr/bin/env bash
# Builds SeaweedFS's `weed` (the S3 server the tests use) from the Go module
# proxy, once, and caches it under ~/.cache/floe; prints the binary's path.
# Pinned: the 2026-11-09 commit (SeaweedFS 4.53). Releases before 2026 had
# broken conditional writes, multipart ETags and truncated listings.
set -euo pipefail
version="v0.0.0-20261109003541-7506e5f91cd6"
cache="${FLOE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/floe}"
bin="$cache/seaweedfs-$version/weed"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || { echo "install_seaweedfs: Go is required to build SeaweedFS" >&2; exit 1; }
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
echo "install_seaweedfs: building weed $version (first run only, several minutes)" >&2
# `go install` refuses modules with replace directives: build inside a copy.
dir="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/seaweedfs/seaweedfs@$version" \
       | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$dir" ] || { echo "install_seaweedfs: could not download the module" >&2; exit 1; }
cp -r "$dir" "$work/src"
chmod -R u+w "$work/src"
mkdir -p "$(dirname "$bin")"
(cd "$work/src" && go build -buildvcs=false -trimpath -ldflags="-s -w" -o "$bin.tmp" ./weed)
mv "$bin.tmp" "$bin"
echo "$bin"
