#!/usr/bin/env bash
# The main job: set up, build (release), run the demonstration and reproduce the model organism.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
exec scripts/demo.sh "$(swift build -c release --show-bin-path)/vouch"
