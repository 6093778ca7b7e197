#!/usr/bin/env bash
# The test command: installs what the tests need, then runs them all.
#   bash tools/test.sh            (any pytest arguments may follow, e.g. -m "not browser")
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -e '.[test]'

# A Chromium for the browser tests, in the order tests/chromium.py looks for one: CATALOGUE_CHROMIUM
# if set, else Debian's headless shell (/usr/bin/chromium-headless-shell: the browser tests' tabs
# cost a third of the CPU they cost the full browser), else Debian's /usr/bin/chromium, else
# Playwright's own browser. A Debian machine that has the browser but not the shell gets the shell
# only when this runs as root (CI, a container): nobody is asked for a sudo password to save CPU.
# CATALOGUE_CHROMIUM=playwright asks for Playwright's own (the pull-request workflow does: a hosted
# runner's /usr/bin/chromium is its image's Chromium snapshot of the week).
if [ "${CATALOGUE_CHROMIUM:-}" = playwright ]; then
  python -m playwright install --with-deps chromium
elif [ -z "${CATALOGUE_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium-headless-shell ] \
  && { [ "$(id -u)" = 0 ] || [ ! -x /usr/bin/chromium ]; }; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  if grep -qsx 'ID=debian' /etc/os-release; then
    # Debian packages the real browser and its headless shell (this works offline from a local mirror).
    $SUDO apt-get update -qq || [ -x /usr/bin/chromium ]  # offline, with the browser: keep to it
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium-headless-shell >/dev/null \
      || [ -x /usr/bin/chromium ] \
      || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  elif [ ! -x /usr/bin/chromium ]; then
    # Ubuntu's chromium package is a snap stub that does not run on CI runners or in containers:
    # Playwright downloads its own Chromium (and headless shell) and installs the libraries it needs.
    python -m playwright install --with-deps chromium
  fi
fi

# Test sites are written to memory (tmpfs) where the machine has room for them: the suite writes and
# deletes tens of thousands of small files, a third of its wall time on disk. TMPDIR, if set, wins.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] \
  && [ "$(df -Pk /dev/shm | awk 'NR==2 {print $4}')" -gt 2000000 ]; then
  export TMPDIR=/dev/shm
fi

# pytest keeps each test module's assertion-rewritten bytecode in __pycache__ (ignored by git) for
# the next run; an environment that sets PYTHONDONTWRITEBYTECODE makes every worker of every run
# parse and rewrite all test modules again (about 2 s of CPU a worker on a two-core machine).
unset PYTHONDONTWRITEBYTECODE

# On every core (pytest-xdist), whole test files per worker so each file's shared builds and
# browser are made once; CATALOGUE_TEST_WORKERS=0 runs in one process.
python -m pytest -n "${CATALOGUE_TEST_WORKERS:-auto}" --dist loadfile "$@"
