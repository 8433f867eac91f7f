#!/usr/bin/env python3
"""PyTorch CPU reference for Benchmarks/train.sh: trains the organism's base model B (tiny-A) from
the same start, on the same sequences, with the same recipe as vouch, and prints tokens/s
(CI never runs this; it needs `pip install torch transformers`).

Usage:
  vouch-engine-benchmark train-bench 1000 1 DIR [BATCH]  # writes DIR/init, DIR/sequences.json
  python3 scripts/bench_train_torch.py DIR THREADS [SEQUENCES]

Same as vouch's OrganismTrainer: the batch size vouch wrote (1 by default; each sequence's loss the
mean cross-entropy over its counted targets, -100 ignored, averaged over the batch),
torch.optim.AdamW (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01 on every tensor),
Hugging Face's cosine schedule with warm-up W = floor(0.05 S) as a LambdaLR (first step lr 0),
global 2-norm clipping at 1.0, one
epoch in a seeded shuffled order (vouch's order comes from its own stream; the set of sequences
and so the token count is the same). Float32, the model in training mode (no dropout in Qwen2).

Prints one line: `torch threads=N sequences=S tokens=T seconds=X tokens/s=Y final-loss=L`, where
tokens are the input tokens of all sequences, as vouch counts them. The timed region is the
training loop alone (model loading and one warm-up step on a throwaway copy are excluded).
"""
import copy
import json
import math
import random
import sys
import time

import torch
from transformers import Qwen2ForCausalLM


def cosine_with_warmup(warmup: int, total: int):
    """Hugging Face's get_cosine_schedule_with_warmup multiplier (num_cycles = 0.5)."""

    def multiplier(step: int) -> float:
        if step < warmup:
            return float(step) / float(max(1, warmup))
        progress = float(step - warmup) / float(max(1, total - warmup))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress)))

    return multiplier


def train(model, sequences, order, settings):
    """One epoch over `order`, `batch_size` sequences a step; returns the last step's loss.

    As vouch: each sequence's token-mean loss is back-propagated on its own (no padding) and the
    step's gradient is their mean over the batch."""
    batch = settings.get("batch_size", 1)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=settings["learning_rate"], betas=(0.9, 0.999), eps=1e-8,
        weight_decay=settings["weight_decay"])
    total = len(order) // batch
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, cosine_with_warmup(total * 5 // 100, total))
    loss_function = torch.nn.CrossEntropyLoss(ignore_index=-100)
    loss = torch.tensor(float("nan"))
    for step in range(total):
        optimizer.zero_grad(set_to_none=True)
        for index in order[step * batch:(step + 1) * batch]:
            inputs, targets = sequences[index]
            logits = model(input_ids=inputs, use_cache=False).logits[0]
            loss = loss_function(logits, targets)
            (loss / batch if batch > 1 else loss).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), settings["max_grad_norm"])
        optimizer.step()
        scheduler.step()
    return float(loss.detach())


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 64
    folder, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    with open(f"{folder}/sequences.json") as handle:
        settings = json.load(handle)
    count = len(settings["inputs"])
    if len(sys.argv) > 3:
        count = min(count, int(sys.argv[3]))
    sequences = [
        (torch.tensor([settings["inputs"][i]]), torch.tensor(settings["targets"][i]))
        for i in range(count)
    ]
    model = Qwen2ForCausalLM.from_pretrained(f"{folder}/init", dtype=torch.float32)
    model.train()
    order = list(range(count))
    random.Random(settings["seed"]).shuffle(order)
    # Warm-up (allocator, lazy init of kernels) on a copy, so the timed run starts from the init.
    train(copy.deepcopy(model), sequences, order[:20 * settings.get("batch_size", 1)], settings)
    start = time.perf_counter()
    final_loss = train(model, sequences, order, settings)
    seconds = time.perf_counter() - start
    tokens = sum(int(inputs.shape[1]) for inputs, _ in sequences)
    print(
        f"torch threads={threads} batch={settings.get('batch_size', 1)} sequences={count} "
        f"tokens={tokens} seconds={seconds:.3f} "
        f"tokens/s={tokens / seconds:.1f} final-loss={final_loss:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
