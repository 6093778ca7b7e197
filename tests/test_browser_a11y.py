"""axe-core on every kind of page, in both languages, in a real browser: no violations, also with
the map's popup open and with search results showing."""

from __future__ import annotations

import pytest

from catalogue.i18n import table
from catalogue import urls
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


@pytest.mark.parametrize("lang", LANGUAGES, ids=str)
def test_no_page_kind_has_violations(visit, real_base, real_catalogue, lang):
    v = visit(real_base)
    found = {}
    for path in page_kinds(real_catalogue):
        v.open(lang.prefix + path)
        settle(v.page)
        if problems := violations(v.page):
            found[path] = problems
    assert found == {}


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
