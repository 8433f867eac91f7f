"""PyTorch reference for Benchmarks/adapter.sh: adapter training steps/s on CPU, float32.

Loads the two tiny-A models and the sequences `vouch-engine-benchmark adapter-bench … DIR` saved,
then trains METHOD §8.4's adapters with the objective of scripts/fixtures/adapter.py (the
released code's structure: each bridging pass is a whole forward through the spliced model),
Adam with warm-up/cosine (first step at lr 0) and clipping at 1.0, one sequence per step.
Usage: python3 scripts/bench_adapter_torch.py DIR THREADS
Prints: torch threads=N features=F steps=S seconds=… steps/s=…
"""
import json
import math
import pathlib
import random
import sys
import time

import torch
from transformers import Qwen2ForCausalLM, get_cosine_schedule_with_warmup

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from fixtures import adapter as reference  # noqa: E402  (scripts/fixtures/adapter.py)


def main() -> None:
    folder, threads = pathlib.Path(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    data = json.loads((folder / "adapter-sequences.json").read_text())
    sequences = [torch.tensor(ids) for ids in data["sequences"]]
    features, steps = data["features"], data["steps"]
    target = Qwen2ForCausalLM.from_pretrained(folder / "target", attn_implementation="eager").eval()
    base = Qwen2ForCausalLM.from_pretrained(folder / "base", attn_implementation="eager").eval()
    for parameter in list(target.parameters()) + list(base.parameters()):
        parameter.requires_grad_(False)
    hidden = target.config.hidden_size
    bound = 1 / math.sqrt(hidden)
    adapters = [
        reference.Adapter(torch.empty(features, hidden).uniform_(-bound, bound),
                          torch.zeros(features), torch.zeros(hidden, features), torch.zeros(hidden))
        for _ in range(target.config.num_hidden_layers)
    ]
    parameters = [t for a in adapters for t in a.tensors()]
    optimizer = torch.optim.AdamW(parameters, lr=8e-4, weight_decay=0.0)
    schedule = get_cosine_schedule_with_warmup(optimizer, int(0.05 * steps), steps)
    cutoffs = random.Random(5)
    reference.LAMBDA_L1 = 1e-3
    start = time.perf_counter()
    for step in range(steps):
        ids = sequences[step % len(sequences)]
        k = cutoffs.randint(0, len(adapters))
        total, _ = reference._objective(target, base, adapters, ids, k)
        optimizer.zero_grad()
        total.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        schedule.step()
    seconds = time.perf_counter() - start
    print(f"torch threads={threads} features={features} steps={steps} "
          f"seconds={seconds:.3f} steps/s={steps / seconds:.2f}")


if __name__ == "__main__":
    main()
