#!/usr/bin/env bash
# `vouch verify` speed (release build), each against a reference measured in the same run:
#   1. the organism's shipped workspace on a fresh clone (target ≤ 1 s): verify re-reads every claim
#      from its stored output and checks lock, records and listings; reference: `sha256sum` of the
#      claim-source objects it must re-hash, plus `git status` (a process that reads the tree).
#   2. 10,000 tracked artifacts (target < 2 s), against `sha256sum` over every stored object.
#   3. `verify --deep` of the organism, against `sha256sum` of every object it re-hashes.
#
# Usage: Benchmarks/verify.sh [count]   (builds vouch in release mode first)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/timing.sh
count="${1:-10000}"
swift build -c release >&2
vouch="$PWD/.build/release/vouch"
repository="$PWD"
work="$(mktemp -d)"
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT

# 1 and 3: the organism, on a fresh clone with its shipped outputs fetched.
git clone -q "$repository" "$work/organism"
(cd "$work/organism" && "$vouch" init >/dev/null && "$vouch" fetch >/dev/null)
cd "$work/organism"
find .vouch/objects -type f -exec cat {} + >/dev/null
organism=$(median3 "$vouch" verify)
deep=$(median3 "$vouch" verify --deep)
everything=$(median3 sh -c 'find .vouch/objects -type f -print0 | xargs -0 sha256sum')
status=$(median3 git status --porcelain)
printf 'vouch verify, organism on a fresh clone: %s s (target ≤ 1 s: %s); git status there: %s s\n' \
  "$organism" "$( (( $(echo "$organism <= 1" | bc) )) && echo met || echo MISSED)" "$status"
printf 'vouch verify --deep, organism: %s s; sha256sum over every stored object: %s s; ratio %s\n' \
  "$deep" "$everything" "$(ratio "$deep" "$everything")"

# 2: 10,000 small artifacts.
mkdir -p "$work/many" && cd "$work/many"
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
ls files | sed 's|^|files/|' | xargs -n 2000 "$vouch" add >/dev/null
find .vouch/objects -type f -exec cat {} + >/dev/null
many=$(median3 "$vouch" verify)
reference=$(median3 sh -c 'find .vouch/objects -type f -print0 | xargs -0 sha256sum')
printf 'vouch verify, %d artifacts: %s s (target < 2 s: %s)\n' "$count" "$many" \
  "$( (( $(echo "$many < 2" | bc) )) && echo met || echo MISSED)"
printf 'reference sha256sum over the same objects: %s s; ratio verify/reference = %s\n' \
  "$reference" "$(ratio "$many" "$reference")"
