#!/usr/bin/env bash
# Tokenizer throughput: vouch's byte-level BPE against Hugging Face `tokenizers` (Rust, via
# Python) on the same text and the same tokenizer.json, single-threaded, from one run.
#
#   Benchmarks/tokenizer.sh [MEGABYTES]      (default 8; needs python3 with `tokenizers`)
#
# Prints MB/s for both, their ratio (target >= 1.0 is aspirational; the record is the number),
# and whether the ids are identical on the whole text. vouch's time is the `tokenize --file`
# run minus a run on empty text (process start + tokenizer.json load), best of 3.
set -euo pipefail
cd "$(dirname "$0")/.."
MB="${1:-8}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

swift build -c release --product vouch >/dev/null
VOUCH="$(swift build -c release --show-bin-path)/vouch"

python3 - "$WORK" "$MB" <<'PY'
import json, pathlib, random, sys, time
sys.path.insert(0, "scripts")
from fixtures import tokenizer as fixture
from tokenizers import Tokenizer

work, megabytes = pathlib.Path(sys.argv[1]), float(sys.argv[2])
for vocab in (4000, 32000):
    model = work / f"v{vocab}"
    model.mkdir()
    if vocab == 4000:
        (model / "tokenizer.json").write_bytes(pathlib.Path("Tests/Fixtures/tokenizer/tokenizer.json").read_bytes())
    else:
        tok = fixture.build_with_vocab(vocab) if hasattr(fixture, "build_with_vocab") else None
        if tok is None:
            continue
        tok.save(str(model / "tokenizer.json"))

# Text: the fixture's multilingual generator with a different seed (not the training text).
lines, size, seed = [], 0, 100
while size < megabytes * 1e6:
    for line in fixture.corpus(seed):
        lines.append(line)
        size += len(line.encode()) + 1
    seed += 1
text = "\n".join(lines)
(work / "text.txt").write_text(text)
print(f"text: {len(text.encode()) / 1e6:.1f} MB, {len(text)} characters", file=sys.stderr)

for model in sorted(p for p in work.iterdir() if p.is_dir()):
    tok = Tokenizer.from_file(str(model / "tokenizer.json"))
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        ids = tok.encode(text).ids
        best = min(best, time.perf_counter() - start)
    (model / "reference.json").write_text(json.dumps({"ids": ids, "seconds": best}))
PY

printf "%-8s %14s %14s %8s %s\n" vocab "vouch MB/s" "tokenizers MB/s" ratio "ids identical"
BYTES=$(stat -c %s "$WORK/text.txt")
for MODEL in "$WORK"/v*; do
  best_full=999999; best_empty=999999
  for _ in 1 2 3; do
    t0=$(date +%s.%N); "$VOUCH" model tokenize "$MODEL" --file "$WORK/text.txt" --json >"$WORK/ours.json"; t1=$(date +%s.%N)
    best_full=$(python3 -c "print(min($best_full, $t1 - $t0))")
    t0=$(date +%s.%N); "$VOUCH" model tokenize "$MODEL" --text "" --json >/dev/null; t1=$(date +%s.%N)
    best_empty=$(python3 -c "print(min($best_empty, $t1 - $t0))")
  done
  python3 - "$MODEL" "$WORK/ours.json" "$best_full" "$best_empty" "$BYTES" <<'PY'
import json, pathlib, sys
model, ours_path, full, empty, size = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
reference = json.loads((pathlib.Path(model) / "reference.json").read_text())
ours = json.loads(pathlib.Path(ours_path).read_text())["ids"]
vouch = size / 1e6 / max(full - empty, 1e-9)
theirs = size / 1e6 / reference["seconds"]
same = "yes" if ours == reference["ids"] else f"NO ({len(ours)} vs {len(reference['ids'])} ids)"
print(f"{pathlib.Path(model).name[1:]:<8} {vouch:14.2f} {theirs:14.2f} {vouch / theirs:8.2f} {same}")
PY
done
