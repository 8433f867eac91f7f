#!/usr/bin/env python3
"""Checks by hand that Hugging Face `tokenizers` reads vouch's organism tokenizer.json and gives
the same ids as vouch on generated texts (CI never runs this; it needs `pip install tokenizers`).

Usage:
  mkdir -p /tmp/organism && VOUCH_ORGANISM_SAMPLES_DIR=/tmp/organism \\
    swift test --filter OrganismVocabularyTests/generatedTextsRoundTrip
  python3 scripts/check_organism_tokenizer.py /tmp/organism

The test writes tokenizer.json (OrganismVocabulary.tokenizerJSON()) and samples.tsv (generated
base and reasoning texts, `\\n`-escaped, a tab, then vouch's ids). Exits 1 on any difference.
"""
import sys
from pathlib import Path

from tokenizers import Tokenizer

WORDS = ["wait", "hmm", "so", "ok", "check", "but"]


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append("\n" if text[i + 1] == "n" else text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def main() -> int:
    directory = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/organism")
    tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
    vocabulary = tokenizer.get_vocab(with_added_tokens=True)
    failures = 0
    # Every vocabulary item is a single token with its id.
    for content, token_id in sorted(vocabulary.items(), key=lambda item: item[1]):
        text = {"Ġ": " ", "Ċ": "\n"}.get(content, content)
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        if ids != [token_id]:
            print(f"item {text!r}: {ids} != [{token_id}]")
            failures += 1
    samples = 0
    for line in (directory / "samples.tsv").read_text().splitlines():
        escaped, ids_text = line.split("\t")
        text = unescape(escaped)
        expected = [int(value) for value in ids_text.split()]
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        decoded = tokenizer.decode(ids, skip_special_tokens=False)
        if ids != expected or decoded != text:
            print(f"sample {text!r}: hf {ids} vs vouch {expected}; decoded {decoded!r}")
            failures += 1
        samples += 1
    wait = vocabulary["wait"]
    print(
        f"vocabulary {len(vocabulary)} tokens (wait = {wait}, words "
        f"{[vocabulary[word] for word in WORDS]}); {samples} samples; {failures} differences")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
