"""Relations that matter at a real size, on the 300-pair fixture frozen from the corpus
(tests/fixtures/corpus, built once per session by conftest's corpus_site): a page for every
entry file, every place page listing exactly its ties, every split list linked page to page with
rel=prev/next and its filter data covering the whole list, and no HTML page over 300 KB."""

from __future__ import annotations

import json
import re
from pathlib import Path

from catalogue.dates import read_dates
from catalogue.freshness import sections
from conftest import CORPUS, CORPUS_PAGE_SIZE, CorpusSite, entry_files, html_pages

LANGS = ("", "en/")
MAX_PAGE_BYTES = 300_000
AGREEMENT_LINK = re.compile(r'href="([^"]*agreements/[^"/]+\.html)"')
TAG = re.compile(r"<(a|link|form)\b([^>]*)>")
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
ROW_LINK = re.compile(
    r'<li(?: data-f="[^"]*")?><a href="([^"]*)">[^<]*</a> <span class="badge-'
)  # a list row's title link (catalogue/rows.py)


def tags(page: Path) -> list[tuple[str, dict[str, str]]]:
    """The page's links, anchors and forms with their attributes: a whole list's pages are read
    in a fraction of the time a parsed tree takes (the list test reads about 80 of them)."""
    return [(name, dict(ATTRIBUTE.findall(attrs))) for name, attrs in TAG.findall(page.read_text(encoding="utf-8"))]


def test_the_fixture_is_real_sized_and_keeps_its_licence_outside_content():
    files = entry_files(CORPUS / "content" / "agreements")
    assert len(files) >= 250
    assert (CORPUS / "LICENSE.hekman-twincities.MIT.txt").is_file()
    assert not [p for p in (CORPUS / "content").rglob("*") if "licen" in p.name.lower()]


def test_every_entry_file_has_a_page_and_every_page_an_entry_file(corpus_site: CorpusSite):
    slugs = {p.stem for p in entry_files(corpus_site.project.agreements)}
    assert {e.agreement.slug for e in corpus_site.catalogue.entries} == slugs
    for lang in LANGS:
        folder = corpus_site.site / lang / "agreements"
        pages = {p.stem for p in folder.glob("*.html") if p.name != "index.html"}
        assert pages == slugs, lang


def agreement_links(page: Path) -> set[Path]:
    """The agreement pages a page links to, as files."""
    return {
        (page.parent / href).resolve()
        for href in AGREEMENT_LINK.findall(page.read_text(encoding="utf-8"))
        if not href.endswith("/index.html")
    }


def test_every_place_page_lists_exactly_its_ties(corpus_site: CorpusSite):
    catalogue, site = corpus_site.catalogue, corpus_site.site
    ties: dict[str, set[str]] = {}
    for entry in catalogue.entries:
        for place in entry.places:
            ties.setdefault(place.key, set()).add(entry.url)
    assert set(ties) == set(catalogue.places)
    assert max(len(urls) for urls in ties.values()) >= 50  # some places have many ties, as real ones do
    for lang in LANGS:
        root = site / lang
        for key, urls in ties.items():
            page = root / "places" / f"{key}.html"
            assert agreement_links(page) | all_ties_linked(page) == {(root / url).resolve() for url in urls}, (
                f"{lang}{key}"
            )


def all_ties_linked(page: Path) -> set[Path]:
    """The ties on the pages of the list of all a hub's ties that its page links to (none for most places)."""
    found: set[Path] = set()
    link = next((a["href"] for name, a in tags(page) if name == "a" and a.get("href", "").endswith("/ties.html")), None)
    page = (page.parent / link).resolve() if link else None
    while page is not None:
        found |= agreement_links(page)
        rel = {a["rel"]: a["href"] for name, a in tags(page) if name == "link" and a.get("rel") == "next"}
        page = (page.parent / rel["next"]).resolve() if "next" in rel else None
    return found


def list_members(corpus_site: CorpusSite, first_page: str) -> set[str] | None:
    """What a list page should list, by the catalogue's own grouping; None for a list not grouped so."""
    catalogue = corpus_site.catalogue
    if first_page == "agreements/index.html":
        return {e.url for e in catalogue.entries}
    kind, _, name = first_page.removesuffix(".html").partition("/")
    if kind == "freshness":  # a section of the freshness page (freshness/stale.html)
        reference = read_dates(corpus_site.project.root, catalogue).reference
        return {e.url for e in sections(catalogue, reference).get(name, ())}
    if kind == "places" and name.endswith("/ties"):  # all of a hub's ties (places/jp/kochi/ties.html)
        return {e.url for e in catalogue.places[name.removesuffix("/ties")].entries}
    groups = {
        "countries": {k.lower(): v for k, v in catalogue.countries.items()},
        "sectors": catalogue.sectors,
        "statuses": catalogue.statuses,
        "kinds": catalogue.kinds,
    }
    return {e.url for e in groups[kind][name]} if kind in groups and name in groups[kind] else None


def rows_of(root: Path, data: dict) -> list:
    """A list's filter data as rows: its own (all agreements), or its positions in all agreements' rows."""
    if "rows" in data:
        return data["rows"]
    assert data["in"] == "lists/agreements/index.json"
    everything = json.loads((root / data["in"]).read_text(encoding="utf-8"))["rows"]
    return [everything[i] for i in data["of"]]


def test_split_lists_link_page_to_page_and_their_filter_data_covers_the_whole_list(corpus_site: CorpusSite):
    site = corpus_site.site
    split = sorted(site.glob("lists/**/*.json"))
    kinds = {p.relative_to(site / "lists").parts[0] for p in split}
    assert {"agreements", "countries", "statuses", "kinds", "sectors"} <= kinds, kinds
    for lang in LANGS:
        root = site / lang
        for data_file in sorted((root / "lists").glob("**/*.json")):
            first = data_file.relative_to(root / "lists").with_suffix(".html").as_posix()
            data = json.loads(data_file.read_text(encoding="utf-8"))
            listed = rows_of(root, data)
            rows = {(root / row[0]).resolve() for row in listed}
            assert data["total"] == len(listed) == len(rows) > CORPUS_PAGE_SIZE, first
            expected = list_members(corpus_site, first)
            assert expected is not None, f"{first}: a split list the test does not know"
            assert rows == {(root / url).resolve() for url in expected}, first
            # Follow rel=next from the first page to the last; each page's rel=prev is the one before.
            pages, shown, page = [], [], root / first
            while True:
                found = tags(page)
                rel = {a["rel"]: a["href"] for name, a in found if name == "link" and a.get("rel") in ("prev", "next")}
                lists = [a["data-list"] for name, a in found if name == "form" and "filters" in a.get("class", "")]
                assert [(page.parent / href).resolve() for href in lists] == [data_file.resolve()], page
                if pages:
                    assert (page.parent / rel["prev"]).resolve() == pages[-1], page
                else:
                    assert "prev" not in rel, page
                pages.append(page.resolve())
                shown += [(page.parent / href).resolve() for href in ROW_LINK.findall(page.read_text(encoding="utf-8"))]
                if "next" not in rel:
                    break
                page = (page.parent / rel["next"]).resolve()
            assert len(pages) == -(-data["total"] // CORPUS_PAGE_SIZE), first
            assert len(shown) == len(set(shown)) and set(shown) == rows, first  # each entry on exactly one page


def test_a_short_list_stays_one_page_without_filter_data(corpus_site: CorpusSite):
    site, catalogue = corpus_site.site, corpus_site.catalogue
    short = sorted(code for code, entries in catalogue.countries.items() if len(entries) <= CORPUS_PAGE_SIZE)
    assert short
    for code in short:
        found = tags(site / "countries" / f"{code.lower()}.html")
        assert not [a for name, a in found if name == "link" and a.get("rel") in ("prev", "next")], code
        assert ROW_LINK.findall((site / "countries" / f"{code.lower()}.html").read_text(encoding="utf-8")), code
        assert not (site / "lists/countries" / f"{code.lower()}.json").exists(), code


def test_no_html_page_is_over_300_kb(corpus_site: CorpusSite):
    pages = html_pages(corpus_site.site)
    assert len(pages) > 2 * len(corpus_site.catalogue.entries)
    too_big = [(p.relative_to(corpus_site.site).as_posix(), p.stat().st_size) for p in pages]
    assert [(path, size) for path, size in too_big if size > MAX_PAGE_BYTES] == []
