#!/usr/bin/env python3
"""PyTorch CPU reference for Benchmarks/engine.sh: Qwen2 forward tokens/s on the same ~50M-parameter
config as `vouch-engine-benchmark forward` (float32, eager, inference mode).

    python3 scripts/bench_qwen2_torch.py THREADS TOKENS
"""
import sys
import time

import torch
from transformers import Qwen2Config, Qwen2ForCausalLM


def main() -> int:
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    tokens = int(sys.argv[2]) if len(sys.argv) > 2 else 256
    torch.set_num_threads(threads)
    config = Qwen2Config(hidden_size=512, intermediate_size=1536, num_hidden_layers=8,
                         num_attention_heads=8, num_key_value_heads=2, vocab_size=24000,
                         tie_word_embeddings=False)
    model = Qwen2ForCausalLM(config).eval()
    ids = (torch.arange(tokens) * 7919 % config.vocab_size).unsqueeze(0)
    with torch.inference_mode():
        model(input_ids=ids, use_cache=False)
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            model(input_ids=ids, use_cache=False)
            best = min(best, time.perf_counter() - start)
    parameters = sum(p.numel() for p in model.parameters())
    print(f"  torch {torch.__version__} ({parameters // 10**6}M parameters) "
          f"{tokens / best:8.1f} tokens/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
