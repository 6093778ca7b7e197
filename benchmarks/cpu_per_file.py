"""A pytest plugin: CPU seconds per test file, every process the tests start counted (Chromium's too).

    python benchmarks/bench_suite.py --per-file          # loads it into every pytest worker

Each test's CPU is what its process and all the processes below it used while it ran (setup and
teardown included): user + system time of the process and of each live descendant, plus what each
of them has already collected from children it waited for (/proc/<pid>/stat, Linux). A browser
tab's renderer that ends is collected by Chromium's own process, so its time stays in the sum. At
the end of the run every worker writes its figures into the folder named by CATALOGUE_CPU_PER_FILE,
which bench_suite.py reads and prints, heaviest file first. A measuring tool only: it reads /proc
for every test, so the run it measures is a little slower.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from pathlib import Path

import pytest

TICKS = os.sysconf("SC_CLK_TCK")
ENV = "CATALOGUE_CPU_PER_FILE"


def _stats() -> dict[int, tuple[int, int, int]]:
    """Every process's (parent, ticks of its own CPU, ticks its waited-for children used)."""
    out = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as file:
                text = file.read()
        except OSError:  # it ended meanwhile
            continue
        fields = text[text.rindex(b")") + 2 :].split()  # after "pid (name) "; name may hold spaces
        own, collected = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
        out[int(entry.name)] = (int(fields[1]), own, collected)
    return out


def tree(root: int) -> dict[int, tuple[int, int, int]]:
    """_stats() of root and every live process below it."""
    stats = _stats()
    children: dict[int, list[int]] = defaultdict(list)
    for pid, (parent, _, _) in stats.items():
        children[parent].append(pid)
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            out[pid] = stats[pid]
            todo.extend(children.get(pid, ()))
    return out


def spent(before: dict[int, tuple[int, int, int]], after: dict[int, tuple[int, int, int]]) -> float:
    """Seconds of CPU the tree used between two looks: each process's own time since the first look (all
    of it for a new one), and what its children used, as their parents collected it; a child that ended
    between the looks is collected whole by its parent, so what it had used before is taken off again."""
    ticks = 0
    for pid, (_, own, collected) in after.items():
        _, own_before, collected_before = before.get(pid, (0, 0, 0))
        ticks += own - own_before + collected - collected_before
    for pid, (parent, own, collected) in before.items():
        if pid not in after and parent in after:
            ticks -= own + collected
    return ticks / TICKS


_spent: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])  # per test id: CPU seconds, wall seconds


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    before, started = tree(os.getpid()), time.perf_counter()
    yield
    figures = _spent[item.nodeid]
    figures[0] += spent(before, tree(os.getpid()))
    figures[1] += time.perf_counter() - started


def pytest_sessionfinish(session):
    folder = os.environ.get(ENV)
    if folder:
        name = os.environ.get("PYTEST_XDIST_WORKER", "main")
        Path(folder, f"{name}.json").write_text(json.dumps(_spent), encoding="utf-8")
