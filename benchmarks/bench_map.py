#!/usr/bin/env python3
"""Benchmark the world map on N pairs of the committed 26k-pair corpus, in real headless Chromium.

    python benchmarks/bench_map.py --pairs 2000
    python benchmarks/bench_map.py --pairs 25000 --runs 3

Prints the home page's HTML size, the map data's size (raw and gzipped), the time from navigation
to the first clusters drawn (median of --runs loads), where that time went (map.js started, data
fetched, parsed, markers drawn, lines drawn) and the page's JS heap after a garbage collection.
Print `uptime` with the figures: on a shared machine the load changes them severalfold. Targets at 25k pairs (issue #8):
HTML < 100 KB, data < 2 MB gzipped, first clusters
< 1.0 s, heap < 100 MB. Only the home page, its map data and the assets are written (the other
pages do not change these figures), in a temporary folder; entries come from bench_build's
corpus reader, so statuses and sectors are spread the same way.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))

from bench_build import corpus_records, write_project  # noqa: E402
from catalogue.assets import asset_pages  # noqa: E402
from catalogue.config import Config  # noqa: E402
from catalogue.mapdata import map_records  # noqa: E402
from catalogue.urls import map_data as data_path  # noqa: E402
from catalogue.mapping import data_json  # noqa: E402
from catalogue.render import Renderer  # noqa: E402
from catalogue.site import Project, check  # noqa: E402

# Records when the first marker (cluster or place) is added to the page, from navigation start.
FIRST_MARK = """
new MutationObserver((changes, observer) => {
    if (document.querySelector('.map-icon')) {
        window.__firstMark = performance.now();
        observer.disconnect();
    }
}).observe(document, {childList: true, subtree: true});
"""


# Where the time went, from navigation start (map.js's state.timings): map.js starts (after the page's
# blocking scripts), the data has arrived, it is parsed, the first markers are drawn, the lines are.
STAGES = """() => {
    const t = window[document.querySelector('div.map-canvas').id].catalogue.timings;
    return {start: t.start, fetched: t.fetched, parsed: t.parsed, drawn: t.drawn, lines: t.lines};
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def write_home(project: Project, out: Path) -> dict:
    """The home page (Indonesian, the site root), its map data and the assets; returns sizes."""
    started = time.perf_counter()
    catalogue = check(project).catalogue
    checked = time.perf_counter() - started
    renderer = Renderer(catalogue, Config(tiles="none"), project.templates, lang="id")
    started = time.perf_counter()
    home = renderer.home()
    data = data_json(map_records(catalogue.entries))
    rendered = time.perf_counter() - started
    for page in [home, *asset_pages(project.templates)]:
        (out / page.path).parent.mkdir(parents=True, exist_ok=True)
        (out / page.path).write_bytes(page.content)
    (out / data_path("index.html")).parent.mkdir(parents=True, exist_ok=True)
    (out / data_path("index.html")).write_bytes(data)
    return {
        "entries": len(catalogue.entries),
        "check_s": checked,
        "render_s": rendered,
        "html": len(home.content),
        "data": len(data),
        "data_gz": len(gzip.compress(data, 6)),
    }


def measure(out: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    from chromium import find_chromium

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    firsts, heaps, stages = [], [], []
    try:
        with sync_playwright() as playwright:
            found = find_chromium()
            executable = {"executable_path": str(found.path)} if found.path else {}
            browser = playwright.chromium.launch(args=["--no-sandbox", "--disable-gpu"], **executable)
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.add_init_script(FIRST_MARK)
                page.goto(url)
                page.wait_for_function("() => window.__firstMark !== undefined", timeout=60000)
                firsts.append(page.evaluate("() => window.__firstMark") / 1000)
                page.wait_for_function(
                    "() => { const m = window[document.querySelector('div.map-canvas').id]; return m.catalogue.ready; }"
                )
                stages.append(page.evaluate(STAGES))
                cdp = context.new_cdp_session(page)
                cdp.send("HeapProfiler.collectGarbage")
                heaps.append(cdp.send("Runtime.getHeapUsage")["usedSize"])
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {
        "first_s": statistics.median(firsts),
        "firsts": firsts,
        "heap": statistics.median(heaps),
        "stages": {name: statistics.median(s[name] for s in stages) / 1000 for name in stages[0]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3, help="page loads to take the median of")
    parser.add_argument("--keep", type=Path, help="write the catalogue and site here and keep them (reused if there)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="catalogue-bench-map-"))
    try:
        if not (work / "catalogue.toml").is_file():
            write_project(work, corpus_records(args.pairs)[0])
        out = work / "site"
        shutil.rmtree(out, ignore_errors=True)
        sizes = write_home(Project(work), out)
        browser = measure(out, args.runs)
        print(
            f"{sizes['entries']} entries; check {sizes['check_s']:.1f} s, home and map data {sizes['render_s']:.2f} s"
        )
        print(f"  home page HTML            {sizes['html'] / 1e3:9.1f} KB   (target < 100 KB)")
        print(
            f"  map data                  {sizes['data'] / 1e6:9.2f} MB   ({sizes['data_gz'] / 1e6:.2f} MB gzipped; "
            "target < 2 MB gzipped)"
        )
        print(
            f"  first clusters drawn      {browser['first_s']:9.2f} s    "
            f"(median of {', '.join(f'{s:.2f}' for s in browser['firsts'])}; target < 1.0 s)"
        )
        print(
            "  where the time went       "
            + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in browser["stages"].items())
            + " (from navigation, medians)"
        )
        print(f"  JS heap after GC          {browser['heap'] / 1e6:9.1f} MB   (target < 100 MB)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
