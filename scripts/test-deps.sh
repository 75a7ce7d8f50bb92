#!/usr/bin/env bash
# System packages the tests need besides the venv and production mode's (prod-deps.sh):
# Node.js for the Telegram emulator (npm packages are installed by the tests themselves,
# from tests/telegram/package-lock.json), and Debian's chromium for the console's browser
# tests (driven by pip's playwright; never `playwright install`, which downloads a browser).
set -euo pipefail
missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
command -v chromium >/dev/null 2>&1 || missing+=(chromium chromium-driver)
exec "$(dirname "$0")/install-missing.sh" "${missing[@]}"
