#!/usr/bin/env bash
# Engine benchmarks (issue 4). Prints, from one run, every ratio against a reference measured in
# the same run:
#   1. sgemm GFLOP/s through the BLAS seam (fast) vs a direct cblas_sgemm     target ≥ 0.95
#   2. exact vs fast profile on 2 threads                                     target ≥ 0.8
#   3. sgemm peak with OPENBLAS_CORETYPE=SkylakeX (for the record, where the CPU has AVX-512)
#   4. Qwen2 forward tokens/s, ~50M parameters, vs PyTorch CPU (when torch is installed) ≥ 1.0
#   5. peak RSS of a streamed forward over a generated ~2 GiB bf16 model          ≤ 2.6 GiB
# Usage: Benchmarks/engine.sh [--skip-rss]   (THREADS=2 TOKENS=256 SIZE=2048 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${THREADS:-2}"
tokens="${TOKENS:-256}"
size="${SIZE:-2048}"
bench=.build/release/vouch-engine-benchmark

swift build -c release --product vouch-engine-benchmark >&2

echo "== 1+2. sgemm (OPENBLAS_CORETYPE=Haswell, the exact profile's kernels)"
OPENBLAS_CORETYPE=Haswell "$bench" sgemm "$size" "$threads"

echo "== 3. sgemm peak with OPENBLAS_CORETYPE=SkylakeX (record only)"
if grep -qw avx512f /proc/cpuinfo; then
  OPENBLAS_CORETYPE=SkylakeX "$bench" sgemm "$size" "$threads" | sed -n '1,2p'
  echo "  (and with the core OpenBLAS autodetects here:)"
  env -u OPENBLAS_CORETYPE "$bench" sgemm "$size" "$threads" | sed -n '1,2p'
else
  echo "  skipped: this CPU has no AVX-512"
fi

echo "== 4. Qwen2 forward, $tokens tokens, $threads threads"
vouch_line=$(OPENBLAS_CORETYPE=Haswell "$bench" forward "$threads" "$tokens")
echo "$vouch_line"
if python3 -c "import torch, transformers" 2>/dev/null; then
  torch_line=$(python3 scripts/bench_qwen2_torch.py "$threads" "$tokens" 2>/dev/null)
  echo "$torch_line"
  torch_rate=$(echo "$torch_line" | awk '{print $(NF-1)}')
  for profile in exact fast; do
    rate=$(echo "$vouch_line" | awk -v p="$profile" '$2 == p {print $3}')
    awk -v a="$rate" -v b="$torch_rate" -v p="$profile" \
      'BEGIN {printf "  ratio vouch %s / torch = %.2f (target ≥ 1.0)\n", p, a / b}'
  done
else
  echo "  torch not installed: no PyTorch reference"
fi

if [ "${1:-}" != "--skip-rss" ]; then
  echo "== 5. peak RSS, streamed forward over a ~2 GiB bf16 model (target ≤ 2.6 GiB)"
  model="${TMPDIR:-/tmp}/vouch-engine-bench-2g-qwen-vocab"
  [ -f "$model/config.json" ] || "$bench" make-model "$model" >&2
  OPENBLAS_CORETYPE=Haswell "$bench" rss "$model" 32
fi
