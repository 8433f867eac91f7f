#!/usr/bin/env bash
# A short demonstration of the store on generated data (replaced by the miniature reproduction later).
set -euo pipefail
vouch="$1"
echo "vouch $("$vouch" --version)"
"$vouch" --help | head -5
