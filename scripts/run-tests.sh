#!/usr/bin/env bash
# Set up, build and run the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
# The exact compute profile needs OpenBLAS's Haswell kernels; OpenBLAS reads this once, at load.
export OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-Haswell}"
scripts/setup.sh debug
scripts/check-imports.sh
swift build --build-tests >&2
swift test --skip-build --parallel --num-workers 2 2>&1 | tee /tmp/vouch-test-output.txt | grep -vE '^(Test Case|Test Suite|◇ Test|✔ Test [a-zA-Z]+\(\) passed|\[[0-9]+/[0-9]+\])' || true
exit "${PIPESTATUS[0]}"
