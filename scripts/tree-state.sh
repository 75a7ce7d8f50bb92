#!/usr/bin/env bash
# What git sees of the tree (changed and new files, and the content of the changes), so that
# `make test` can check that the tests left it as they found it: they write under var/
# (ignored), and only `make bench` writes results/. Prints nothing outside a git checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || exit 0
git status --porcelain=v1
git diff HEAD | sha1sum
