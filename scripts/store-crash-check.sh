#!/usr/bin/env bash
# Library-level crash check for VouchStore: adds a generated file with the release test binary,
# kills the add with SIGKILL at random moments, and after each kill checks the store (must be
# clean) and empties it; finally a complete add must succeed. Usage: scripts/store-crash-check.sh
# [MiB] [kills]. (The CLI-level test that kills `vouch add` lives in VouchEndToEndTests.)
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-256}
kills=${2:-12}
swift build -c release --build-tests -Xswiftc -enable-testing >/dev/null
bin=.build/release/vouchPackageTests.xctest
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
head -c "${mib}M" /dev/urandom >"$work/file.bin"
store="$work/.vouch"
driver() { "$bin" --testing-library swift-testing --filter CrashDriver 2>&1; }
for i in $(seq 1 "$kills"); do
  VOUCH_STORE_CRASH_STORE=$store VOUCH_STORE_CRASH_FILE=$work/file.bin driver >/dev/null &
  pid=$!
  sleep "$((RANDOM % 8)).$((RANDOM % 10))"
  if kill -9 "$pid" 2>/dev/null; then what=killed; else what=finished; fi
  wait "$pid" 2>/dev/null || true
  result=$(VOUCH_STORE_CRASH_RESET=1 VOUCH_STORE_CRASH_STORE=$store driver |
    grep -E "check:|unindexed|reset" | tr '\n' ' ')
  echo "run $i $what: $result"
  case "$result" in *"check: clean"*) ;; *) echo "FAIL: store not clean" >&2; exit 1 ;; esac
done
VOUCH_STORE_CRASH_STORE=$store VOUCH_STORE_CRASH_FILE=$work/file.bin driver | grep added
VOUCH_STORE_CRASH_STORE=$store driver | grep "check: clean"
