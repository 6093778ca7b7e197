"""Save-to-reloaded-page time of `catalogue serve`, in Chromium: the shipped catalogue, then N pairs.

    python benchmarks/bench_preview.py [--edits 3] [--pairs 25000] [--tmp /dev/shm]

For each catalogue (a copy of the shipped content, templates and settings; with --pairs, also N pairs
of the 26k-pair corpus written as benchmarks/bench_build.py writes them), in a temporary folder
committed to a fresh git repository: starts the live preview (its first build, a full one, is
timed), opens an entry's page in Chromium and saves an edit of that entry's text several times,
then opens another entry's page and changes its status. Printed for each save: the seconds from
the save to the open page showing the edit, having reloaded itself (the watcher saw the save, the
site was rebuilt, the page's held question was answered, the page fetched and drawn again), the
rebuild's own seconds, and the CPU seconds this process spent meanwhile (the rebuild, the watcher,
the server). Chromium is found as the browser tests find it (tests/chromium.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))

from catalogue.preview import Preview  # noqa: E402
from catalogue.site import Project  # noqa: E402

WAIT_MS = 600_000  # a rebuild at 25,000 entries on a busy machine
STATUS = (("\nstatus: active\n", "\nstatus: stalled\n"), ("    kind: activity\n", "    kind: reported-stalled\n"))
BADGE = "() => document.querySelector('.status-line .badge')?.textContent.trim()"
ACTIVE = 'status-line"><span class="badge badge-active"'  # an agreement page that shows the tie active
GENERATION = "() => document.documentElement.dataset.previewGeneration"  # the build the preview served the page from


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def entry_files(root: Path) -> list[Path]:
    """Entry files, not body translations (x.id.md)."""
    return sorted(p for p in (root / "content" / "agreements").glob("*.md") if "." not in p.stem)


def commit(root: Path) -> None:
    git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    env = {**os.environ, "GIT_COMMITTER_DATE": "2025-01-01T00:00:00Z", "GIT_AUTHOR_DATE": "2025-01-01T00:00:00Z"}
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "benchmark content"], check=True, env=env)


def shipped(root: Path) -> str:
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    toml = (REPO / "catalogue.toml").read_text(encoding="utf-8")
    (root / "catalogue.toml").write_text(toml if "tiles" in toml else toml + '\ntiles = "none"\n', encoding="utf-8")
    commit(root)
    return f"shipped catalogue ({len(entry_files(root))} entries)"


def corpus(root: Path, pairs: int) -> str:
    from bench_build import corpus_records, write_project

    records, _ = corpus_records(pairs)
    write_project(root, records)
    return f"{len(records)} entries of the 26k-pair corpus"


def status_edit(root: Path, site: Path) -> tuple[Path, str, str] | None:
    """An entry its page shows active, a third of the way along those, and the edit that makes it stalled (its
    status line, or its newest 'activity' observation reported stalled)."""
    for old, new in STATUS:
        live = [
            f
            for f in entry_files(root)
            if old in f.read_text(encoding="utf-8")
            and ACTIVE in (site / "en" / "agreements" / f"{f.stem}.html").read_text()
        ]
        if live:
            return live[len(live) // 3], old, new
    return None


def bench(label: str, root: Path, edits: int) -> None:
    from playwright.sync_api import sync_playwright

    from chromium import find_chromium

    project = Project(root)
    print(f"\n{label}; load average {load()}", flush=True)
    started, cpu = time.perf_counter(), time.process_time()
    preview = Preview(project, root.parent / "out" / "site", 0, {"tiles": "none"}).start()
    print(
        f"  first build (every core): {time.perf_counter() - started:.2f} s wall, "
        f"{time.process_time() - cpu:.2f} s CPU in this process",
        flush=True,
    )
    base = f"http://127.0.0.1:{preview.port}/"
    # Chromium is started after the first build, which forks its workers: Playwright runs threads of its own.
    playwright = sync_playwright().start()
    found = find_chromium()
    executable = {"executable_path": str(found.path)} if found.path else {}
    browser = playwright.chromium.launch(args=["--no-sandbox", "--disable-gpu"], **executable)
    page = browser.new_page()
    try:
        figures = []

        def saved(file: Path, text: str, shown: str, what: str) -> None:
            wall, cpu = time.perf_counter(), time.process_time()
            file.write_text(text, encoding="utf-8")
            page.wait_for_function(shown, timeout=WAIT_MS)
            seconds, used = time.perf_counter() - wall, time.process_time() - cpu
            state = json.loads(urllib.request.urlopen(base + "__preview/state", timeout=60).read())
            figures.append(seconds)
            print(
                f"  {what}: page reloaded {seconds:.2f} s after the save (the rebuild {state['seconds']:.2f} s; "
                f"{used:.2f} s CPU here); load {load()}",
                flush=True,
            )

        entry = entry_files(root)[len(entry_files(root)) // 2]
        page.goto(f"{base}en/agreements/{entry.stem}.html")
        text = entry.read_text(encoding="utf-8")
        for n in range(edits):
            marker = f"Edited by the preview benchmark, edit {n + 1}."
            saved(
                entry,
                f"{text.rstrip()}\n\n{marker}\n",
                f"() => document.body.innerText.includes({marker!r})",
                f"edit {n + 1}, {entry.name}'s text",
            )
        found = status_edit(root, preview.out)
        if found is not None:
            file, old, new = found
            page.goto(f"{base}en/agreements/{file.stem}.html")
            before, generation = page.evaluate(BADGE), page.evaluate(GENERATION)
            text = file.read_text(encoding="utf-8")
            at = text.rindex(old)
            # Reloaded from a newer build (a status the page already showed, when its age made it so, would
            # never change the badge).
            saved(
                file,
                text[:at] + new + text[at + len(old) :],
                f"() => ({GENERATION})() !== {json.dumps(generation)}",
                f"{file.name}'s {old.strip().split(':')[0]} line",
            )
            print(f"    its badge: {before} → {page.evaluate(BADGE)}")
        print(f"  save to reloaded page: {min(figures):.2f}–{max(figures):.2f} s; load average {load()}", flush=True)
    finally:
        browser.close()
        playwright.stop()
        preview.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=3, help="text edits of one entry (then one status change)")
    parser.add_argument("--pairs", type=int, default=0, help="also a catalogue of this many corpus pairs, e.g. 25000")
    parser.add_argument("--tmp", default=None, help="where the temporary catalogues go (e.g. a tmpfs)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    for make in [shipped] + ([lambda root: corpus(root, args.pairs)] if args.pairs else []):
        work = Path(tempfile.mkdtemp(prefix="catalogue-preview-bench-", dir=args.tmp))
        try:
            bench(make(work / "catalogue"), work / "catalogue", args.edits)
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
