#!/usr/bin/env bash
# `vouch report` speed (release build): the median of three reports of a workspace, in seconds,
# against the target of ≤ 2 s for the organism pipeline (18+ stages, ~200 claims). Reference, in
# the same run: `vouch verify` of the same workspace (reads the same locks, records and claims).
#
# Usage: Benchmarks/report.sh [WORKSPACE]
#   WORKSPACE: a vouch workspace whose pipelines have run (for example a copy of a recorded
#   organism workspace); the report is written to a temporary folder, nothing else is changed.
#   Without it: a fresh clone of this repository with the organism's shipped outputs fetched.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/timing.sh
swift build -c release >&2
vouch="$PWD/.build/release/vouch"
work="$(mktemp -d)"
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT

if [ $# -ge 1 ]; then
  workspace="$(cd "$1" && pwd)"
else
  git clone -q "$PWD" "$work/organism"
  (cd "$work/organism" && "$vouch" init >/dev/null && "$vouch" fetch >/dev/null)
  workspace="$work/organism"
fi
cd "$workspace"
"$vouch" report --out "$work/site" --json >"$work/summary.json"
report=$(median3 "$vouch" report --out "$work/site")
verify=$(median3 "$vouch" verify)
python3 - "$work/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"report of {s['pipelines']} pipeline(s): {s['stages']} stage page(s), {s['figures']} figure(s), "
      f"{s['claims']} claim(s)")
PY
printf 'vouch report: %s s (target ≤ 2 s: %s); vouch verify there: %s s; ratio %s\n' \
  "$report" "$( (( $(echo "$report <= 2" | bc) )) && echo met || echo MISSED)" "$verify" \
  "$(ratio "$report" "$verify")"
