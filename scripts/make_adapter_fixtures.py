#!/usr/bin/env python3
"""Writes the transcoder-adapter reference under Tests/Fixtures/adapter/ (run by hand, never by CI).

The same as `python3 scripts/make_reference_fixtures.py --only adapter`; the generator itself is
scripts/fixtures/adapter.py (PyTorch + transformers, float64, deterministic).
"""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    sys.exit(subprocess.call([sys.executable, str(ROOT / "scripts" / "make_reference_fixtures.py"),
                              "--only", "adapter"]))
