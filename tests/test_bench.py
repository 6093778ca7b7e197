"""The benchmark's inputs: the catalogue it builds is a valid one, and Hugo's copy holds the same entries.

Speed itself is printed by benchmarks/bench_build.py, never asserted here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

from bench_build import SETTINGS, corpus_records, output_kinds, write_project  # noqa: E402
from hugo_site import write_hugo_site  # noqa: E402

from catalogue.config import load_config  # noqa: E402
from catalogue.paging import PAGE_SIZE  # noqa: E402
from catalogue.site import Project, check  # noqa: E402


@pytest.fixture(scope="module")
def records():
    found, _skipped = corpus_records(30)
    return found


def test_the_benchmark_catalogue_passes_check_with_its_own_settings(tmp_path, records):
    write_project(tmp_path, records)
    assert (tmp_path / "catalogue.toml").read_text(encoding="utf-8") == SETTINGS
    assert load_config(tmp_path).tiles == "none"
    checked = check(Project(tmp_path))
    assert len(checked.catalogue.entries) == len(records)


def test_hugo_gets_the_same_entries_in_both_languages_and_the_same_page_size(tmp_path, records):
    write_hugo_site(tmp_path, records)
    for lang in ("en", "id"):
        files = sorted((tmp_path / "content" / lang / "agreements").glob("*.md"))
        assert [f.stem for f in files if f.stem != "_index"] == sorted(r["slug"] for r in records)
    first = records[0]
    meta = json.loads(
        (tmp_path / "content" / "en" / "agreements" / f"{first['slug']}.md").read_text(encoding="utf-8").splitlines()[0]
    )
    assert meta["statuses"] == [first["status"]] and meta["sectors"] == first["sectors"]
    assert f"pagerSize = {PAGE_SIZE}" in (tmp_path / "hugo.toml").read_text(encoding="utf-8")


def test_output_is_counted_by_kind(tmp_path):
    for path, size in {
        "index.html": 5,
        "agreements/a-b.html": 7,
        "en/agreements/a-b.html": 7,
        "agreements/index.html": 3,
        "countries/jp/2.html": 2,
        "places/jp/tokyo.html": 4,
        "map/index.json": 1,
        "data/catalogue.csv": 9,
    }.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(b"x" * size)
    kinds, largest = output_kinds(tmp_path)
    assert kinds["agreement pages"] == (2, 14)
    assert kinds["list pages"] == (2, 5)
    assert kinds["place pages"] == (1, 4) and kinds["map data"] == (1, 1) and kinds["exports and feeds"] == (1, 9)
    assert largest == ("agreements/a-b.html", 7) or largest == ("en/agreements/a-b.html", 7)


def test_the_map_benchmark_writes_the_home_page_and_its_map_data(tmp_path, records):
    from bench_map import write_home  # its browser part needs Chromium; this part is what it measures

    write_project(tmp_path, records)
    site = tmp_path / "site"
    sizes = write_home(Project(tmp_path), site)
    data = json.loads((site / "map/index.json").read_text(encoding="utf-8"))
    assert sorted(t[5] for t in data["ties"]) == sorted(r["slug"] for r in records)
    assert sizes["html"] == len((site / "index.html").read_bytes()) and sizes["data"] == len(
        (site / "map/index.json").read_bytes()
    )
    assert (site / "assets/map.js").is_file()
