"""Exports carry the evidence: sources with their identifiers and supplied titles/estimated years,
and the dated observations, in the CSV, catalogue.json and agreements/<slug>.json.

Fixture catalogue only (the shared fixture site plus one entry written here), never live counts.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from catalogue.config import Config
from catalogue.exports import CSV_COLUMNS, SCHEMA_VERSION, export_pages
from catalogue.dates import Dates
from catalogue.model import PartialDate
from catalogue.site import check
from conftest import REPO, make_project

ENTRY = """\
---
parties:
  - name: Bandung
    level: city
    country: ID
  - name: Fort Worth
    level: city
    country: US
kind: sister-city
observations:
  - {date: 2015, kind: activity, source: P004, sector: culture, note: "-2 delegations; =HYPERLINK(\\"http://evil\\")"}
  - {date: 1990-04, kind: signed, source: P000, note: Signed by both mayors.}
sources:
  - title: "[Untitled article on regional cooperation]"
    key: P000
    title_supplied: true
    year: 2017
    year_estimated: true
  - title: "=SUM(A1) Efektivitas Sister City"
    key: P004
    year: 2019
    doi: 10.1234/abcd.5678
    url: https://example.org/paper
    isbn: 978-3-16-148410-0
    archive: https://web.archive.org/web/2020/https://example.org/paper
---
Body.
"""


@pytest.fixture
def files(tmp_path) -> dict[str, bytes]:
    project = make_project(tmp_path)
    (project.agreements / "bandung-fort-worth.md").write_text(ENTRY, encoding="utf-8")
    return {p.path: p.content for p in export_pages(check(project).catalogue, Dates(), Config())}


def csv_rows(files) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO(files["data/catalogue.csv"].decode("utf-8"), newline=""))
    return {row["slug"]: row for row in rows}


def test_schema_version_is_bumped_for_the_changed_meaning_of_source_title_and_year():
    assert SCHEMA_VERSION >= 2  # 2 changed their meaning; 3 removed fields that repeated others (test_exports)


def test_csv_has_the_new_columns_at_the_end():
    new = (
        "source_titles",
        "source_years",
        "source_urls",
        "source_dois",
        "source_isbns",
        "source_archives",
        "latest_observation_date",
        "latest_observation_kind",
        "latest_observation_source",
        "latest_observation_note",
    )
    assert CSV_COLUMNS[-len(new) :] == new
    assert CSV_COLUMNS.index("updated") == len(CSV_COLUMNS) - len(new) - 1  # older columns keep their positions


def test_csv_lists_sources_in_order_with_identifiers_and_c_years(files):
    row = csv_rows(files)["bandung-fort-worth"]
    # The first title starts with '[' (not a formula); the second part's '=' is inside the cell, which is not run.
    assert row["source_titles"] == "[Untitled article on regional cooperation] | =SUM(A1) Efektivitas Sister City"
    assert row["source_years"] == "c. 2017 | 2019"
    assert row["source_urls"] == " | https://example.org/paper"
    assert row["source_dois"] == " | 10.1234/abcd.5678"
    assert row["source_isbns"] == " | 978-3-16-148410-0"
    assert row["source_archives"] == " | https://web.archive.org/web/2020/https://example.org/paper"
    assert row["source_count"] == "2"


def test_csv_latest_observation_is_the_newest_not_the_last_written(files):
    row = csv_rows(files)["bandung-fort-worth"]
    assert (row["status"], row["as_of"]) == ("active", "2015")
    assert (row["latest_observation_date"], row["latest_observation_kind"], row["latest_observation_source"]) == (
        "2015",
        "activity",
        "P004",
    )
    assert row["latest_observation_note"] == '\'-2 delegations; =HYPERLINK("http://evil")'  # neutralised


def test_csv_entries_without_observations_or_identifiers_have_empty_cells(files):
    xian = csv_rows(files)["surakarta-xian"]
    assert [xian[f"latest_observation_{f}"] for f in ("date", "kind", "source", "note")] == ["", "", "", ""]
    assert xian["source_titles"] and xian["source_dois"] == "" and xian["source_archives"] == ""


def test_csv_cells_stay_formula_safe(tmp_path):
    hostile = ENTRY.replace('"[Untitled article on regional cooperation]"', "\"=cmd|' /C calc'!A0\"").replace(
        "    title_supplied: true\n", ""
    )
    project = make_project(tmp_path)
    (project.agreements / "bandung-fort-worth.md").write_text(hostile, encoding="utf-8")
    files = {p.path: p.content for p in export_pages(check(project).catalogue, Dates(), Config())}
    row = csv_rows(files)["bandung-fort-worth"]
    assert row["source_titles"].startswith("'=cmd|")
    for r in csv_rows(files).values():
        # As in test_exports: '-' is left out because numbers the build writes (-6.9022) stay numbers.
        assert not any(value.startswith(("=", "+", "@")) for value in r.values())


def test_json_carries_observations_oldest_first_and_the_new_source_fields(files):
    data = json.loads(files["data/catalogue.json"])
    assert data["schema_version"] == SCHEMA_VERSION
    record = next(r for r in data["agreements"] if r["slug"] == "bandung-fort-worth")
    assert list(record).index("observations") == list(record).index("sources") + 1
    assert record["observations"] == [
        {"date": "1990-04", "kind": "signed", "source": "P000", "note": "Signed by both mayors."},  # no sector
        {
            "date": "2015",
            "kind": "activity",
            "source": "P004",
            "note": '-2 delegations; =HYPERLINK("http://evil")',
            "sector": "culture",
        },
    ]  # the JSON holds the text exactly as written
    supplied, printed = record["sources"]
    assert list(printed)[-6:] == ["key", "title_supplied", "year_estimated", "doi", "isbn", "archive"]
    assert (supplied["title"], supplied["title_supplied"], supplied["year"], supplied["year_estimated"]) == (
        "[Untitled article on regional cooperation]",
        True,
        2017,
        True,
    )
    assert not {"doi", "url", "archive"} & set(supplied)  # left out: none known
    assert (printed["key"], printed["title_supplied"], printed["year_estimated"]) == ("P004", False, False)
    assert (printed["doi"], printed["url"], printed["isbn"]) == (
        "10.1234/abcd.5678",
        "https://example.org/paper",
        "978-3-16-148410-0",
    )
    xian = next(r for r in data["agreements"] if r["slug"] == "surakarta-xian")
    assert xian["observations"] == []  # a list, never null


def test_agreement_json_is_the_same_record(files):
    records = {r["slug"]: r for r in json.loads(files["data/catalogue.json"])["agreements"]}
    single = json.loads(files["agreements/bandung-fort-worth.json"])
    assert single["schema_version"] == SCHEMA_VERSION
    assert single["agreement"] == records["bandung-fort-worth"]
    assert single["agreement"]["observations"][-1]["kind"] == "activity"


def test_docs_document_every_new_field_and_column():
    docs = (REPO / "docs" / "data.md").read_text(encoding="utf-8")
    new_fields = ["observations", "key", "title_supplied", "year_estimated", "doi", "isbn", "archive", "sector"]
    new_fields += ["evidence_year", "latest_observation_date", "latest_observation_kind", "stale"]  # GeoJSON
    new_columns = CSV_COLUMNS[CSV_COLUMNS.index("updated") + 1 :]
    for name in (*new_fields, *new_columns):
        assert f"`{name}`" in docs, f"docs/data.md does not document `{name}`"
    assert f'"schema_version": {SCHEMA_VERSION}' in docs


def geojson_lines(files) -> dict[str, dict]:
    data = json.loads(files["data/catalogue.geojson"])
    return {f["id"]: f["properties"] for f in data["features"] if f["geometry"]["type"] == "LineString"}


@pytest.mark.parametrize(("reference_year", "stale"), [(2026, True), (2017, False)])
def test_geojson_lines_carry_the_evidence_and_its_age(tmp_path, reference_year, stale):
    from datetime import datetime, timezone

    project = make_project(tmp_path)
    (project.agreements / "bandung-fort-worth.md").write_text(ENTRY, encoding="utf-8")
    when = datetime(reference_year, 6, 1, tzinfo=timezone.utc)
    dates = Dates(when=when, reference=PartialDate(reference_year, 6, 1))
    files = {p.path: p.content for p in export_pages(check(project).catalogue, dates, Config())}
    line = geojson_lines(files)["bandung-fort-worth"]
    # The newest observation (2015, activity) sets the status, its date and year; stale after 3 years.
    assert line["status"] == "active" and line["as_of"] == "2015" and line["evidence_year"] == 2015
    assert line["latest_observation_date"] == "2015" and line["latest_observation_kind"] == "activity"
    assert line["stale"] is stale


def test_geojson_evidence_of_an_entry_without_observations_or_date(files):
    lines = geojson_lines(files)
    undated = [p for p in lines.values() if "as_of" not in p]
    assert undated, "the fixture should hold a located tie whose status date is unknown"
    for p in undated:
        assert "evidence_year" not in p and p["stale"] is False
    assert all("latest_observation_kind" not in p for slug, p in lines.items() if slug != "bandung-fort-worth")
