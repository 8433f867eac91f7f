#!/usr/bin/env bash
# A short demonstration of the store on generated data (replaced by the miniature reproduction later):
# init in a temporary git repository, add a dataset file and a model folder, status, modify,
# status, checkout (refusing to clobber an unstored edit), add, checkout, check and gc --dry-run
# (which finds the first version of the dataset no manifest needs any more); then a pipeline, a
# model folder, and the model organism with its transcoder adapters: its shipped outputs fetched
# from artifacts/organism/ (the default remote), verified against the lock, and the pipeline
# reproduced from its seeds, and its report written to report/.
set -euo pipefail
vouch="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
demo="$(mktemp -d "${TMPDIR:-/tmp}/vouch-demo.XXXXXX")"
trap 'chmod -R u+w "$demo"; rm -rf "$demo"' EXIT
cd "$demo"
step() { printf '\n$ vouch %s\n' "$*"; "$vouch" "$@"; }

echo "vouch $("$vouch" --version) — demo workspace in $demo"
git init -q .
python3 - <<'PY'
import json, os, random, struct
rng = random.Random(2)
os.makedirs("data", exist_ok=True)
with open("data/train.csv", "w") as f:
    f.write("a,b,sum\n")
    for _ in range(20000):
        a, b = rng.randrange(100), rng.randrange(100)
        f.write(f"{a},{b},{a + b}\n")
# A tiny Hugging Face style model folder: config.json + one safetensors file of two f32 tensors.
os.makedirs("models/tiny", exist_ok=True)
with open("models/tiny/config.json", "w") as f:
    json.dump({"model_type": "qwen2", "hidden_size": 64, "num_hidden_layers": 1}, f)
tensors = {"embed.weight": (128, 64), "lm_head.weight": (128, 64)}
header, offset = {}, 0
for name, shape in tensors.items():
    size = shape[0] * shape[1] * 4
    header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + size]}
    offset += size
blob = json.dumps(header).encode()
with open("models/tiny/model.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(blob)) + blob)
    f.write(b"".join(struct.pack("<f", rng.gauss(0, 0.02)) for _ in range(offset // 4)))
PY

step init
step add data/train.csv models/tiny
echo; echo "\$ cat manifests/artifacts/data/train.csv.json"; cat manifests/artifacts/data/train.csv.json
echo "\$ cat .gitignore"; cat .gitignore
step status
echo; echo "\$ echo '1,1,2' >> data/train.csv && rm models/tiny/config.json"
echo '1,1,2' >> data/train.csv
rm models/tiny/config.json
step status
step checkout data/train.csv || echo "(exit status $?: the edit is not stored, so checkout refuses)"
step add data/train.csv
step checkout
step status
step ls
step check
step gc --dry-run

echo; echo "== Part 2: a pipeline with a claim (examples/metric-pipeline), run and reproduced"
pipeline="$demo/pipeline"
mkdir -p "$pipeline" && cp -R "$root/examples/metric-pipeline/." "$pipeline/" && cd "$pipeline"
git init -q .
author=()
git config user.name >/dev/null || author=(--author "vouch demo <demo@vouch.invalid>")
step init
step run "${author[@]}"
step reproduce
step lineage results/metric.json
step verify

echo; echo "== Part 3: a Qwen2 model folder (a committed tiny reference fixture)"
model="$root/Tests/Fixtures/qwen2/untied-f32-headdim"
if [ -d "$model" ]; then
  step model inspect "$model"
  step model logits "$model" --ids 1,2,3
fi

echo; echo "== Part 4: the model organism (manifests/organism.pipeline.toml), fetched, verified, reproduced"
echo "   data → base model B → reasoning model R → MLP-only control → evaluation → transcoder"
echo "   adapters B→R (and control) → faithfulness, generation, λ sweep, features, attribution,"
echo "   hesitation study, figures; 34 stages, about 20 minutes on 2 cores"
cd "$root"
[ -d .vouch ] || "$vouch" init >/dev/null
# The reference outputs ship in artifacts/organism/, a filesystem remote committed to git.
step remote list
step fetch
step verify
# With the shipped models in the store, one stage reproduces on its own in seconds...
step reproduce manifests/organism.pipeline.toml --stage evaluation
# ...and the whole chain reproduces from its seeds: the verdict table.
step reproduce manifests/organism.pipeline.toml
# The analyses' outputs are artifacts like any other: the feature labels browse from the shell,
# and the hesitation study's numbers are claims the verdict table above already judged.
step checkout organism/features organism/hesitation.json
step features top --by logit wait --limit 5
# The report: every stage's figures, claims with the verdicts of the reproduction above, lineage.
step report organism
echo "open $root/report/index.html in a browser (or: vouch report --open)"
