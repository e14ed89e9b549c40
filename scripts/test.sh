#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite (what CI runs).
# System packages: git (the ledger is a git repository). Later issues add fonts etc. here.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v git >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq git
  else
    echo "please install git" >&2; exit 2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

# Tests commit to throwaway repositories; give git an identity where the machine has none.
export GIT_AUTHOR_NAME="${GIT_AUTHOR_NAME:-gridctl tests}" GIT_AUTHOR_EMAIL="${GIT_AUTHOR_EMAIL:-tests@gridctl.invalid}"
export GIT_COMMITTER_NAME="${GIT_COMMITTER_NAME:-gridctl tests}" GIT_COMMITTER_EMAIL="${GIT_COMMITTER_EMAIL:-tests@gridctl.invalid}"

.venv/bin/ruff check gridctl tests bench
.venv/bin/python -m pytest -q "$@"
