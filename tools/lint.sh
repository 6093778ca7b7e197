#!/usr/bin/env bash
# Lint and types: ruff (rules in pyproject.toml's [tool.ruff]) over the code and tests, mypy
# (pyproject.toml's [tool.mypy]) over catalogue/. Installs both (the `lint` extra) first.
#   bash tools/lint.sh        (CATALOGUE_LINT_NO_INSTALL=1 skips the install, e.g. offline)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${CATALOGUE_LINT_NO_INSTALL:-}" ]; then
  python -m pip install --quiet --disable-pip-version-check -e '.[lint]'
fi
python -m ruff format --check --no-cache catalogue tests tools benchmarks build.py
python -m ruff check --no-cache catalogue tests tools benchmarks build.py
python -m mypy --cache-dir "${MYPY_CACHE_DIR:-${TMPDIR:-/tmp}/catalogue-mypy-cache}"
