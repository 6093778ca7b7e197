"""Save-to-reload time of `catalogue serve` on the shipped catalogue.

    python benchmarks/bench_preview.py [--edits 3]

Copies the repository's content, templates and settings into a temporary folder, starts the
live preview, then edits one entry's text several times and prints, for each, the seconds
from the save to the state the open page polls saying the site was rebuilt; a page reloads at
its next poll, at most preview.POLL_SECONDS later. Each save rebuilds the whole site (without the
search index): an edit at 25,000 entries needs the incremental build of the "World scale" issue.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from catalogue.preview import POLL_SECONDS, Preview  # noqa: E402
from catalogue.site import Project  # noqa: E402


def entry_files(folder: Path) -> list[Path]:
    """Entry files, not body translations (x.id.md)."""
    return sorted(p for p in folder.glob("*.md") if "." not in p.stem)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="catalogue-preview-bench-"))
    try:
        for name in ("content", "templates"):
            shutil.copytree(REPO / name, work / name)
        shutil.copy2(REPO / "catalogue.toml", work / "catalogue.toml")
        project = Project(work)
        started = time.perf_counter()
        preview = Preview(project, work / "out" / "site", 0, {"tiles": "none"}).start()
        print(f"first build: {time.perf_counter() - started:.2f} s")
        # An edit to an entry's text: every entry has one (its status is derived from its
        # observations now, so a status edit would need one entry's record rewritten).
        entry = entry_files(project.agreements)[0]
        text = entry.read_text(encoding="utf-8")
        state = f"http://127.0.0.1:{preview.port}/__preview/state"
        figures = []
        for n in range(args.edits):
            generation = json.loads(urllib.request.urlopen(state, timeout=30).read())["generation"]
            saved = time.perf_counter()
            entry.write_text(f"{text.rstrip()}\n\nEdit {n + 1}.\n", encoding="utf-8")
            while (now := json.loads(urllib.request.urlopen(state, timeout=30).read()))["generation"] == generation:
                time.sleep(POLL_SECONDS / 4)  # a page polls every POLL_SECONDS; this is four times as often
            figures.append(time.perf_counter() - saved)
            print(
                f"edit {n + 1} ({entry.name}, its text): rebuilt {figures[-1]:.2f} s after the save "
                f"(the rebuild itself {now['seconds']:.2f} s)"
            )
        preview.close()
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(
            f"save to reloaded page: {min(figures):.2f}–{max(figures):.2f} s, plus up to {POLL_SECONDS:.1f} s until "
            "the page's next poll"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
