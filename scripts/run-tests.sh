#!/usr/bin/env bash
# Set up, build and run the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
# The exact compute profile needs OpenBLAS's Haswell kernels; OpenBLAS reads this once, at load.
export OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-Haswell}"
scripts/setup.sh debug
# chromium, chromium-driver and Selenium for the report's browser test; exports
# VOUCH_BROWSER_PYTHON and VOUCH_BROWSER_REQUIRED=1 (a missing browser then fails the test).
source scripts/setup-browser.sh
scripts/check-imports.sh
# Formatting and documentation comments (.swift-format), as STYLE.md asks.
swift format lint --strict --recursive Sources Tests Benchmarks
swift build --build-tests >&2
# Passing tests are summarised by the runner's closing line; print everything else.
set +e
swift test --skip-build 2>&1 | tee "${TMPDIR:-/tmp}/vouch-test-output.txt" \
  | grep -vE '^(Test Case .* (started|passed)|Test Suite .* (started|passed)|◇ |✔ Test [^ ]*\(.* passed)'
status=${PIPESTATUS[0]}
set -e
exit "$status"
