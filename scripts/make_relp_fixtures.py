#!/usr/bin/env python3
"""Writes the RelP attribution reference under Tests/Fixtures/relp/ (run by hand, never by CI).

The same as `python3 scripts/make_reference_fixtures.py --only relp`; the generator itself is
scripts/fixtures/relp.py (plain PyTorch from METHOD.md §6.4, float64 and float32, deterministic).
It reads the tiny models of Tests/Fixtures/adapter/, so only torch and safetensors are needed.
"""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    sys.exit(subprocess.call([sys.executable, str(ROOT / "scripts" / "make_reference_fixtures.py"),
                              "--only", "relp"]))
