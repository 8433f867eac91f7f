#!/usr/bin/env python3
"""Writes vouch's reference fixtures under Tests/Fixtures/ from libraries nobody here wrote.

Run by hand, never by CI:

    pip install torch transformers tokenizers safetensors
    python3 scripts/make_reference_fixtures.py [--only qwen2_models|tokenizer|safetensors_codec|adam|adapter|relp ...]

Each part lives in scripts/fixtures/<part>.py and exposes `generate(fixtures_dir: pathlib.Path)`.
Outputs are deterministic (fixed seeds) and small (the whole Tests/Fixtures/ stays under 5 MiB).
"""
import argparse
import importlib
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PARTS = ["qwen2_models", "tokenizer", "safetensors_codec", "adam", "adapter", "relp"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=PARTS, help="generate only these parts")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "scripts"))
    fixtures = ROOT / "Tests" / "Fixtures"
    for part in args.only or PARTS:
        module = importlib.import_module(f"fixtures.{part}")
        print(f"== {part}", file=sys.stderr)
        module.generate(fixtures)
    total = sum(p.stat().st_size for p in fixtures.rglob("*") if p.is_file())
    print(f"Tests/Fixtures: {total / 2**20:.2f} MiB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
