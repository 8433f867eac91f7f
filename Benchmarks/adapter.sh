#!/usr/bin/env bash
# Transcoder-adapter training throughput (METHOD §8.4) on two seeded tiny-A models, F = 256,
# 64-token sequences, the released objective (output KL, NMSE, L1, both bridging terms), Adam +
# warm-up/cosine + clipping, one sequence per step: vouch's AdapterTrainer (exact profile)
# against PyTorch CPU running the same objective as the released code structures it
# (scripts/bench_adapter_torch.py, which reuses scripts/fixtures/adapter.py), at 1 and 2
# threads. Prints steps/s of each and vouch/torch, and checks that vouch's adapters are
# identical at 1 and 2 threads. No target yet: the ratio is reported.
# Usage: Benchmarks/adapter.sh   (STEPS=200 THREADS="1 2" TORCH_TIMEOUT=120 by default)
# Needs torch + transformers for the reference; without them only vouch's side runs.
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${STEPS:-200}"
thread_counts="${THREADS:-1 2}"
torch_timeout="${TORCH_TIMEOUT:-120}"
bench=.build/release/vouch-engine-benchmark
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

swift build -c release --product vouch-engine-benchmark >&2
have_torch=0
python3 -c "import torch, transformers" 2>/dev/null && have_torch=1

echo "== adapter training, tiny-A pair, F = 256, $steps steps"
digests=""
target="$work"
for threads in $thread_counts; do
  vouch_line=$(OPENBLAS_CORETYPE=Haswell "$bench" adapter-bench "$steps" "$threads" 256 "$target")
  target=-
  echo "  $vouch_line"
  digests="$digests $(echo "$vouch_line" | sed -n 's/.*fnv1a=\([0-9a-f]*\).*/\1/p')"
  vouch_rate=$(echo "$vouch_line" | sed -n 's/.*steps\/s=\([0-9.]*\).*/\1/p')
  if [ "$have_torch" = 1 ]; then
    if torch_line=$(timeout "$torch_timeout" \
      python3 scripts/bench_adapter_torch.py "$work" "$threads" 2>/dev/null); then
      echo "  $torch_line"
      torch_rate=$(echo "$torch_line" | sed -n 's/.*steps\/s=\([0-9.]*\).*/\1/p')
      awk -v a="$vouch_rate" -v b="$torch_rate" -v t="$threads" 'BEGIN {
        printf "  threads=%s  vouch %.1f steps/s  torch %.1f steps/s  ratio vouch/torch = %.2f\n",
          t, a, b, a / b }'
    else
      echo "  torch threads=$threads: no result within ${torch_timeout}s"
    fi
  fi
done
if [ "$have_torch" = 0 ]; then
  echo "  torch/transformers not installed: reference skipped"
fi
if [ "$(echo "$digests" | tr ' ' '\n' | sort -u | grep -c .)" = 1 ]; then
  echo "  vouch adapters identical for threads:$(echo " $thread_counts")"
else
  echo "  vouch adapters DIFFER across thread counts:$digests"
  exit 1
fi
