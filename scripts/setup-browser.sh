#!/usr/bin/env bash
# Installs, idempotently, what the browser test of `vouch report` needs: Debian's chromium and
# chromium-driver, and Selenium from PyPI in a virtual environment under .build-venv/ (git-ignored).
# Source it (scripts/run-tests.sh does) to export where they are:
#   VOUCH_BROWSER_PYTHON    the venv's python, which has selenium
#   VOUCH_BROWSER_REQUIRED  1: the end-to-end report test fails, not skips, when the browser is missing
# Fast when everything is there already: one dpkg query and one import.
set -euo pipefail
browser_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

browser_missing=()
for package in chromium chromium-driver; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || browser_missing+=("$package")
done
if ((${#browser_missing[@]})); then
  browser_sudo=""
  if [ "$(id -u)" -ne 0 ]; then browser_sudo="sudo"; fi
  echo "setup-browser: installing ${browser_missing[*]}" >&2
  $browser_sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $browser_sudo apt-get install -y -qq "${browser_missing[@]}" >&2
fi

browser_venv="$browser_root/.build-venv"
if ! "$browser_venv/bin/python" -c "import selenium" 2>/dev/null; then
  echo "setup-browser: installing selenium into $browser_venv" >&2
  python3 -m venv "$browser_venv" >&2
  "$browser_venv/bin/python" -m pip install -q "selenium>=4.10,<5" >&2
fi

export VOUCH_BROWSER_PYTHON="$browser_venv/bin/python"
export VOUCH_BROWSER_REQUIRED=1
