#!/usr/bin/env python3
"""Checks by hand that `transformers` loads an organism model folder vouch saved (config.json,
model.safetensors, tokenizer.json) and continues a prompt greedily (CI never runs this; it needs
`pip install torch transformers`).

Usage:
  swift build -c release --product vouch-engine-benchmark
  .build/release/vouch-engine-benchmark organism 100000 2 A 40000 /tmp/organism-pair
  python3 scripts/check_organism_model.py /tmp/organism-pair/reasoning '0*31+19' --think

Prints the greedy continuation (compare with the benchmark's "first response" line) and the
logits' shape; exits 1 when the folder does not load as a Qwen2ForCausalLM.
"""
import sys

import torch
from transformers import AutoModelForCausalLM, PreTrainedTokenizerFast


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 64
    folder, question = sys.argv[1], sys.argv[2]
    think = "--think" in sys.argv[3:]
    torch.set_num_threads(1)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    if type(model).__name__ != "Qwen2ForCausalLM":
        print(f"loaded {type(model).__name__}, not Qwen2ForCausalLM", file=sys.stderr)
        return 1
    tokenizer = PreTrainedTokenizerFast(tokenizer_file=f"{folder}/tokenizer.json")
    prompt = "<bos><user>" + question + "<assistant>" + ("<think>\n" if think else "")
    ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    generated = list(ids)
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits
        while len(generated) < model.config.max_position_embeddings:
            step = model(torch.tensor([generated])).logits[0, -1]
            token = int(torch.argmax(step))
            generated.append(token)
            if token == model.config.eos_token_id:
                break
    print("logits", tuple(logits.shape))
    print("prompt ids", ids)
    print("response", repr(tokenizer.decode(generated[len(ids):])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
