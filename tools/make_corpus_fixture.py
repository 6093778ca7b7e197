#!/usr/bin/env python3
"""Freeze the real-sized fixture catalogue tests/fixtures/corpus/ from the committed corpus.

    python tools/make_corpus_fixture.py

Writes a few hundred pairs of the 26k twin-town corpus (tests/data/bench/, MIT, with its
licence) as entry files, the way benchmarks/bench_build.py writes them (the corpus's own
coordinates; year, status, kind and sectors from a hash of the pair's names), into
tests/fixtures/corpus/content/agreements/, with the fixture's catalogue.toml, README and a copy
of the corpus's licence beside content/ (never inside it). The pairs: every one with an
Indonesian party (94), every one of Shanghai's (68: one place with many ties), then evenly
spaced pairs of the rest up to PAIRS. Run it again only to change the fixture on purpose: the
tests read the frozen files, not this script.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_build import SETTINGS, corpus_records, entry_text  # noqa: E402

PAIRS = 300
OUT = REPO / "tests" / "fixtures" / "corpus"
LICENCE = REPO / "tests" / "data" / "bench" / "LICENSE.hekman-twincities.MIT.txt"

README = """# Real-sized fixture catalogue (test data, never catalogue content)

{count} pairs of the twin-town corpus in `tests/data/bench/`, frozen as entry files by
`tools/make_corpus_fixture.py`: every pair with an Indonesian party, every pair of Shanghai's
(one place with many ties), then evenly spaced pairs of the rest. Built once per test session
(`corpus_site` in `tests/conftest.py`) for the tests that matter at this size
(`tests/test_corpus.py`): a page for every entry, every place page listing its ties, list pages
split over linked pages with filter data covering the whole list, no page over 300 KB.

- Origin: the corpus, from the public repository Hekman/twincities under the MIT licence
  ([LICENSE.hekman-twincities.MIT.txt](LICENSE.hekman-twincities.MIT.txt), copied here); its
  pairs were scraped from English Wikipedia's lists of twin towns. See `tests/data/bench/README.md`.
- The corpus has no years, statuses, kinds or sectors: each pair gets them from a hash of its
  names, as the benchmark's do. They are not facts about these ties; this is not content.
- `catalogue.toml`: no map tiles, and no home country (the corpus ties any two places).
"""


def select(records: list[dict], pairs: int) -> list[dict]:
    """The fixture's pairs, in corpus order: Indonesian ones, Shanghai's, then evenly spaced others."""

    def has(r: dict, test) -> bool:
        return any(test(country, slug) for _, country, _, slug in r["parties"])

    chosen = [
        i
        for i, r in enumerate(records)
        if has(r, lambda c, s: c == "ID") or has(r, lambda c, s: (c, s) == ("CN", "shanghai"))
    ]
    taken = set(chosen)
    rest = [i for i in range(len(records)) if i not in taken]
    wanted = pairs - len(chosen)
    chosen += [rest[n * len(rest) // wanted] for n in range(wanted)]
    return [records[i] for i in sorted(chosen)]


def main() -> None:
    records, _ = corpus_records(10**6)
    chosen = select(records, PAIRS)
    if OUT.exists():
        shutil.rmtree(OUT)
    agreements = OUT / "content" / "agreements"
    agreements.mkdir(parents=True)
    for r in chosen:
        (agreements / f"{r['slug']}.md").write_text(entry_text(r), encoding="utf-8")
    (OUT / "catalogue.toml").write_text(SETTINGS.replace("Benchmark", "Fixture"), encoding="utf-8")
    (OUT / "README.md").write_text(README.format(count=len(chosen)), encoding="utf-8")
    shutil.copy(LICENCE, OUT / LICENCE.name)
    print(f"{len(chosen)} entries in {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
