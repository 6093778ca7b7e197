"""The honest status: a tie a source records as signed, with no report of what it does, is 'not-reported'.

Built on a fixture catalogue (the shared fixture site plus one not-reported entry), never on live counts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue import vocab
from catalogue.mapping import STATUS_COLOURS
from catalogue.site import check
from catalogue.stats import statistics
from conftest import parse, project_with, quick_build

FORT_WORTH = """\
---
parties:
  - name: Bandung
    level: city
    country: ID
    region: Jawa Barat
  - name: Fort Worth
    level: city
    country: US
    region: Texas
kind: sister-city
status: not-reported
as_of: 1990-04
since: 1990-04
sources:
  - title: Efektivitas Sister City dalam Perspektif Keamanan Non-Tradisional
    type: journal-article
---
Signed in April 1990; no source reports what followed.
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return project_with(tmp_path_factory.mktemp("not-reported"), {"bandung-fort-worth.md": FORT_WORTH})


@pytest.fixture(scope="module")
def site(project) -> Path:
    return quick_build(project)


def test_the_vocabulary_has_both_labels_a_note_and_a_colour():
    term = vocab.STATUSES["not-reported"]
    assert term.labels == {"en": "Not reported", "id": "Tidak dilaporkan"}
    assert term.notes["en"] == "Signed; no source reports whether it is active."
    assert term.notes["id"].startswith("Sudah ditandatangani; tidak ada sumber")
    assert STATUS_COLOURS["not-reported"] not in {c for k, c in STATUS_COLOURS.items() if k != "not-reported"}


def test_counted_like_the_others(project):
    catalogue = check(project).catalogue
    assert [e.agreement.slug for e in catalogue.statuses["not-reported"]] == ["bandung-fort-worth"]
    rows = dict(statistics(catalogue, "en").chart("statuses").rows)
    assert rows["Not reported"] == 1
    assert sum(rows.values()) == len(catalogue.entries)


def test_its_own_badge_on_the_page_and_in_lists(site):
    page = parse(site / "en" / "agreements" / "bandung-fort-worth.html")
    assert page.select_one(".status-line .badge-not-reported").get_text(strip=True) == "Not reported"
    listing = parse(site / "agreements" / "index.html")  # Indonesian, at the root
    item = listing.select_one('ul.entries > li[data-f^="not-reported|"]')
    assert item.select_one(".badge-not-reported").get_text(strip=True).startswith("Tidak dilaporkan · ")


def test_filterable_and_listed_under_statuses(site):
    listing = parse(site / "en" / "agreements" / "index.html")
    # The status filter's choice: its rows in the page (filters.js counts them), its words in the words file.
    assert len(listing.select('ul.entries > li[data-f^="not-reported|"]')) == 1
    words = (site / "assets" / "words.en.js").read_text(encoding="utf-8")
    assert '"not-reported":"Not reported"' in words
    group = parse(site / "en" / "statuses" / "not-reported.html")
    assert [a["href"] for a in group.select("ul.entries > li > a")] == ["../agreements/bandung-fort-worth.html"]
    assert "no source reports whether it is active" in group.get_text()


def test_css_and_legend_know_it(site):
    css = (site / "assets" / "site.css").read_text(encoding="utf-8")
    assert ".badge-not-reported" in css and "--not-reported" in css
    home = parse(site / "en" / "index.html")
    legend = [i.get_text(strip=True) for i in home.select(".map-legend .legend-item")]
    assert "Not reported (1)" in legend
