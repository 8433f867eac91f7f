#!/usr/bin/env bash
# Analysis speed (issue 11): generation with adapters and RelP attribution, vouch against
# PyTorch CPU on the same model and prompts, at 1 and 2 threads (target ≥ 1.0× at the same
# thread count). The model is a seeded tiny-A pair (R seed 2, B seed 1) with F = 256 sparse
# random adapters (about a tenth of the features fire), so graphs have a few thousand rows:
#   generate  greedy generation of the replacement model (R + B's MLPs + adapters), KV cache,
#             no stop token, on PROMPTS organism prompts: vouch's Qwen2Model with adapter
#             branches (AdapterModels.replacement) against transformers' Qwen2ForCausalLM with
#             each MLP swapped for B's MLP + adapter (a hand loop over past_key_values): tokens/s
#   relp      RelP graphs of the "wait" logit on PROMPTS TOKENS-token reasoning prefixes with
#             every active feature a node (no budget, so both sides compute the same rows):
#             vouch's Attributor against scripts/fixtures/relp.py's RelP model (one forward per
#             graph, one backward per row): graphs/s and rows/s (rows = the logit + one per node)
# (scripts/bench_analysis_torch.py; it also checks its tokens, nodes and logit edges against
# vouch's, and runs with OMP_WAIT_POLICY=PASSIVE unless told otherwise: OpenMP's spinning makes
# torch at 2 threads collapse when anything else runs on a 2-core machine.) Checks that vouch's
# tokens and graphs are identical at every thread count.
# Usage: Benchmarks/analysis.sh   (PROMPTS=4 TOKENS=32 THREADS="1 2" TORCH_TIMEOUT=300 by default)
# Needs torch + transformers for the reference; without them only vouch's side runs.
set -euo pipefail
cd "$(dirname "$0")/.."
prompts="${PROMPTS:-4}"
tokens="${TOKENS:-32}"
thread_counts="${THREADS:-1 2}"
torch_timeout="${TORCH_TIMEOUT:-300}"
bench=.build/release/vouch-engine-benchmark
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

swift build -c release --product vouch-engine-benchmark >&2
have_torch=0
python3 -c "import torch, transformers" 2>/dev/null && have_torch=1

field() { sed -n "s|.* $1=\([^ ]*\).*|\1|p"; }
ratio() {
  awk -v a="$2" -v b="$3" -v t="$1" -v what="$4" -v unit="$5" 'BEGIN {
    printf "  threads=%s  %-8s vouch %9.4g %s  torch %9.4g %s  ratio vouch/torch = %.2f" \
      " (target ≥ 1.0)\n", t, what, a, unit, b, unit, a / b }'
}

echo "== analysis, tiny-A pair, F = 256 sparse adapters, $prompts prompts" \
  "(generation; RelP on $tokens-token prefixes)"
generate_digests=""
graph_digests=""
target="$work"
for threads in $thread_counts; do
  vouch_lines=$(OPENBLAS_CORETYPE=Haswell \
    "$bench" analysis-bench "$threads" "$prompts" 256 "$target" "$tokens")
  target=-
  echo "$vouch_lines" | sed 's/^/  /'
  vouch_generate=$(echo "$vouch_lines" | grep ' generate ')
  vouch_relp=$(echo "$vouch_lines" | grep ' relp ')
  generate_digests="$generate_digests $(echo "$vouch_generate" | field fnv1a)"
  graph_digests="$graph_digests $(echo "$vouch_relp" | field fnv1a)"
  if [ "$have_torch" = 1 ]; then
    if torch_lines=$(timeout "$torch_timeout" \
      python3 scripts/bench_analysis_torch.py "$work" "$threads" 2>/dev/null); then
      echo "$torch_lines" | sed 's/^/  /'
      torch_generate=$(echo "$torch_lines" | grep ' generate ')
      torch_relp=$(echo "$torch_lines" | grep ' relp ')
      ratio "$threads" "$(echo "$vouch_generate" | field tokens/s)" \
        "$(echo "$torch_generate" | field tokens/s)" generate tokens/s
      ratio "$threads" "$(echo "$vouch_relp" | field graphs/s)" \
        "$(echo "$torch_relp" | field graphs/s)" relp graphs/s
      ratio "$threads" "$(echo "$vouch_relp" | field rows/s)" \
        "$(echo "$torch_relp" | field rows/s)" relp rows/s
    else
      echo "  torch threads=$threads: no result within ${torch_timeout}s"
    fi
  fi
done
if [ "$have_torch" = 0 ]; then
  echo "  torch/transformers not installed: reference skipped"
fi
status=0
for kind in generate graph; do
  digests=$([ "$kind" = generate ] && echo "$generate_digests" || echo "$graph_digests")
  if [ "$(echo "$digests" | tr ' ' '\n' | sort -u | grep -c .)" = 1 ]; then
    echo "  vouch ${kind} output identical for threads:$(echo " $thread_counts")" \
      "(fnv1a$digests)"
  else
    echo "  vouch ${kind} output DIFFERS across thread counts:$digests"
    status=1
  fi
done
exit "$status"
