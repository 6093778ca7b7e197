"""Status badges in lists carry the year of their evidence, and a stale status says so in words.

A fixture catalogue (the shared fixture site plus one entry written here), never live content.
The build's reference date is the newest as_of here (no git): 2024, from the entry below, so
with the default three years 2017 is stale and 2024 is not.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalogue.paging import list_data
from catalogue.site import check
from catalogue.views import entry_view
from catalogue.model import PartialDate
from conftest import observed_entry, parse, project_with, quick_build

RECENT = observed_entry(
    "  - {date: 1990-04, kind: signed, source: P004}\n  - {date: 2024-05, kind: activity, source: P000, sector: "
    "culture}\n"
)
# Fixture site: jawa-barat-penang (active, as_of unknown), sragen-usaid (ended 2017), surakarta-xian (stalled 2017).
EXPECTED = {
    "en": {
        "bandung-fort-worth": "Active · 2024",
        "surakarta-xian": "Stalled · last confirmed 2017",
        "sragen-usaid": "Ended · 2017",  # an ended tie has no status left to confirm: never stale
        "jawa-barat-penang": "Active · no date",
    },
    "id": {
        "bandung-fort-worth": "Aktif · 2024",
        "surakarta-xian": "Mandek · terakhir dikonfirmasi 2017",
        "sragen-usaid": "Berakhir · 2017",
        "jawa-barat-penang": "Aktif · tanpa tanggal",
    },
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return project_with(tmp_path_factory.mktemp("badges"), {"bandung-fort-worth.md": RECENT})


@pytest.fixture(scope="module")
def site(project) -> Path:
    return quick_build(project)


def badges(page) -> dict[str, tuple[str, bool]]:
    """slug → (badge text, marked stale) for every tie a page lists."""
    found = {}
    for item in page.select("ul.entries > li"):
        slug = item.select_one("li > a")["href"].rsplit("/", 1)[-1].removesuffix(".html")
        badge = item.select_one("li > span")
        found[slug] = (badge.get_text(strip=True), "stale" in badge["class"])
    return found


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_list_of_all_agreements_shows_each_status_with_its_evidence_year(site, lang):
    prefix = "en/" if lang == "en" else ""
    shown = badges(parse(site / prefix / "agreements" / "index.html"))
    assert {slug: text for slug, (text, _) in shown.items()} == EXPECTED[lang]
    assert {slug for slug, (_, stale) in shown.items() if stale} == {"surakarta-xian"}


def test_place_status_and_home_lists_show_the_same_badges(site):
    expected = EXPECTED["en"]
    for page in ("en/index.html", "en/places/id/bandung.html", "en/statuses/stalled.html", "en/freshness.html"):
        shown = badges(parse(site / page))
        assert shown, f"{page} lists no tie"
        for slug, (text, stale) in shown.items():
            assert text == expected[slug], page
            assert stale == (slug == "surakarta-xian"), page


def test_the_stale_look_does_not_rest_on_colour(site):
    css = (site / "assets" / "site.css").read_text(encoding="utf-8")
    assert ".stale {" in css and "dotted" in css.split(".stale {")[1].split("}")[0]


def test_filter_rows_carry_the_same_badge_words(project):
    catalogue = check(project).catalogue
    views = [entry_view(e, "id", PartialDate(2024), 3) for e in catalogue.entries]
    rows = json.loads(list_data(views))["rows"]
    by_slug = {row[0].rsplit("/", 1)[-1].removesuffix(".html"): row for row in rows}
    assert {slug: row[8] for slug, row in by_slug.items()} == EXPECTED["id"]
    assert {slug for slug, row in by_slug.items() if row[9]} == {"surakarta-xian"}


def test_without_a_reference_date_nothing_is_stale(project):
    xian = next(e for e in check(project).catalogue.entries if e.agreement.slug == "surakarta-xian")
    view = entry_view(xian, "en")
    assert (view.badge_text, view.stale, view.evidence_year) == ("Stalled · 2017", False, 2017)
    assert entry_view(xian, "en", PartialDate(2020), 3).badge_text == "Stalled · 2017"  # 3 years: not yet stale
    assert entry_view(xian, "en", PartialDate(2021), 3).badge_text == "Stalled · last confirmed 2017"
