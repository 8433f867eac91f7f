"""PyTorch reference for Benchmarks/analysis.sh: generation with adapters and RelP attribution.

Loads what `vouch-engine-benchmark analysis-bench … DIR` saved (tiny-A R and B, sparse random
adapters, the prompts and vouch's outputs) and runs, float32 on CPU:

  generate  the replacement model (transformers' Qwen2ForCausalLM of R, each layer's MLP swapped
            for B's MLP + adapter, scripts/fixtures/adapter.py's ReplacementMLP), greedy, KV cache
            (a hand loop over past_key_values), no stop token, the same budget as vouch: tokens/s
  relp      the graph of the "wait" logit on each attribution prompt with RelP as
            scripts/fixtures/relp.py writes it (its Model: the forward with RelP stop-gradients),
            one forward per graph, then one backward per row (retain_graph), the same rows as
            vouch (the logit, then every active feature at positions > 0 in canonical order),
            each read out as gradient x input at every leaf: graphs/s and rows/s

and checks the results against vouch's (generated tokens; node sets, logit values and edges).
OMP_WAIT_POLICY defaults to PASSIVE: with OpenMP's default spinning, torch at 2 threads on a 2-core
machine that is doing anything else collapses (about 6 tokens/s instead of 160 here), which would
measure the load, not torch.
Usage: python3 scripts/bench_analysis_torch.py DIR THREADS
Prints: torch threads=N generate … tokens/s=…   and   torch threads=N relp … rows/s=…
"""
import json
import os
import pathlib
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # read when torch loads OpenMP

import torch  # noqa: E402
from safetensors.torch import load_file  # noqa: E402
from transformers import Qwen2ForCausalLM  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from fixtures import adapter as adapter_reference  # noqa: E402  (scripts/fixtures/adapter.py)
from fixtures import relp as relp_reference  # noqa: E402  (scripts/fixtures/relp.py)


def adapter_tensors(folder: pathlib.Path, layers: int):
    tensors = load_file(str(folder / "adapters.safetensors"))
    names = ["encoder.weight", "encoder.bias", "decoder.weight", "decoder.bias"]
    return [[tensors[f"adapter.layers.{i}.{n}"] for n in names] for i in range(layers)]


def replacement_model(folder: pathlib.Path):
    target = Qwen2ForCausalLM.from_pretrained(folder / "target", attn_implementation="eager").eval()
    base = Qwen2ForCausalLM.from_pretrained(folder / "base", attn_implementation="eager").eval()
    layers = target.model.layers
    for i, tensors in enumerate(adapter_tensors(folder, len(layers))):
        layers[i].mlp = adapter_reference.ReplacementMLP(
            base.model.layers[i].mlp, adapter_reference.Adapter(*tensors))
    for parameter in target.parameters():
        parameter.requires_grad_(False)
    return target


def generate(model, prompt, new_tokens):
    """Greedy with a KV cache, exactly `new_tokens` tokens (no stop token)."""
    out = model(input_ids=torch.tensor([prompt]), use_cache=True)
    cache, generated = out.past_key_values, []
    for _ in range(new_tokens):
        token = int(torch.argmax(out.logits[0, -1]))
        generated.append(token)
        if len(generated) == new_tokens:
            break
        out = model(input_ids=torch.tensor([[token]]), past_key_values=cache, use_cache=True)
        cache = out.past_key_values
    return generated


def relp_model(folder: pathlib.Path):
    """scripts/fixtures/relp.py's Model on the saved R, B and adapters (float32)."""
    model = relp_reference.Model.__new__(relp_reference.Model)
    config = json.loads((folder / "target" / "config.json").read_text())
    model.d = config["hidden_size"]
    model.heads = config["num_attention_heads"]
    model.kv_heads = config["num_key_value_heads"]
    model.head_dim = config.get("head_dim") or model.d // model.heads
    model.layers = config["num_hidden_layers"]
    model.eps = config["rms_norm_eps"]
    model.theta = config["rope_parameters"]["rope_theta"]
    model.t = load_file(str(folder / "target" / "model.safetensors"))
    model.b = load_file(str(folder / "base" / "model.safetensors"))
    model.a = load_file(str(folder / "adapters.safetensors"))
    model.dtype = torch.float32
    return model


def graph(model, ids, token):
    """The logit row and every active-feature row (positions > 0, canonical order): one forward,
    one RelP backward per row, each row's feature edges (f * df), token edges and bias total."""
    run = model.forward(ids)
    leaves = [run["h0"]] + run["f"] + run["bv"] + run["bdec"]
    layers = model.layers
    features = [f.detach() for f in run["f"]]
    masks = [f > 0 for f in features]
    active = [(layer, position, index) for layer, mask in enumerate(masks)
              for position, index in mask.nonzero().tolist()]
    embedding = model.t["model.embed_tokens.weight"][ids]
    head = model.t["lm_head.weight"]
    values = [((head[token] - head.mean(0)) * run["z"][-1]).sum()]
    for layer, position, index in active:
        if position > 0:
            encoder = model.a[f"adapter.layers.{layer}.encoder.weight"][index]
            values.append((encoder * run["u"][layer][position]).sum())
    rows = []
    for value in values:
        grads = torch.autograd.grad(value, leaves, retain_graph=True, allow_unused=True)
        edges = [(features[i] * grads[1 + i])[masks[i]] for i in range(layers)
                 if grads[1 + i] is not None]
        tokens = (grads[0] * embedding).sum(-1)
        bias = sum(float((g * leaf).sum()) for g, leaf in zip(grads[1 + layers:],
                                                              leaves[1 + layers:])
                   if g is not None)
        rows.append((float(value), torch.cat(edges) if edges else None, tokens, bias))
    return active, rows


def main() -> None:
    folder, threads = pathlib.Path(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    data = json.loads((folder / "analysis.json").read_text())

    model = replacement_model(folder)
    prompts, new_tokens = data["generation_prompts"], data["new_tokens"]
    best = float("inf")
    with torch.inference_mode():
        generated = [generate(model, prompt, new_tokens) for prompt in prompts]  # warm-up
        for _ in range(3):
            start = time.perf_counter()
            generated = [generate(model, prompt, new_tokens) for prompt in prompts]
            best = min(best, time.perf_counter() - start)
    count = sum(len(g) for g in generated)
    same = sum(g == v for g, v in zip(generated, data["generated"]))
    print(f"torch threads={threads} generate prompts={len(prompts)} new-tokens={new_tokens} "
          f"tokens={count} seconds={best:.4f} tokens/s={count / best:.1f} "
          f"same-tokens-as-vouch={same}/{len(prompts)}", flush=True)

    relp = relp_model(folder)
    prompts, token = data["attribution_prompts"], data["token"]
    graph(relp, prompts[0], token)  # warm-up
    start = time.perf_counter()
    graphs = [graph(relp, ids, token) for ids in prompts]
    seconds = time.perf_counter() - start
    rows = sum(len(r) for _, r in graphs)
    # Against vouch: the same nodes, and the logit row (value, edges from the feature nodes and
    # tokens 1…T-1; vouch zeroes token 0's edges).
    same_nodes, worst = 0, 0.0
    for (active, rows_of), ids, check in zip(graphs, prompts, data["graphs"]):
        nodes = [list(a) for a in active if a[1] > 0]
        same_nodes += nodes == check["features"]
        value, edges, tokens, _ = rows_of[0]
        mine = [edges[i] for i, a in enumerate(active) if a[1] > 0] + [0.0] + tokens[1:].tolist()
        theirs = check["logit_edges"]
        scale = max(abs(x) for x in theirs) or 1.0
        if len(mine) == len(theirs):
            worst = max([worst, abs(value - check["value"]) / max(abs(check["value"]), 1e-30)]
                        + [abs(float(a) - b) / scale for a, b in zip(mine, theirs)])
        else:
            worst = float("inf")
    print(f"torch threads={threads} relp graphs={len(prompts)} tokens={len(prompts[0])} "
          f"rows={rows} seconds={seconds:.4f} graphs/s={len(prompts) / seconds:.3f} "
          f"rows/s={rows / seconds:.1f} same-nodes-as-vouch={same_nodes}/{len(prompts)} "
          f"logit-row-difference={worst:.1e}", flush=True)


if __name__ == "__main__":
    main()
