"""Save-to-reload time of `catalogue serve` on the shipped catalogue.

    python benchmarks/bench_preview.py [--edits 3]

Copies the repository's content, templates and settings into a temporary folder, starts the
live preview, then edits one entry's status several times and prints, for each, the seconds
from the save to the state the open page polls saying the site was rebuilt; a page reloads at
its next poll, at most preview.POLL_SECONDS later. Each save rebuilds the whole site (without the
search index): an edit at 25,000 entries needs the incremental build of the "World scale" issue.
"""

from __future__ import annotations

import argparse
import json
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
        entry = next(
            p
            for p in sorted(project.agreements.glob("*.md"))
            if "." not in p.stem and "status: active\n" in p.read_text(encoding="utf-8")
        )
        text = entry.read_text(encoding="utf-8")
        state = f"http://127.0.0.1:{preview.port}/__preview/state"
        figures = []
        for n in range(args.edits):
            generation = json.loads(urllib.request.urlopen(state).read())["generation"]
            status = "stalled" if n % 2 == 0 else "active"
            saved = time.perf_counter()
            entry.write_text(text.replace("status: active\n", f"status: {status}\n"), encoding="utf-8")
            while json.loads(urllib.request.urlopen(state).read())["generation"] == generation:
                time.sleep(0.01)
            figures.append(time.perf_counter() - saved)
            print(f"edit {n + 1} ({entry.name}, status: {status}): rebuilt {figures[-1]:.2f} s after the save")
        preview.close()
        print(
            f"save to reloaded page: {min(figures):.2f}–{max(figures):.2f} s, plus up to {POLL_SECONDS:.1f} s until the page's next poll"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
