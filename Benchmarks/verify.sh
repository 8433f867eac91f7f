#!/usr/bin/env bash
# `vouch verify` on 10,000 tracked artifacts (target: under 2 s), against a reference measured in
# the same run on the same objects: `sha256sum` over every stored object (what re-hashing alone
# costs with coreutils).
#
# Usage: Benchmarks/verify.sh [count]   (builds vouch in release mode first)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"
swift build -c release >&2
vouch="$PWD/.build/release/vouch"
work="$(mktemp -d)"
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cd "$work"
git init -q . && git config user.name bench && git config user.email bench@example.org
"$vouch" init >/dev/null
mkdir -p files
python3 - "$count" <<'PY'
import os, random, sys
random.seed(1)
for i in range(int(sys.argv[1])):
    with open(f"files/f{i:05d}.bin", "wb") as f:
        f.write(random.randbytes(200 + i % 300))
PY
start=$(date +%s.%N)
ls files | sed 's|^|files/|' | xargs -n 2000 "$vouch" add >/dev/null
added=$(date +%s.%N)
echo "setup: added $count artifacts in $(echo "$added - $start" | bc) s" >&2

# Warm the page cache for both measurements alike.
find .vouch/objects -type f -exec cat {} + >/dev/null
best() { # best of three wall times of "$@"
  local best=""
  for _ in 1 2 3; do
    local t0 t1 t
    t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc)
    if [ -z "$best" ] || (( $(echo "$t < $best" | bc) )); then best=$t; fi
  done
  echo "$best"
}
verify=$(best "$vouch" verify)
reference=$(best sh -c 'find .vouch/objects -type f -print0 | xargs -0 sha256sum')
printf 'vouch verify, %d artifacts: %.3f s (target < 2 s: %s)\n' "$count" "$verify" \
  "$( (( $(echo "$verify < 2" | bc) )) && echo met || echo MISSED)"
printf 'reference sha256sum over the same objects: %.3f s; ratio verify/reference = %.2f\n' \
  "$reference" "$(echo "$verify / $reference" | bc -l)"
