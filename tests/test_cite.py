"""'Cite this agreement': exact citations of a fixture entry, BibTeX escaping, CSL-JSON, the cite box."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from catalogue.cite import Citation, bibtex_escape, citations
from catalogue.model import Source
from catalogue.site import check
from catalogue.render import text_escape, url_for
from conftest import REPO

PERMALINK = "https://example.org/agreements/surakarta-xian.html"


@pytest.fixture
def entries(project):
    return {e.agreement.slug: e for e in check(project).catalogue.entries}


@pytest.fixture
def xian(entries):
    return entries["surakarta-xian"]


def with_agreement(entry, **changes):
    return dataclasses.replace(entry, agreement=dataclasses.replace(entry.agreement, **changes))


def partial(name: str, **context) -> str:
    """A partial rendered as the site renders pages: autoescaped, gettext marked, strict."""
    env = Environment(
        loader=FileSystemLoader(REPO / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)
    env.globals["url_for"] = url_for  # as render.environment installs it: partials link through it
    env.filters["text"] = text_escape
    return env.get_template(f"partials/{name}").render(**context)


def test_plain_text_in_english(xian):
    citation = citations(xian, permalink=PERMALINK, version_date="2026-11-22", lang="en")
    assert citation.text == (
        'Sister cities of Indonesia. "Surakarta – Xi\'an" (sister city; status: stalled, latest evidence 2017). '
        "Entry last changed 22 November 2026. <https://example.org/agreements/surakarta-xian.html>. "
        'Source: "Kerjasama luar negeri pemerintah daerah di wilayah Karesidenan Surakarta 2012-2017", 2017.'
    )


def test_plain_text_in_indonesian(xian):
    citation = citations(
        xian, permalink=PERMALINK, version_date="2026-11-22", lang="id", site_title="Kota kembar Indonesia"
    )
    assert citation.text == (
        'Kota kembar Indonesia. "Surakarta – Xi\'an" (kota kembar; status: mandek, bukti terbaru 2017). '
        "Entri terakhir diubah 22 November 2026. <https://example.org/agreements/surakarta-xian.html>. "
        'Sumber: "Kerjasama luar negeri pemerintah daerah di wilayah Karesidenan Surakarta 2012-2017", 2017.'
    )


def test_bibtex_exact(xian):
    citation = citations(xian, permalink=PERMALINK, version_date="2026-11-22", lang="en")
    assert citation.bibtex == (
        "@misc{surakarta-xian,\n"
        "  author = {{Sister cities of Indonesia}},\n"
        "  title = {{Surakarta – Xi'an}},\n"
        "  howpublished = {\\url{https://example.org/agreements/surakarta-xian.html}},\n"
        "  url = {https://example.org/agreements/surakarta-xian.html},\n"
        "  year = {2026},\n"
        "  note = {Sister city; status: stalled, latest evidence 2017. Entry last changed 22 November 2026.},\n"
        "  related = {surakarta-xian-source-1},\n"
        "}\n"
        "\n"
        "@misc{surakarta-xian-source-1,\n"
        "  title = {{Kerjasama luar negeri pemerintah daerah di wilayah Karesidenan Surakarta 2012-2017}},\n"
        "  year = {2017},\n"
        "}\n"
    )


def test_csl_json_parses_with_the_required_fields(xian):
    citation = citations(xian, permalink=PERMALINK, version_date="2026-11-22", lang="en")
    items = json.loads(citation.csl_json)
    assert items == [
        {
            "id": "surakarta-xian",
            "type": "webpage",
            "title": "Surakarta – Xi'an",
            "container-title": "Sister cities of Indonesia",
            "URL": PERMALINK,
            "issued": {"date-parts": [[2026, 11, 22]]},
            "note": "Sister city; status: stalled, latest evidence 2017. Entry last changed 22 November 2026.",
            "language": "en",
        },
        {
            "id": "surakarta-xian-source-1",
            "type": "article-journal",
            "title": "Kerjasama luar negeri pemerintah daerah di wilayah Karesidenan Surakarta 2012-2017",
            "issued": {"date-parts": [[2017]]},
        },
    ]


def test_undated_version(xian):
    citation = citations(xian, permalink="agreements/surakarta-xian.html", version_date=None, lang="en")
    assert "Undated version. <agreements/surakarta-xian.html>." in citation.text
    own = citation.bibtex.split("\n\n")[0]  # the entry's own item; its sources keep their years
    assert "year =" not in own
    assert "Undated version." in own
    item = json.loads(citation.csl_json)[0]
    assert "issued" not in item and "accessed" not in item
    assert item["URL"] == "agreements/surakarta-xian.html"
    assert "Versi tanpa tanggal." in citations(xian, permalink="x.html", version_date=None, lang="id").text


def test_a_git_timestamp_is_read_as_its_day(xian):
    by_day = citations(xian, permalink=PERMALINK, version_date="2026-11-22", lang="en")
    by_time = citations(xian, permalink=PERMALINK, version_date="2026-11-22T23:59:59+00:00", lang="en")
    assert by_day == by_time


def test_a_malformed_version_date_is_refused(xian):
    with pytest.raises(ValueError, match="not an ISO date"):
        citations(xian, permalink=PERMALINK, version_date="22/11/2026", lang="en")


def test_deterministic_and_frozen(xian):
    first = citations(xian, permalink=PERMALINK, version_date="2026-11-22", lang="en")
    assert first == citations(xian, permalink=PERMALINK, version_date="2026-11-22", lang="en")
    assert isinstance(first, Citation)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.text = "changed"


def test_status_date_unknown(entries):
    citation = citations(entries["jawa-barat-penang"], permalink="p.html", version_date="2026-01-02", lang="en")
    assert "(sister province; status: active, date of the evidence not stated)" in citation.text
    assert "Entry last changed 2 January 2026." in citation.text


def test_several_sources_with_author_and_publisher(xian):
    sources = (
        Source(title="A paper", author="Ani", publisher="Jurnal HI", year=2019),
        Source(title="A  page\n spread over lines"),
    )
    citation = citations(with_agreement(xian, sources=sources), permalink="p.html", version_date=None, lang="en")
    assert citation.text.endswith('Sources: Ani, "A paper", Jurnal HI, 2019; "A page spread over lines".')


UNTITLED = Source(
    title="[Untitled study of foreign cooperation in the former Surakarta Residency]",
    key="P003",
    type="journal-article",
    year=2017,
    title_supplied=True,
    year_estimated=True,
    url="https://example.org/p003.pdf",
    archive="https://web.archive.org/web/2020/https://example.org/p003.pdf",
)
PRINTED = Source(
    title="Efektivitas Sister City",
    key="P004",
    type="journal-article",
    author="Ani Putri",
    publisher="Jurnal HI",
    year=2015,
    doi="10.1234/abcd.5678",
    isbn="978-602-0000-00-0",
)


def bibtex_entries(bib: str) -> dict[str, dict[str, str]]:
    """BibTeX text → {key: {field: value}} (one field a line, as cite.py writes them), plus '@type'."""
    entries: dict[str, dict[str, str]] = {}
    for block in bib.strip().split("\n\n"):
        head, *lines = block.splitlines()
        kind, key = re.fullmatch(r"@(\w+)\{(.+),", head).groups()
        fields = {"@type": kind}
        for line in lines[:-1]:
            name, value = re.fullmatch(r"  (\w+) = \{(.*)\},", line).groups()
            fields[name] = value
        entries[key] = fields
    return entries


def test_bibtex_carries_each_source_with_its_title_year_and_identifiers(xian):
    entry = with_agreement(xian, sources=(UNTITLED, PRINTED))
    bib = bibtex_entries(citations(entry, permalink=PERMALINK, version_date="2026-11-22", lang="en").bibtex)
    assert list(bib) == ["surakarta-xian", "surakarta-xian-p003", "surakarta-xian-p004"]
    assert bib["surakarta-xian"]["related"] == "surakarta-xian-p003,surakarta-xian-p004"
    untitled, printed = bib["surakarta-xian-p003"], bib["surakarta-xian-p004"]
    # The supplied title keeps its brackets, and the note says it is not the work's own; the year is 'c. 2017'.
    assert untitled["title"] == "{[Untitled study of foreign cooperation in the former Surakarta Residency]}"
    assert untitled["year"] == "c. 2017"
    assert "prints no title" in untitled["note"] and "c. 2017 is an estimate" in untitled["note"]
    assert untitled["url"] == UNTITLED.url and UNTITLED.archive in untitled["note"]
    assert untitled["@type"] == "misc"  # an article with no journal named is not an @article
    assert printed["@type"] == "article" and printed["journal"] == "Jurnal HI"
    assert printed["title"] == "{Efektivitas Sister City}" and printed["author"] == "{Ani Putri}"
    assert printed["year"] == "2015" and "note" not in printed
    assert printed["doi"] == "10.1234/abcd.5678" and printed["isbn"] == "978-602-0000-00-0"


def test_csl_json_carries_each_source_with_its_title_year_and_identifiers(xian):
    entry = with_agreement(xian, sources=(UNTITLED, PRINTED))
    first, untitled, printed = json.loads(
        citations(entry, permalink=PERMALINK, version_date="2026-11-22", lang="id").csl_json
    )
    assert first["id"] == "surakarta-xian" and first["URL"] == PERMALINK
    assert (
        untitled["id"] == "surakarta-xian-p003"
    )  # the same id as its BibTeX key and untitled["type"] == "article-journal"
    assert untitled["title"] == UNTITLED.title
    assert untitled["issued"] == {"literal": "c. 2017"}
    assert untitled["URL"] == UNTITLED.url
    assert "tidak mencantumkan judul" in untitled["note"] and "c. 2017 adalah perkiraan" in untitled["note"]
    assert printed["issued"] == {"date-parts": [[2015]]}
    assert printed["DOI"] == PRINTED.doi and printed["ISBN"] == PRINTED.isbn
    assert printed["author"] == [{"literal": "Ani Putri"}] and printed["container-title"] == "Jurnal HI"
    assert "note" not in printed


def test_plain_text_names_the_sources_identifiers(xian):
    entry = with_agreement(xian, sources=(UNTITLED, PRINTED))
    text = citations(entry, permalink=PERMALINK, version_date=None, lang="en").text
    assert text.endswith(
        "Sources: [Untitled study of foreign cooperation in the former Surakarta Residency], c. 2017, "
        "<https://example.org/p003.pdf>; "
        'Ani Putri, "Efektivitas Sister City", Jurnal HI, 2015, doi:10.1234/abcd.5678, ISBN 978-602-0000-00-0.'
    )


def test_bibtex_escapes_every_special_character():
    assert (
        bibtex_escape(r"{ } \ % & $ # _ ~ ^")
        == r"\{ \} \textbackslash{} \% \& \$ \# \_ \textasciitilde{} \textasciicircum{}"
    )


def test_hostile_title_cannot_break_the_bibtex_entry(xian):
    hostile = Source(title=r"[a}b] , year = {1}", author="{x", publisher="} @misc{y,", url="https://e.org/}{")
    entry = with_agreement(
        xian, title=r"R&D} , note = {pwned \end{document} 100% #1 a_b ~ ^", sources=(hostile, *xian.agreement.sources)
    )
    bib = citations(entry, permalink="https://example.org/a b{c}.html", version_date="2026-11-22", lang="en").bibtex
    title = next(line for line in bib.splitlines() if line.startswith("  title"))
    assert title == (
        r"  title = {{R\&D\} , note = \{pwned \textbackslash{}end\{document\} 100\% \#1 a\_b \textasciitilde{} "
        r"\textasciicircum{}}},"
    )
    assert "https://example.org/a%20b%7Bc%7D.html" in bib
    # Every line's braces balance once escaped braces are set aside: no field spills into another.
    for line in (line for line in bib.splitlines() if line.startswith("  ")):
        bare = re.sub(r"\\[{}]", "", line)
        assert bare.count("{") == bare.count("}"), line
    assert bib.count("\n  note = ") == 1
    assert bib.count("\n@") == 2 and len(bibtex_entries(bib)) == 3  # the hostile source opened no entry


def test_cite_box_shows_the_plain_citation_escaped_with_what_the_script_needs(xian):
    entry = with_agreement(xian, title="<script>alert(1)</script>")
    citation = citations(entry, permalink=PERMALINK, version_date="2026-11-22T08:00:00+07:00", lang="en")
    html = partial("cite_box.html", citation=citation, site_root="../")
    soup = BeautifulSoup(html, "html.parser")
    assert [s.get("src") for s in soup.find_all("script")] == ["../assets/copy.js"]
    assert soup.select_one("#cite-text").get_text() == citation.text == "".join(citation.parts)
    # copy.js makes BibTeX and CSL-JSON from the entry's JSON export, the version date and the note's two parts.
    assert soup.select_one("section.cite")["data-version"] == citation.version == "2026-11-22"
    about, dated = (soup.select_one(f"#cite-text [data-cite={name}]").get_text() for name in ("about", "dated"))
    assert f"{about[0].upper()}{about[1:]}. {dated}" in citation.bibtex
    assert json.loads(citation.csl_json)[0]["note"] == f"{about[0].upper()}{about[1:]}. {dated}"
    assert soup.select("pre") == [] and soup.select("button") == []  # the script's, not the page's
    assert [e["id"] for e in soup.select("[data-copy]")] == ["cite-text"]
    assert soup.select_one("#cite-status") is None  # the status line the buttons speak in is the script's too


def test_an_undated_version_has_no_version_date_for_the_script(xian):
    citation = citations(xian, permalink=PERMALINK, version_date=None, lang="en")
    soup = BeautifulSoup(partial("cite_box.html", citation=citation, site_root=""), "html.parser")
    assert citation.version is None and not soup.select_one("section.cite").has_attr("data-version")


def test_copy_script_is_shipped_with_the_assets():
    script = (REPO / "templates" / "assets" / "copy.js").read_text(encoding="utf-8")
    assert "navigator.clipboard" in script and "data-copy-target" in script
