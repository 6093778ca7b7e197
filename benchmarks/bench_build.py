#!/usr/bin/env python3
"""Benchmark the pipeline on N pairs of the 26k twin-town corpus; prints figures per stage.

    python benchmarks/bench_build.py --pairs 2000
    python benchmarks/bench_build.py --pairs 25917 --keep /tmp/bench-site

The corpus (tests/data/bench/, committed with its licence) has no years, statuses or sectors, so each pair gets
them from a hash of its names: deterministic, spread over every status and sector.
Coordinates come from the corpus (as 'coordinates:' in each party), so the gazetteer is
not what is measured here. Entries are written to a temporary folder, never to content/.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from catalogue import vocab  # noqa: E402
from catalogue.config import Config  # noqa: E402
from catalogue.countries import guess_code  # noqa: E402
from catalogue.places import default_gazetteer, place_key  # noqa: E402
from catalogue.site import Project, Timer, build  # noqa: E402

CORPUS = REPO / "tests" / "data" / "bench" / "twin-cities-wikipedia.csv"
STATUSES, SECTORS, KINDS = list(vocab.STATUSES), list(vocab.SECTORS), ["sister-city", "friendship-city", "sister-province"]


def slugify(text: str) -> str:
    """A name as the catalogue slugs it (place_key's rules)."""
    from catalogue.model import Party
    return place_key(Party(name=text, level="city", country="ID")).split("/", 1)[1]


def write_entries(folder: Path, pairs: int) -> dict:
    """Corpus rows → entry files; returns counts of what was written and skipped."""
    out = folder / "content" / "agreements"
    out.mkdir(parents=True)
    seen, written, skipped = set(), 0, {"country": 0, "duplicate": 0, "same place": 0, "bad coordinates": 0}
    with CORPUS.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if written >= pairs:
                break
            a, b = guess_code(row["country1"]), guess_code(row["country2"])
            if not a or not b:
                skipped["country"] += 1
                continue
            try:
                pa, pb = (float(row["lat1"]), float(row["lng1"])), (float(row["lat2"]), float(row["lng2"]))
            except ValueError:
                skipped["bad coordinates"] += 1
                continue
            ka, kb = (a, slugify(row["city1"])), (b, slugify(row["city2"]))
            if ka == kb:
                skipped["same place"] += 1
                continue
            h = int(hashlib.sha256(f"{row['city1']}|{row['city2']}".encode()).hexdigest(), 16)
            kind = KINDS[h % 3]
            pair = (kind, frozenset((ka, kb)))
            if pair in seen:
                skipped["duplicate"] += 1
                continue
            seen.add(pair)
            status = STATUSES[(h >> 4) % 4]
            sectors = sorted({SECTORS[(h >> s) % len(SECTORS)] for s in (8, 16, 24)})
            since = 1950 + (h >> 32) % 70
            slug = f"{ka[1]}-{kb[1]}-{written}"[:80].strip("-")
            party = lambda name, code, p: f"  - name: {json.dumps(name)}\n    level: city\n    country: {code}\n    coordinates: [{p[0]}, {p[1]}]\n"  # noqa: E731
            text = (
                "---\nparties:\n" + party(row["city1"], a, pa) + party(row["city2"], b, pb)
                + f"kind: {kind}\nstatus: {status}\nas_of: {since + 5}\nsince: {since}\n"
                + (f"ended: {since + 4}\n" if status == "ended" else "")
                + f"sectors: [{', '.join(sectors)}]\n"
                + "sources:\n  - title: List of twin towns and sister cities (English Wikipedia, via Hekman/twincities)\n"
                + f"---\n{json.dumps(row['city1'])[1:-1]} and {json.dumps(row['city2'])[1:-1]} are twin towns. *Benchmark entry.*\n"
            )
            (out / f"{slug}.md").write_text(text, encoding="utf-8")
            written += 1
    return {"written": written, **skipped}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--no-search", action="store_true", help="skip the Pagefind index")
    parser.add_argument("--keep", type=Path, help="write the site here and keep it (default: a temporary folder)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="catalogue-bench-"))
    try:
        t = time.perf_counter()
        counts = write_entries(work, args.pairs)
        print(f"corpus → entries: {counts} in {time.perf_counter() - t:.2f} s")
        project = Project(work)
        out = args.keep or work / "site"
        timer = Timer()
        default_gazetteer()  # loaded once per process; timed on its own below
        t = time.perf_counter()
        default_gazetteer.cache_clear()
        default_gazetteer()
        gazetteer_seconds = time.perf_counter() - t
        report = build(project, out, Config(tiles="none"), search=not args.no_search, timer=timer)
        home = (out / "index.html").stat().st_size
        print(f"{report.entries} entries in 2 languages: {report.pages} pages, {report.files} files, {report.bytes / 1e6:.1f} MB")
        print(f"home page with the world map: {home / 1e6:.2f} MB")
        print(f"  {'gazetteer (once per process)':<36} {gazetteer_seconds:8.2f} s")
        for name, seconds in timer.seconds.items():
            print(f"  {name:<36} {seconds:8.2f} s  {seconds / max(report.entries, 1) * 1000:7.3f} ms/entry")
        print(f"  {'total (build)':<36} {report.seconds:8.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
