"""axe-core on every kind of page, in both languages, in a real browser: no violations, also with
the map's popup open and with search results showing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from bs4 import Comment, NavigableString, Tag

from catalogue.i18n import table
from catalogue import urls
from conftest import parse
from test_browser import TEST_ASSETS, real_base, visit  # noqa: F401 (fixtures)

LANGUAGES = table()  # the default languages: id at the root, en under en/
pytestmark = pytest.mark.browser

AXE_URL = TEST_ASSETS + "axe-core/axe.min.js"  # served beside the site by test_browser.serve
MAP = "window[document.querySelector('div.map-canvas').id]"


def page_kinds(catalogue) -> list[str]:
    """One page of each kind, as paths under a language root, chosen from the catalogue itself."""
    entry = next(e for e in catalogue.entries if all(p.on_map for p in e.places))
    place = next(key for key, g in catalogue.places.items() if g.place.on_map and len(g.entries) > 1)
    off_map = next((key for key, g in catalogue.places.items() if not g.place.on_map), place)
    country = next(iter(catalogue.countries))
    return [
        "index.html",
        "agreements/index.html",
        entry.url,
        "places/index.html",
        f"places/{place}.html",
        f"places/{off_map}.html",
        "countries/index.html",
        urls.country(country),
        "sectors/index.html",
        f"sectors/{next(iter(catalogue.sectors))}.html",
        "statuses/index.html",
        f"statuses/{entry.agreement.status}.html",
        "kinds/index.html",
        f"kinds/{entry.agreement.kind}.html",
        "statistics.html",
        "freshness.html",
        "open-data.html",
    ]


def violations(page) -> list[str]:
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(url=AXE_URL)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '))"
    )
    return found


def settle(page) -> None:
    """Wait for what scripts draw: the map's markers, the search box, the cite box's formats."""
    if page.locator("div.map-canvas").count():
        page.wait_for_function(f"() => {MAP}.catalogue && {MAP}.catalogue.ready", timeout=15000)
    page.wait_for_selector(".pagefind-ui__search-input")
    if page.locator("section.cite").count():  # its BibTeX and CSL-JSON, made by copy.js, are checked too
        page.wait_for_selector("section.cite[data-formats]")


# Attributes that hold words (or addresses, which hold words: a page's own name in its language): a
# page's skeleton keeps only whether each holds any. Language codes become this page's or another's.
WORDS = {"href", "title", "alt", "aria-label", "placeholder", "content", "value", "datetime", "action", "src"}


def skeleton(page: Path, lang: str) -> Counter:
    """What axe's verdict on a page rests on besides its words: each element at its depth with its
    attributes (classes, roles, ids, ...), the words of its wording attributes reduced to whether it
    has any, each text to "some text", a language code to this page's language or another one. Two
    pages of a kind in two languages with the same skeleton differ only in words, in the same
    elements, styled alike: axe's rules (names present, roles, structure, landmarks, contrast of
    the same classes) give both the same verdict. Counted, not in order: lists sort by name, which
    differs between languages; the language switch names one language as text and the other as a link."""
    languages = {str(language) for language in LANGUAGES}
    found: Counter = Counter()

    def walk(node: Tag, depth: int) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                if child.strip():
                    found[depth, "#text"] += 1
                continue
            if not isinstance(child, Tag):
                continue
            attributes = []
            for name, value in sorted(child.attrs.items()):
                value = " ".join(value) if isinstance(value, list) else value
                if name in ("lang", "hreflang") and value in languages:
                    value = "this page's" if value == lang else "another"
                elif name in WORDS or name.startswith("data-"):
                    value = "words" if value.strip() else ""
                attributes.append(f"{name}={value}")
            found[depth, child.name, *attributes] += 1
            if child.name not in ("script", "style"):
                walk(child, depth + 1)

    walk(parse(page), 0)
    return found


@pytest.mark.parametrize("lang", LANGUAGES, ids=str)
def test_no_page_kind_has_violations(visit, real_base, real_site, real_catalogue, lang):
    """axe on one page of each kind in the first language. In another language a page whose skeleton
    is the first language's page's (the same elements, attributes and texts, in other words: see
    `skeleton`) has that page's verdict; one that differs otherwise is run through axe itself."""
    first, paths = LANGUAGES[0], page_kinds(real_catalogue)
    if lang != first:
        paths = [
            path
            for path in paths
            if skeleton(real_site / (lang.prefix + path), lang) != skeleton(real_site / (first.prefix + path), first)
        ]
    v = visit(real_base)
    found = {}
    for path in paths:
        v.open(lang.prefix + path)
        settle(v.page)
        if problems := violations(v.page):
            found[path] = problems
    assert found == {}


def test_the_skeleton_sees_what_axe_judges_and_not_the_words(real_site, tmp_path):
    """Other words give the same skeleton; a name left out, an element more or another language does not."""
    first = LANGUAGES[0]
    page = (real_site / first.prefix / "index.html").read_text(encoding="utf-8")
    label = page.index('aria-label="') + len('aria-label="')

    def skeleton_of(text: str) -> Counter:
        (tmp_path / "page.html").write_text(text, encoding="utf-8")
        return skeleton(tmp_path / "page.html", first)

    same = skeleton_of(page)
    assert skeleton_of(page[:label] + "Other words " + page[label:]) == same
    assert skeleton_of(page.replace("</h1>", " and more words</h1>", 1)) == same
    assert skeleton_of(page[:label] + page[page.index('"', label) :]) != same  # an empty name
    assert skeleton_of(page.replace("<h1", "<h1 hidden", 1)) != same
    assert skeleton_of(page.replace("</h1>", "</h1><img src=x.png>", 1)) != same
    assert skeleton_of(page.replace(f'lang="{first}"', 'lang="xx"', 1)) != same


@pytest.mark.parametrize("lang", LANGUAGES, ids=str)
def test_open_popup_and_search_results_have_no_violations(visit, real_base, lang):
    v = visit(real_base)
    v.open(lang.prefix + "index.html")
    settle(v.page)
    v.page.evaluate(f"() => {MAP}.catalogue.open('id/surakarta')")
    v.page.wait_for_selector(".leaflet-popup .map-popup")
    # Leaflet fades a popup in; axe measures contrast as drawn, so half-faded text fails it.
    v.page.wait_for_function("() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    assert violations(v.page) == []
    v.page.fill(".pagefind-ui__search-input", "Surakarta")
    v.page.wait_for_selector(".pagefind-ui__result-link")
    # Pagefind draws grey placeholders while the later results load; axe measures what is drawn.
    v.page.wait_for_function("() => !document.querySelector('.pagefind-ui__loading')")
    assert violations(v.page) == []


@pytest.mark.parametrize("lang", LANGUAGES, ids=str)
def test_a_list_pages_map_with_a_popup_open_has_no_violations(visit, real_base, lang):
    v = visit(real_base)
    v.open(lang.prefix + urls.country("ID") + "?status=active")
    settle(v.page)
    v.page.evaluate(f"() => {MAP}.catalogue.open('id/surakarta')")
    v.page.wait_for_selector(".leaflet-popup .map-popup")
    v.page.wait_for_function("() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    assert violations(v.page) == []
    v.assert_clean()
