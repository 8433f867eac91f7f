#!/usr/bin/env bash
# Installs the C libraries vouch links against (idempotently) and builds vouch.
# Usage: scripts/setup.sh [debug|release]
set -euo pipefail
cd "$(dirname "$0")/.."

# graphviz: the lineage tests render `vouch lineage --format dot` with `dot`.
packages=(libgit2-dev libopenblas-dev libsqlite3-dev pkg-config graphviz)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi

configuration="${1:-release}"
echo "setup: swift build -c $configuration" >&2
swift build -c "$configuration" >&2
