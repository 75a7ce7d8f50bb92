#!/usr/bin/env bash
# System packages the tests need besides the venv: Debian's PostgreSQL server (tests run
# part of the suite on it), Node.js for the Telegram emulator (npm packages are
# installed by the tests themselves, from tests/telegram/package-lock.json), and Debian's
# chromium for the console's browser tests (driven by pip's playwright; never
# `playwright install`, which downloads a browser).
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
command -v chromium >/dev/null 2>&1 || missing+=(chromium chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]}…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "warning: ${missing[*]} missing and cannot be installed here; the tests that need them will say so" >&2
  fi
fi
