#!/usr/bin/env bash
# Create the project's virtual environment with Python 3.10 (Rasa 3.6 runs on 3.8–3.10
# only) and install the locked dependencies. Usage: scripts/bootstrap.sh [VENV_DIR]
set -euo pipefail
venv=${1:-.venv}

is_python310() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

find_python() {
  local candidate
  # An explicit choice first, then PATH (a pyenv shim may exist yet not be active), then pyenv's versions.
  for candidate in "${PYTHON:-}" "$(command -v python3.10 || true)"; do
    if is_python310 "$candidate"; then echo "$candidate"; return; fi
  done
  local root
  root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
  for candidate in $(ls -d "$root"/versions/3.10.*/bin/python 2>/dev/null | sort -V -r); do
    if is_python310 "$candidate"; then echo "$candidate"; return; fi
  done
  return 1
}

if ! python=$(find_python); then
  cat >&2 <<'MSG'
error: Python 3.10 not found. Rasa 3.6 needs Python 3.8-3.10 (this project uses 3.10).
Install it, for example with `pyenv install 3.10` or your system's python3.10 package,
or point to it with PYTHON=/path/to/python3.10 make install.
MSG
  exit 1
fi

echo "Using $python ($("$python" --version))"
if ! is_python310 "$venv/bin/python"; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade "pip>=24,<27"
# One constraints file (the full lock) keeps every library within Rasa's pins.
"$venv/bin/python" -m pip install --quiet -r requirements.txt -c constraints.txt
"$venv/bin/python" -m pip check
