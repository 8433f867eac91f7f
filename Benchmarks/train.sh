#!/usr/bin/env bash
# Training throughput of the organism's base model B (issue 5): vouch's OrganismTrainer (exact
# profile) against PyTorch CPU (scripts/bench_train_torch.py) on the same tiny-A model (vouch saves
# its seed-1 start and transformers loads it), the same base sequences, batch 1, AdamW +
# warm-up/cosine + clipping, at 1 and 2 threads. Prints tokens/s of each and vouch/torch
# (target ≥ 1.0), and checks that vouch's trained weights are equal at 1 and 2 threads.
# Usage: Benchmarks/train.sh   (SEQUENCES=500 THREADS="1 2" BATCH=1 TORCH_TIMEOUT=60 by default)
# BATCH=1 is the organism's recipe; with BATCH>1 vouch runs a batch's sequences on separate
# threads (summed in data order, so the weights stay identical across thread counts).
# Needs torch + transformers for the reference; without them only vouch's side runs.
set -euo pipefail
cd "$(dirname "$0")/.."
sequences="${SEQUENCES:-500}"
thread_counts="${THREADS:-1 2}"
batch="${BATCH:-1}"
torch_timeout="${TORCH_TIMEOUT:-60}"
bench=.build/release/vouch-engine-benchmark
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

swift build -c release --product vouch-engine-benchmark >&2

have_torch=0
python3 -c "import torch, transformers" 2>/dev/null && have_torch=1
digests=""
echo "== organism B (tiny-A) training, $sequences sequences, batch $batch"
first=1
for threads in $thread_counts; do
  if [ "$first" = 1 ]; then
    vouch_line=$(OPENBLAS_CORETYPE=Haswell \
      "$bench" train-bench "$sequences" "$threads" "$work" "$batch")
    first=0
  else
    vouch_line=$(OPENBLAS_CORETYPE=Haswell "$bench" train-bench "$sequences" "$threads" - "$batch")
  fi
  echo "  $vouch_line"
  digests="$digests $(echo "$vouch_line" | sed -n 's/.*fnv1a=\([0-9a-f]*\).*/\1/p')"
  vouch_rate=$(echo "$vouch_line" | sed -n 's/.*tokens\/s=\([0-9.]*\).*/\1/p')
  if [ "$have_torch" = 1 ]; then
    # A bound on the reference: on a loaded 2-core machine, torch's spinning OpenMP threads can
    # stall for minutes; the script then reports the timeout instead of hanging.
    if torch_line=$(timeout "$torch_timeout" \
      python3 scripts/bench_train_torch.py "$work" "$threads" 2>/dev/null); then
      echo "  $torch_line"
      torch_rate=$(echo "$torch_line" | sed -n 's/.*tokens\/s=\([0-9.]*\).*/\1/p')
      awk -v a="$vouch_rate" -v b="$torch_rate" -v t="$threads" 'BEGIN {
        r = a / b
        printf "  threads=%s  vouch %.0f tokens/s  torch %.0f tokens/s  " \
          "ratio vouch/torch = %.2f  %s\n", t, a, b, r,
          (r >= 1.0 ? "(target >= 1.0 met)" : "(target >= 1.0 MISSED)") }'
    else
      echo "  torch threads=$threads: no result within ${torch_timeout}s (ratio > $(awk \
        -v a="$vouch_rate" -v s="$torch_timeout" -v n="$(python3 -c "import json;\
d=json.load(open('$work/sequences.json'));print(sum(map(len,d['inputs'])))")" \
        'BEGIN { printf "%.2f", a / (n / s) }'))"
    fi
  fi
done
if [ "$have_torch" = 0 ]; then
  echo "  torch/transformers not installed: reference skipped"
fi
unique=$(echo $digests | tr ' ' '\n' | sort -u | wc -l)
if [ "$unique" = 1 ]; then
  echo "== determinism: vouch's trained weights are identical at threads {$thread_counts}"
else
  echo "== determinism: vouch's trained weights DIFFER across threads:$digests"
  exit 1
fi
