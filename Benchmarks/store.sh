#!/usr/bin/env bash
# Store benchmarks of issue 2, each against a reference measured in the same run on generated data:
#   1. `vouch add` throughput on a 1 GiB file, as a ratio to `openssl dgst -sha256`  (target >= 1.0):
#      a. `vouch add --link` (adopts the file by hard link: hash + chunk, no copy) in a fresh
#         workspace;
#      b. `vouch add` (durable copy into the store), whose ceiling on this disk is the ratio of
#         `dd conv=fdatasync` (any durable copy of 1 GiB costs at least that);
#      c. re-adding stored content after `touch` (checked against its stored recipe on both
#         cores; nothing written);
#      d. `vouch status` with that file touched again (the same check).
#      A first add must compute two SHA-256 passes (the whole file's digest and every chunk's),
#      so the script also times two `openssl dgst` processes at once on the two cores: no tool
#      that hashes twice with this SHA-256 can beat that ratio, before chunking costs anything.
#      The data is generated, then `sync`ed and read once, so every contender (openssl, dd, vouch)
#      starts from the same state: bytes at rest on disk and in the page cache.
#   2. `vouch status` on 20,000 unchanged small files                             (target <= 0.3 s)
#   3. new bytes stored for a copy of the 1 GiB file with 1% of its 4 KiB blocks changed, added
#      after the *linked* original (so it shows edited copies dedup against adopted files)
#                                                                                 (target <= 20%)
#   4. peak RSS of `vouch add` on a 4 GiB file                                    (target <= 256 MiB)
# and, when `dvc` is on PATH, DVC's figures for the same operations.
# Public tools only: bash, head, dd, openssl, python3 (data generation, timing), /usr/bin/time.
# Usage: Benchmarks/store.sh            (BENCH_DIR=/big/disk to choose where ~12 GiB goes)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/timing.sh

if [ ! -x /usr/bin/time ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get install -y -qq time >&2
fi
swift build -c release >&2
vouch="$(swift build -c release --show-bin-path)/vouch"

work="$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/vouch-bench.XXXXXX")"
cleanup() { chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"

peak_rss_mib() { # command… → peak RSS in MiB via GNU time
  /usr/bin/time -v "$@" 2>"$work/time.txt" >/dev/null
  awk -F: '/Maximum resident set size/ { printf "%.0f\n", $2 / 1024 }' "$work/time.txt"
}

echo "== generating data in $work" >&2
mkdir ws && cd ws && git init -q . && "$vouch" init >/dev/null
head -c $((1 << 30)) /dev/urandom > big.bin
python3 - <<'PY'
import os, random
os.makedirs("small", exist_ok=True)
rng = random.Random(1)
for i in range(20000):
    d = f"small/{i // 1000:02d}"
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/f{i:05d}.txt", "wb") as f:
        f.write(rng.randbytes(rng.randrange(64, 2048)))
# A copy of big.bin with 1% of its 4 KiB blocks changed (seeded positions).
size = os.path.getsize("big.bin")
blocks = size // 4096
changed = rng.sample(range(blocks), blocks // 100)
with open("big.bin", "rb") as src, open("edited.bin", "wb") as dst:
    while chunk := src.read(1 << 24):
        dst.write(chunk)
with open("edited.bin", "r+b") as f:
    for block in changed:
        f.seek(block * 4096)
        f.write(rng.randbytes(4096))
PY
sync                     # data at rest: no contender pays for writing back the generator's output
cat big.bin > /dev/null  # and in the page cache for every contender

echo "== 1. add throughput (1 GiB; medians of 3 runs)" >&2
middle() { sort -g | sed -n 2p; } # the median of three lines
openssl_s=$(median3 openssl dgst -sha256 big.bin)
two_passes_s=$(median3 bash -c 'openssl dgst -sha256 big.bin & openssl dgst -sha256 big.bin; wait')
two_passes_ratio=$(ratio "$openssl_s" "$two_passes_s")
dd_s=$(timed dd if=big.bin of=dd-copy.bin bs=1M conv=fdatasync status=none)
rm -f dd-copy.bin
dd_ratio=$(ratio "$openssl_s" "$dd_s")
# --link in fresh workspaces on the same filesystem, with the same file (more hard links).
link_s=$(for run in 1 2 3; do
  mkdir ../ws-link$run && ln big.bin ../ws-link$run/big.bin
  (cd ../ws-link$run && git init -q . && "$vouch" init >/dev/null)
  (cd ../ws-link$run && timed "$vouch" add --link big.bin)
done | middle)
link_ratio=$(ratio "$openssl_s" "$link_s")
mv ../ws-link1 ../ws-link && rm -rf ../ws-link2 ../ws-link3
sync
add_s=$(timed "$vouch" add big.bin)
add_ratio=$(ratio "$openssl_s" "$add_s")
# Same bytes again with a new mtime: checked chunk by chunk against the stored recipe.
readd_s=$(for run in 1 2 3; do touch big.bin && timed "$vouch" add big.bin; done | middle)
readd_ratio=$(ratio "$openssl_s" "$readd_s")
touched_status_s=$(for run in 1 2 3; do touch big.bin && timed "$vouch" status; done | middle)
touched_status_ratio=$(ratio "$openssl_s" "$touched_status_s")

echo "== 2. status on 20,000 unchanged small files" >&2
"$vouch" add small >/dev/null
status_s=$(median3 "$vouch" status)
/usr/bin/time -f '%U %S' "$vouch" status 2>"$work/time.txt" >/dev/null
status_cpu=$(awk '{ printf "%.3f", $1 + $2 }' "$work/time.txt")

echo "== 3. new bytes for a 1%-edited copy, after the linked original" >&2
mv edited.bin ../ws-link/
new_bytes=$(cd ../ws-link && "$vouch" add edited.bin --json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["newBytes"])')
new_pct=$(python3 -c "print(f'{100 * $new_bytes / (1 << 30):.1f}')")

echo "== 4. peak RSS adding a 4 GiB file" >&2
rm -f ../ws-link/edited.bin
head -c $((4 << 30)) /dev/urandom > huge.bin
rss_mib=$(peak_rss_mib "$vouch" add huge.bin)
rm -f huge.bin

printf '\n%-48s %12s %12s\n' "measure" "vouch" "target"
printf '%-48s %11sx %12s\n' "add --link 1 GiB: throughput / openssl dgst" "$link_ratio" ">= 1.0"
printf '%-48s %11sx %12s\n' "  bound for two SHA-256 passes: 2 openssl at once" "$two_passes_ratio" ""
printf '%-48s %11sx %12s\n' "add (durable copy) 1 GiB: throughput / openssl" "$add_ratio" ""
printf '%-48s %11sx %12s\n' "  ceiling of any durable copy: dd fdatasync" "$dd_ratio" ""
printf '%-48s %11sx %12s\n' "re-add after touch (stored): throughput / openssl" "$readd_ratio" ""
printf '%-48s %11sx %12s\n' "status, touched 1 GiB file: throughput / openssl" \
  "$touched_status_ratio" ""
printf '%-48s %12s\n' "  (s: openssl, link, copy, dd, re-add, status)" \
  "$openssl_s $link_s $add_s $dd_s $readd_s $touched_status_s"
printf '%-48s %11ss %12s\n' "status, 20,000 unchanged small files (median)" "$status_s" "<= 0.3 s"
printf '%-48s %11ss %12s\n' "  (status CPU time, user + sys)" "$status_cpu" ""
printf '%-48s %11s%% %12s\n' "new bytes, 1%-edited copy of the linked file" "$new_pct" "<= 20%"
printf '%-48s %8s MiB %12s\n' "peak RSS, add 4 GiB file" "$rss_mib" "<= 256 MiB"

echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

if command -v dvc >/dev/null; then
  echo "== DVC $(dvc --version) on the same operations" >&2
  cd "$work" && mkdir dvcws && cd dvcws && git init -q . && dvc init -q
  cp ../ws/big.bin . && mv ../ws/small . && sync && cat big.bin >/dev/null
  dvc_add_s=$(timed dvc add -q big.bin)
  dvc add -q small
  dvc_status_s=$(median3 dvc status)
  before=$(du -sb .dvc/cache | cut -f1)
  python3 - <<'PY'
import random, shutil
rng = random.Random(1)
shutil.copyfile("big.bin", "edited.bin")
blocks = (1 << 30) // 4096
with open("edited.bin", "r+b") as f:
    for block in rng.sample(range(blocks), blocks // 100):
        f.seek(block * 4096); f.write(rng.randbytes(4096))
PY
  dvc add -q edited.bin
  after=$(du -sb .dvc/cache | cut -f1)
  dvc_pct=$(python3 -c "print(f'{100 * ($after - $before) / (1 << 30):.1f}')")
  rm -f edited.bin && head -c $((4 << 30)) /dev/urandom > huge.bin
  dvc_rss=$(peak_rss_mib dvc add -q huge.bin)
  printf '\n%-48s %12s\n' "DVC" ""
  printf '%-48s %11sx\n' "add 1 GiB: throughput / openssl" "$(ratio "$openssl_s" "$dvc_add_s")"
  printf '%-48s %11ss\n' "status, 20,000 unchanged small files (median)" "$dvc_status_s"
  printf '%-48s %11s%%\n' "new bytes, 1%-edited copy" "$dvc_pct"
  printf '%-48s %8s MiB\n' "peak RSS, add 4 GiB file" "$dvc_rss"
else
  echo "(dvc not installed: \`pip install dvc\` to print its figures too)"
fi
