#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite (what CI runs).
# System packages: git (the ledger is a git repository), and what printing to PDF needs (below).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v git >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq git
  else
    echo "please install git" >&2; exit 2
  fi
fi

# Printing (gridctl print … --format pdf) and its tests: the Chinese font, HarfBuzz subsetting (without
# it a PDF takes 20–40 s), Graphviz for the chart layout, zbar to decode the cards' QR codes, and
# poppler-utils to look at pages. Installed only when missing.
need=()
fc-list 2>/dev/null | grep -q "Noto Sans CJK SC" || need+=(fonts-noto-cjk)
ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so.0" || need+=(libharfbuzz-subset0)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q "libzbar.so.0" || need+=(libzbar0)
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
  else
    echo "please install: ${need[*]} (printing and its tests need them)" >&2; exit 2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'


.venv/bin/ruff check gridctl tests bench
# Both cores (pytest-xdist): the suite is mostly one core waiting on the gridctl it started, so two
# workers halve its time on a 2-core CI machine. --dist loadfile keeps a file's tests, and the ledgers
# their module fixtures make once, on one worker.
.venv/bin/python -m pytest -q -n auto --dist loadfile "$@"
