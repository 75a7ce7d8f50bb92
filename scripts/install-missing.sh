#!/usr/bin/env bash
# Installs the Debian packages given as arguments (those found missing), as root with apt-get.
# Elsewhere it says what is missing: a warning, or an error with --required first.
set -euo pipefail
required=0
if [ "${1:-}" = "--required" ]; then required=1; shift; fi
[ $# -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing $*…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
elif [ "$required" -eq 1 ]; then
  echo "error: $* missing; install them (Debian: apt-get install $*)" >&2
  exit 1
else
  echo "warning: $* missing and cannot be installed here; the tests that need them will say so" >&2
fi
