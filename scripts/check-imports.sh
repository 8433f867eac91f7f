#!/usr/bin/env bash
# Enforces the module import direction of ARCHITECTURE.md: the compute island never imports the
# storage island and vice versa; only VouchPipeline joins them; only VouchCommands imports
# ArgumentParser; VouchEngine stays free of Foundation.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
check() { # module, forbidden-regex
  local module="$1" forbidden="$2"
  [ -d "Sources/$module" ] || return 0
  if grep -rnE "^(@testable )?import ($forbidden)\b" "Sources/$module" --include=*.swift; then
    echo "check-imports: $module must not import ($forbidden)" >&2
    fail=1
  fi
}
check VouchEngine "Foundation|VouchCore|VouchStore|VouchLineage|VouchPipeline|VouchModels|GRDB|Crypto|CGit2|ArgumentParser"
check VouchModels "VouchCore|VouchStore|VouchLineage|VouchPipeline|GRDB|Crypto|CGit2|ArgumentParser"
check VouchCore "VouchEngine|VouchModels|VouchStore|VouchLineage|VouchPipeline|GRDB|CGit2|COpenBLAS|ArgumentParser"
check VouchStore "VouchEngine|VouchModels|VouchLineage|VouchPipeline|CGit2|COpenBLAS|ArgumentParser"
check VouchLineage "VouchEngine|VouchModels|VouchStore|VouchPipeline|GRDB|COpenBLAS|ArgumentParser"
check VouchPipeline "ArgumentParser|VouchCommands"
exit $fail
