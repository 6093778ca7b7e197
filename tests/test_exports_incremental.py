"""Rebuilt data files: catalogue.json, .csv and .geojson joined from the last site's lines of the agreements
that did not change (catalogue/earlier.py) and new lines for those that did, the bytes of a full build."""

from __future__ import annotations

import io
import pickle
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from catalogue import exports, urls
from catalogue.config import Config
from catalogue.dates import Dates
from catalogue.earlier import Earlier, items
from catalogue.exports import DataFiles, _joined
from catalogue.incremental import Previous
from catalogue.inputs import pickled
from catalogue.site import Project, build, check
from conftest import observed_entry, project_with
from test_exports import HOSTILE
from test_incremental import tree

WIDE = (urls.CATALOGUE_JSON, urls.CATALOGUE_CSV, urls.CATALOGUE_GEOJSON)
NOTE = '  - date: 2015\n    kind: activity\n    source: P004\n    note: |\n      Two lines, "quoted",\n      a comma\n'


@pytest.fixture
def project(tmp_path) -> Project:
    """The fixture catalogue with an entry whose text is hostile to every format and one whose note has a line
    break, quotes and a comma (a quoted, multi-line CSV cell)."""
    return project_with(
        tmp_path,
        {
            "surakarta-hostile.md": HOSTILE,
            "bandung-lyon.md": observed_entry(NOTE, partner="Lyon", country="FR"),
        },
    )


def made(files: DataFiles, earlier: Earlier | None = None) -> dict[str, bytes]:
    if earlier is None:
        return {
            urls.CATALOGUE_JSON: files.catalogue_json(),
            urls.CATALOGUE_CSV: files.catalogue_csv(),
            urls.CATALOGUE_GEOJSON: files.catalogue_geojson(),
        }
    return {
        urls.CATALOGUE_JSON: files.catalogue_json(earlier),
        urls.CATALOGUE_CSV: files.catalogue_csv(earlier),
        urls.CATALOGUE_GEOJSON: files.catalogue_geojson(earlier),
    }


def last_site(folder: Path, files: dict[str, bytes]) -> Previous:
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return Previous(folder, {path: "inputs:made-by-the-last-build" for path in files})


@pytest.mark.parametrize("lines", [[], [b'{"a":1}'], [b'{"a":1}', b'{"b":"x,\\ny"}', b"{}"]])
@pytest.mark.parametrize("head", [{}, {"type": "FeatureCollection", "n": {"agreements": 2}}])
def test_items_reads_back_the_lines_joined_wrote(head, lines):
    assert items(_joined(head, "agreements", lines), "agreements") == lines


def test_items_of_a_file_not_made_so_are_none():
    assert items(None, "agreements") == []
    assert items(b'{"agreements":[\n{"a":1}\n]}', "agreements") == []  # cut short
    assert items(b'{"features":[\n{"a":1}\n]}\n', "agreements") == []  # another key
    assert items(b'{"agreements":[\n{"a":1}\n{"b":2}\n]}\n', "agreements") == []  # a comma missing
    assert items(b'{\n  "agreements": [\n{"a":1}\n  ]\n}\n', "agreements") == []  # schema 2's indented head


def test_every_line_of_an_unchanged_agreement_comes_from_the_last_site(project, tmp_path, monkeypatch):
    catalogue = check(project).catalogue
    full = made(DataFiles(catalogue, Dates(), Config()))
    same = frozenset(e.agreement.slug for e in catalogue.entries)
    earlier = Earlier(last_site(tmp_path / "old", full), same)

    def made_again(*args: object) -> None:
        raise AssertionError("an agreement's record was made again")

    monkeypatch.setattr(exports, "agreement_record", made_again)
    monkeypatch.setattr(exports, "place_feature", made_again)  # the places' Points too
    assert made(DataFiles(catalogue, Dates(), Config()), earlier) == full  # quoted multi-line cells too


def test_a_removed_agreement_leaves_its_places_points_made_again(project, tmp_path):
    """A place whose other entries are unchanged lists one agreement fewer: its Point is made, not taken."""
    old = made(DataFiles(check(project).catalogue, Dates(), Config()))
    (project.agreements / "surakarta-xian.md").unlink()
    after = check(project).catalogue
    expected = made(DataFiles(after, Dates(), Config()))
    earlier = Earlier(last_site(tmp_path / "old", old), frozenset(e.agreement.slug for e in after.entries))
    assert (
        b'"surakarta-xian"' in old[urls.CATALOGUE_GEOJSON]
        and b'"surakarta-xian"' not in expected[urls.CATALOGUE_GEOJSON]
    )
    assert made(DataFiles(after, Dates(), Config()), earlier) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"slug,url\r\nx,1\r\n",  # another header
        b"\xff",  # not UTF-8
        b'slug,title\r\nx,"open\r\n',  # a quoted cell cut short
    ],
)
def test_csv_rows_of_a_file_not_made_so_are_none(tmp_path, data):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "catalogue.csv").write_bytes(data)
    earlier = Earlier(Previous(tmp_path, {urls.CATALOGUE_CSV: "x"}), frozenset({"x"}))
    assert earlier.csv_rows(urls.CATALOGUE_CSV, ("slug", "title")) == {}


def test_csv_rows_are_read_back_whole(tmp_path):
    (tmp_path / "data").mkdir()
    rows = ['a,"two\r\nlines, ""quoted"""\r\n', "b,plain\r\n", '"c,d",named with a comma\r\n']
    (tmp_path / "data" / "catalogue.csv").write_bytes(("slug,title\r\n" + "".join(rows)).encode())
    earlier = Earlier(Previous(tmp_path, {urls.CATALOGUE_CSV: "x"}), frozenset({"a"}))
    # A first cell in quotes is not a plain name: that row is made again.
    assert earlier.csv_rows(urls.CATALOGUE_CSV, ("slug", "title")) == {"a": rows[0], "b": rows[1]}


def test_a_changed_agreement_gets_new_lines_and_the_others_keep_theirs(project, tmp_path):
    before = check(project).catalogue
    old = made(DataFiles(before, Dates(), Config()))
    file = project.agreements / "surakarta-xian.md"
    file.write_text(file.read_text(encoding="utf-8").replace("status: stalled", "status: ended"), encoding="utf-8")
    after = check(project).catalogue
    expected = made(DataFiles(after, Dates(), Config()))
    assert expected != old
    unchanged = frozenset(e.agreement.slug for e in after.entries) - {"surakarta-xian"}
    earlier = Earlier(last_site(tmp_path / "old", old), unchanged)
    assert made(DataFiles(after, Dates(), Config()), earlier) == expected
    # Told (wrongly) that it is unchanged, its old lines are taken: `same` alone decides which lines are reused.
    wrong = made(DataFiles(after, Dates(), Config()), Earlier(earlier.previous, unchanged | {"surakarta-xian"}))
    assert wrong[urls.CATALOGUE_CSV] == old[urls.CATALOGUE_CSV] != expected[urls.CATALOGUE_CSV]


def test_a_rebuild_takes_the_kept_agreements_lines_from_the_last_site(project, tmp_path):
    """Seen by marking one unchanged agreement's title in the last site's files: the mark stays, while the
    edited agreement's lines are new and every other file is a full build's."""
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    config = Config(tiles="none")
    build(project, site, config, search=False)
    for path in WIDE:
        data = (site / path).read_bytes()
        assert data.count(b"Surakarta \xe2\x80\x93 Xi'an") == 1
        (site / path).write_bytes(data.replace(b"Surakarta \xe2\x80\x93 Xi'an", b"MARKED"))
    file = project.agreements / "jawa-barat-penang.md"
    file.write_text(file.read_text(encoding="utf-8").replace("\nstatus: active\n", "\nstatus: stalled\n"))
    build(project, site, config, search=False)
    build(project, fresh, config, search=False, incremental=False)
    got, expected = tree(site), tree(fresh)
    for path in WIDE:
        assert got[path] == expected[path].replace(b"Surakarta \xe2\x80\x93 Xi'an", b"MARKED"), path
        assert b"MARKED" in got[path]
    # (Build state aside: the manifest counts the site's bytes, fewer by the marks.)
    assert {p for p in got if got[p] != expected[p] and not p.startswith(".")} == set(WIDE)


@pytest.mark.parametrize(
    "value",
    [
        datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        timezone(timedelta(hours=7)),
        timezone(timedelta(hours=7), "WIB"),  # the name is kept: a digest tells the two apart
        (datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=-3), "X")), timezone.utc),
    ],
)
def test_digests_pickle_time_zones_as_pickle_does(value):
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    assert pickled(value) == buffer.getvalue()
    assert pickle.loads(pickled(value)) == value


def test_without_the_last_sites_files_every_line_is_made(project, tmp_path):
    """A last site missing its catalogue files gives no lines: every line is made."""
    catalogue = check(project).catalogue
    full = made(DataFiles(catalogue, Dates(), Config()))
    previous = last_site(tmp_path / "old", full)
    shutil.rmtree(tmp_path / "old")
    earlier = Earlier(previous, frozenset(e.agreement.slug for e in catalogue.entries))
    assert made(DataFiles(catalogue, Dates(), Config()), earlier) == full
