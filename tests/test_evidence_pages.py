"""What a reader sees of the evidence: the dated record, untitled works and estimated years, per-claim references.

A fixture catalogue (the shared fixture site plus one entry written here), never live content.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.cite import source_text
from catalogue.problems import CatalogueError
from catalogue.site import check
from conftest import make_project, parse, project_with, quick_build

ENTRY = """\
---
parties:
  - name: Surakarta
    level: city
    country: ID
  - name: Guilin
    level: city
    country: CN
kind: sister-city
observations:
  - date: 2015-09-25
    kind: signed
    source: P003
    note: A letter of intent.
  - date: 2016
    kind: activity
    source: P004
    sector: culture
    note: A <b>dance</b> festival.
  - date: 2017
    kind: reported-stalled
    source: P003
sectors: [culture]
sources:
  - title: "[Untitled article on cooperation in the Surakarta Residency]"
    key: P003
    title_supplied: true
    year: 2017
    year_estimated: true
    doi: 10.1234/abcd.5678
  - title: Efektivitas Sister City
    key: P004
    year: 2015
---
The letter was signed in 2015 [^P003], and a festival followed [^P004].
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return project_with(tmp_path_factory.mktemp("evidence"), {"surakarta-guilin.md": ENTRY})


@pytest.fixture(scope="module")
def site(project) -> Path:
    return quick_build(project)


def page(site, lang="en"):
    return parse(site / ("en/" if lang == "en" else "") / "agreements" / "surakarta-guilin.html")


def test_the_page_shows_the_record_oldest_first_with_last_activity(site):
    soup = page(site)
    items = soup.select("section.record ol.timeline li")
    assert [i.select_one(".when").get_text() for i in items] == ["25 September 2015", "2016", "2017"]
    assert [i.strong.get_text() for i in items] == ["Signed", "Activity", "Reported stalled"]
    assert soup.select_one(".last-activity").get_text(strip=True) == "Last documented activity: 2016."
    assert soup.select_one(".status-line .badge-stalled")
    # a note is text, never markup; each line links to its source in the list
    assert "<b>dance</b>" in items[1].get_text() and not items[1].select("b")
    assert [a["href"] for a in soup.select(".timeline a")] == ["#source-P003", "#source-P004", "#source-P003"]


def test_the_record_is_in_indonesian_on_the_indonesian_page(site):
    soup = page(site, "id")
    assert soup.select_one("section.record h2").get_text() == "Catatan bertanggal"
    assert [i.strong.get_text() for i in soup.select(".timeline li")] == [
        "Ditandatangani",
        "Kegiatan",
        "Dilaporkan mandek",
    ]


def test_untitled_work_is_bracketed_and_unquoted_and_its_year_is_circa(site):
    first, second = page(site).select("ol.sources li")
    assert first["id"] == "source-P003"
    text = " ".join(first.get_text().split())
    assert text.startswith("[Untitled article on cooperation in the Surakarta Residency], c. 2017.")
    assert "“" not in text
    assert first.select_one('a[href="https://doi.org/10.1234/abcd.5678"]')
    assert " ".join(second.get_text().split()).startswith("“Efektivitas Sister City”, 2015.")


def test_citation_text_names_sources_as_the_page_does(project):
    entry = next(e for e in check(project).catalogue.entries if e.agreement.slug == "surakarta-guilin")
    untitled, titled = entry.agreement.sources
    assert (
        source_text(untitled)
        == "[Untitled article on cooperation in the Surakarta Residency], c. 2017, doi:10.1234/abcd.5678"
    )
    assert source_text(titled) == '"Efektivitas Sister City", 2015'


def test_body_markers_become_numbered_links_to_sources(site):
    body = page(site).select_one("section.body")
    assert [(a.get_text(), a["href"]) for a in body.select("sup.cite-ref a")] == [
        ("[1]", "#source-P003"),
        ("[2]", "#source-P004"),
    ]
    assert "[^" not in body.get_text()


def test_a_marker_naming_no_source_is_refused(tmp_path):
    project = make_project(tmp_path)
    (project.agreements / "surakarta-guilin.md").write_text(
        ENTRY.replace("followed [^P004]", "followed [^P005]"), encoding="utf-8"
    )
    with pytest.raises(CatalogueError) as caught:
        check(project)
    assert [str(p) for p in caught.value.problems] == [
        "content/agreements/surakarta-guilin.md:24: sources: the body cites [^P005], which is not the key of one of "
        "this entry's sources (P003, P004); "
        "add 'key: P005' to the source it means, or correct the marker",
    ]


def test_a_supplied_title_must_be_bracketed(tmp_path):
    project = make_project(tmp_path)
    (project.agreements / "surakarta-guilin.md").write_text(
        ENTRY.replace('"[Untitled article on cooperation in the Surakarta Residency]"', "Untitled article"),
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as caught:
        check(project)
    assert [str(p) for p in caught.value.problems] == [
        "content/agreements/surakarta-guilin.md:25: sources.0.title: a supplied title is a description in square "
        "brackets, e.g. '[Untitled article on ...]'; "
        "add the brackets, or remove title_supplied if the work prints this title",
    ]


def test_an_undated_last_activity_is_said_in_words(tmp_path):
    from catalogue.views import entry_view
    from conftest import observed_entry

    project = make_project(tmp_path)
    text = observed_entry(
        "  - {date: unknown, kind: activity, source: P004}\n  - {date: 2017, kind: mentioned, source: P000}\n"
    )
    (project.agreements / "bandung-fort-worth.md").write_text(text, encoding="utf-8")
    entry = next(e for e in check(project).catalogue.entries if e.agreement.slug == "bandung-fort-worth")
    assert entry.agreement.status == "not-reported"  # the newest, dated, observation reports no activity
    assert entry_view(entry, "en").last_activity == "undated"
    assert entry_view(entry, "id").last_activity == "tanpa tanggal"
