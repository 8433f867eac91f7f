#!/usr/bin/env bash
# Remote transfer benchmark, against a reference measured in the same run on generated data:
#   `vouch push` and `vouch fetch` of a 256 MiB file (about 6,900 chunks) to and from a filesystem
#   remote on the same disk, each as a ratio to `cp -R` of the store's objects followed by `sync`
#   (a copy that neither verifies nor writes atomically)                       (target <= 3.0)
# and the second push, which must send nothing (target: 0 objects, well under a second).
# Every run writes into new directories: re-creating thousands of files in a directory just
# emptied makes ext4 search for inodes that were not recently deleted, which would time the
# filesystem, not vouch.
# Usage: Benchmarks/remote.sh            (BENCH_DIR=/big/disk to choose where ~1.5 GiB goes)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/timing.sh
swift build -c release >&2
vouch="$(swift build -c release --show-bin-path)/vouch"

work="$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/vouch-remote-bench.XXXXXX")"
cleanup() { chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"

mkdir source && cd source
"$vouch" init --no-git >/dev/null
head -c $((256 << 20)) /dev/urandom >big.bin
"$vouch" add big.bin >/dev/null
sync

for round in 1 2 3; do
  copy=$(timed sh -c "cp -R .vouch/objects '$work/copy$round' && sync")
  "$vouch" remote add "r$round" "$work/remote$round" >/dev/null
  push=$(timed "$vouch" push --remote "r$round")
  again=$(timed "$vouch" push --remote "r$round")
  mkdir "$work/clone$round" && cp -R manifests "$work/clone$round/"
  (cd "$work/clone$round" && "$vouch" init --no-git >/dev/null)
  sync
  fetch=$(cd "$work/clone$round" && timed "$vouch" fetch --remote "r$round")
  echo "round $round: cp -R + sync $copy s; push $push s (ratio $(ratio "$push" "$copy"));" \
    "second push $again s; fetch $fetch s (ratio $(ratio "$fetch" "$copy"))"
done
sent=$("$vouch" push --remote r1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["transferred"])')
echo "objects sent by a push to an up-to-date remote: $sent"
