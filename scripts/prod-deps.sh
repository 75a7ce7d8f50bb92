#!/usr/bin/env bash
# Debian's packages that production mode runs (make run-prod) and tests (make test):
# PostgreSQL, Redis and HAProxy.
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
exec "$(dirname "$0")/install-missing.sh" --required "${missing[@]}"
