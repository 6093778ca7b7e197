#!/usr/bin/env python3
"""The test suite's wall and CPU time, with every process it starts counted, Chromium's included.

    python benchmarks/bench_suite.py                          # the suite as tools/test.sh runs it
    python benchmarks/bench_suite.py -- -m "not browser"      # pytest arguments after --

`time` and /usr/bin/time count a child's CPU only once it has been waited for. The processes a
headless Chromium starts (renderers, its GPU and network services) are handed to init when the
browser closes, so those figures miss most of the browser tests' CPU (half the suite's, before
the browser tests ran on the headless shell). This script makes itself a child subreaper (Linux's
PR_SET_CHILD_SUBREAPER), so every process of the run is handed to it and reaped by it, runs pytest
as tools/test.sh does (-n CATALOGUE_TEST_WORKERS or auto, --dist loadfile), and prints wall
seconds, CPU seconds (user + system of every process of the run) and the load average before and
after: on a shared machine a wall figure means little without the load it was taken at, and the
CPU figure is the one to compare. Nothing is installed: run tools/test.sh once first.

The run gets a temporary folder of its own (TMPDIR, in the system's temporary folder), removed after
the figures are taken. Otherwise pytest, as it exits, deletes the oldest of the runs it keeps under
/tmp/pytest-of-<user>: tens of thousands of files written by some earlier run, by anyone who runs
pytest as the same user, which on a shared machine adds half a minute to a run that has nothing to
do with it. A run on a fresh machine (CI) deletes nothing either.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>


def become_subreaper() -> bool:
    """Orphans of the processes this one starts become its children (Linux); False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    status: int = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    return status == 0


def reap_all() -> None:
    """Wait for every child left, the orphans handed to this process included, so their CPU is counted."""
    while True:
        try:
            os.wait()
        except ChildProcessError:
            return


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    parser.add_argument(
        "--per-file", action="store_true", help="also print CPU seconds per test file (benchmarks/cpu_per_file.py)"
    )
    args = parser.parse_args(argv)
    counted = become_subreaper()
    workers = os.environ.get("CATALOGUE_TEST_WORKERS", "auto")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", workers, "--dist", "loadfile"]
    own = tempfile.mkdtemp(prefix="bench-suite-")
    env = {**os.environ, "TMPDIR": own}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as tools/test.sh: pytest keeps its rewritten test modules
    if args.per_file:
        figures = tempfile.mkdtemp(prefix="bench-suite-figures-")
        command += ["-p", "cpu_per_file"]
        env |= {
            "CATALOGUE_CPU_PER_FILE": figures,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "benchmarks"), env.get("PYTHONPATH")])),
        }
    before = os.getloadavg()
    started = time.perf_counter()
    done = subprocess.run([*command, *args.pytest_args], cwd=REPO, check=False, env=env)
    wall = time.perf_counter() - started
    reap_all()
    shutil.rmtree(own, ignore_errors=True)
    after = os.getloadavg()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"suite: wall {wall:.1f} s, CPU {used.ru_utime + used.ru_stime:.1f} s "
        f"(user {used.ru_utime:.1f}, system {used.ru_stime:.1f}) on {os.cpu_count()} cores; "
        f"load average {before[0]:.2f} before, {after[0]:.2f} after; pytest exit status {done.returncode}"
        + ("" if counted else "; orphaned processes not counted (no child subreaper here)")
    )
    if args.per_file:
        print_per_file(Path(figures))
        shutil.rmtree(figures, ignore_errors=True)
    return done.returncode


def print_per_file(folder: Path, tests: int = 25) -> None:
    """Each test file's CPU seconds, summed over the workers, heaviest first; then the heaviest tests,
    and the tests that waited longest (wall time beyond their CPU time: sleeps, timeouts, subprocesses
    of other users' load)."""
    spent: dict[str, list[float]] = {}
    for part in folder.glob("*.json"):
        spent |= json.loads(part.read_text(encoding="utf-8"))
    files: dict[str, float] = {}
    for test, (cpu, _) in spent.items():
        files[test.split("::")[0]] = files.get(test.split("::")[0], 0.0) + cpu
    print(f"CPU in tests: {sum(cpu for cpu, _ in spent.values()):.1f} s (the rest: start-up, collection)")
    for name, seconds in sorted(files.items(), key=lambda item: -item[1]):
        print(f"{seconds:7.1f} s  {name}")
    print(f"the {tests} heaviest tests (CPU, wall):")
    for name, (cpu, wall) in sorted(spent.items(), key=lambda item: -item[1][0])[:tests]:
        print(f"{cpu:7.1f} s {wall:7.1f} s  {name}")
    print(f"the {tests} tests that waited longest (wall minus CPU, CPU, wall):")
    for name, (cpu, wall) in sorted(spent.items(), key=lambda item: item[1][0] - item[1][1])[:tests]:
        print(f"{wall - cpu:7.1f} s {cpu:7.1f} s {wall:7.1f} s  {name}")


if __name__ == "__main__":
    sys.exit(main())
