#!/usr/bin/env bash
# Tokenizer throughput: vouch's byte-level BPE against Hugging Face `tokenizers` (Rust, via
# Python) on the same generated multilingual text and the same tokenizer.json, from one run.
#
#   Benchmarks/tokenizer.sh [MEGABYTES]      (default 8; needs python3 with `tokenizers`)
#
# For each vocabulary (the 4k fixture, and a 32k one trained here with Qwen2's settings) it prints
# MB/s of CPU time (user + sys, best of 3 — the machine is shared, so wall time is noisy; wall
# MB/s is printed too) for:
#   vouch       `vouch model tokenize DIR --file TEXT --json`, minus the same run on empty text
#               (process start + tokenizer.json load); one thread
#   hf whole    Tokenizer.encode(text) on the whole text in one call
#   hf lines    encode_batch over the text's lines, TOKENIZERS_PARALLELISM=false (one thread)
# and the ratio vouch / best of the two HF numbers, and whether vouch's ids equal HF's on the
# whole text. Last, a differential check: ids on 20 texts of 5,000 random scalars drawn from all
# of Unicode (marks, jamo, tags, supplementary planes, added tokens, contractions) must match.
set -euo pipefail
cd "$(dirname "$0")/.."
MB="${1:-8}"
swift build -c release --product vouch >/dev/null
VOUCH="$(swift build -c release --show-bin-path)/vouch"

TOKENIZERS_PARALLELISM=false RAYON_NUM_THREADS=1 python3 - "$VOUCH" "$MB" <<'PY'
import json, os, pathlib, random, resource, subprocess, sys, tempfile, time
sys.path.insert(0, "scripts")
from fixtures import tokenizer as fixture
from tokenizers import Tokenizer

vouch, megabytes = sys.argv[1], float(sys.argv[2])
work = pathlib.Path(tempfile.mkdtemp(prefix="vouch-tokenizer-bench-"))

def cpu_self():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def best_of(n, run):
    cpu, wall = float("inf"), float("inf")
    for _ in range(n):
        c, w = run()
        cpu, wall = min(cpu, c), min(wall, w)
    return cpu, wall

def timed_self(body):
    def run():
        c0, w0 = cpu_self(), time.perf_counter()
        body()
        return cpu_self() - c0, time.perf_counter() - w0
    return run

def timed_vouch(args, out):
    def run():
        c0, w0 = cpu_children(), time.perf_counter()
        with open(out, "wb") as sink:
            subprocess.run([vouch, *args], stdout=sink, check=True)
        return cpu_children() - c0, time.perf_counter() - w0
    return run

models = {}
for vocab in (4000, 32000):
    folder = work / f"vocab-{vocab}"
    folder.mkdir()
    tok = fixture.build() if vocab == 4000 else fixture.build_with_vocab(vocab)
    tok.save(str(folder / "tokenizer.json"))
    models[vocab] = folder

lines, size, seed = [], 0, 100
while size < megabytes * 1e6:
    for line in fixture.corpus(seed):
        lines.append(line)
        size += len(line.encode()) + 1
    seed += 1
text = "\n".join(lines)
text_path = work / "text.txt"
text_path.write_text(text)
nbytes = len(text.encode())
print(f"text: {nbytes / 1e6:.1f} MB generated multilingual (latin, accents, cyrillic, greek, "
      f"CJK, kana, hangul, arabic, emoji, numbers), {len(lines)} lines")
print(f"{'vocab':>6} {'vouch':>9} {'hf whole':>9} {'hf lines':>9} {'ratio':>6}  "
      f"{'vouch wall':>10} {'hf wall':>8}  ids identical   (MB/s; start+load ms CPU)")
for vocab, folder in models.items():
    hf = Tokenizer.from_file(str(folder / "tokenizer.json"))
    ids_hf = []
    def whole():
        ids_hf[:] = hf.encode(text).ids
    hf_whole = best_of(3, timed_self(whole))
    hf_lines = best_of(3, timed_self(lambda: hf.encode_batch(lines)))
    out = work / "ids.json"
    full = best_of(3, timed_vouch(["model", "tokenize", str(folder), "--file", str(text_path), "--json"], out))
    ids_vouch = json.loads(out.read_text())["ids"]
    empty = best_of(3, timed_vouch(["model", "tokenize", str(folder), "--text", "", "--json"], work / "e.json"))
    mbs = lambda seconds: nbytes / 1e6 / max(seconds, 1e-9)
    ours = mbs(full[0] - empty[0])
    theirs = max(mbs(hf_whole[0]), mbs(hf_lines[0]))
    same = "yes" if ids_vouch == ids_hf else f"NO ({len(ids_vouch)} vs {len(ids_hf)})"
    print(f"{vocab:>6} {ours:9.2f} {mbs(hf_whole[0]):9.2f} {mbs(hf_lines[0]):9.2f} "
          f"{ours / theirs:6.2f}  {mbs(full[1] - empty[1]):10.2f} "
          f"{max(mbs(hf_whole[1]), mbs(hf_lines[1])):8.2f}  {same:<14} {empty[0] * 1000:.0f}")

rng = random.Random(7)
blocks = [(0x0, 0x7F), (0x80, 0x2FF), (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x52F),
          (0x590, 0x6FF), (0x900, 0x97F), (0x1100, 0x11FF), (0x2000, 0x206F), (0x2100, 0x214F),
          (0x3000, 0x30FF), (0xAC00, 0xAC40), (0xF900, 0xFAFF), (0xFB00, 0xFB4F), (0xFF00, 0xFFEF),
          (0x1D400, 0x1D4FF), (0x1F300, 0x1FAFF), (0x10000, 0x1007F), (0xE0000, 0xE007F),
          (0x0, 0x10FFFF)]
folder = models[4000]
hf = Tokenizer.from_file(str(folder / "tokenizer.json"))
mismatches = 0
for trial in range(20):
    chars = []
    for _ in range(5000):
        lo, hi = rng.choice(blocks)
        c = rng.randint(lo, hi)
        if 0xD800 <= c <= 0xDFFF or c == 0:
            continue
        chars.append(chr(c))
        r = rng.random()
        if r < 0.15:
            chars.append(" ")
        elif r < 0.17:
            chars.append(rng.choice(["<|im_end|>", "'s", "'LL", "\r\n", "  ", "\t"]))
    sample = "".join(chars)
    (work / "random.txt").write_text(sample)
    out = subprocess.run([vouch, "model", "tokenize", str(folder), "--file", str(work / "random.txt"),
                          "--json"], capture_output=True, check=True).stdout
    mismatches += json.loads(out)["ids"] != hf.encode(sample).ids
print(f"random-Unicode differential check: {20 - mismatches} of 20 texts give identical ids")
PY
