"""The map in a real browser, as readers use it: every tie of a place in its popup, by mouse or by
keyboard, spoken names in the page's language, list filters followed, a first view that fits on a
phone, and a map that still reads when its tiles never arrive."""

from __future__ import annotations

import re

import pytest

from catalogue import vocab
from catalogue.config import Config
from catalogue.site import build
from conftest import make_project
from test_browser import browser, real_base, serve, visit  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

MAP = "window[document.querySelector('div.folium-map').id]"
READY = "() => { const d = document.querySelector('div.folium-map'); const m = d && window[d.id]; return !!(m && m.catalogue && m.catalogue.ready); }"


# What a screen reader says for the focused element: a marker's name is its (visually hidden) words.
SPOKEN_FOCUS = "() => { const s = document.activeElement.querySelector('.map-spoken'); return s ? s.textContent : ''; }"


def ready(page) -> None:
    page.wait_for_function(READY, timeout=15000)


def popup_ties(page, key: str) -> dict[str, list[str]]:
    """Open a place's popup the way a click does; the agreement links it lists, by status heading."""
    return page.evaluate(
        f"""key => {{
        const box = {MAP}.catalogue.open(key);
        const out = {{}};
        let heading = null;
        box.querySelectorAll('.map-popup-status, .map-popup li').forEach(node => {{
            if (node.matches('.map-popup-status')) {{ heading = node.textContent.replace(/ \\(\\d+\\)$/, ''); out[heading] = []; }}
            else out[heading].push(node.querySelector('a').getAttribute('href'));
        }});
        return out;
    }}""",
        key,
    )


def test_every_place_lists_every_one_of_its_ties(visit, real_base, real_catalogue):
    v = visit(real_base)
    v.open("en/index.html")
    ready(v.page)
    located = {key: g for key, g in real_catalogue.places.items() if g.place.on_map}
    names = {g.place.name for g in located.values()}
    assert {"Daerah Istimewa Yogyakarta", "Surakarta"} <= names  # the two the issue names, among all the others
    for key, group in located.items():
        shown = popup_ties(v.page, key)
        expected: dict[str, list[str]] = {}
        for status in vocab.STATUSES:
            urls = sorted(e.url for e in group.entries if e.agreement.status == status)
            if urls:
                expected[vocab.STATUSES[status].en] = urls
        assert {label: sorted(urls) for label, urls in shown.items()} == expected, key
        assert list(shown) == list(expected), key  # grouped in the vocabulary's order
    v.assert_clean()


def test_selecting_a_place_draws_its_own_lines(visit, real_base, real_catalogue):
    group = next(g for g in real_catalogue.places.values() if g.place.name == "Surakarta")
    own = [e for e in group.entries if all(p.on_map for p in e.places)]
    v = visit(real_base)
    v.open("en/index.html")
    ready(v.page)
    v.page.evaluate(f"() => {MAP}.catalogue.open('{group.place.key}')")
    assert v.page.evaluate(f"() => {MAP}.catalogue.selectedLines") == len(own) > 0
    v.page.keyboard.press("Escape")
    v.page.evaluate(f"() => {MAP}.closePopup()")
    assert v.page.evaluate(f"() => {MAP}.catalogue.selectedLines") == 0


def test_keyboard_reaches_a_place_and_enter_opens_all_its_ties(visit, real_base, real_catalogue):
    group = real_catalogue.places["id/surakarta"]
    v = visit(real_base)
    v.open("en/places/id/surakarta.html")
    ready(v.page)
    v.page.locator("figure.map div.folium-map").focus()
    for _ in range(80):
        v.page.keyboard.press("Tab")
        label = v.page.evaluate(SPOKEN_FOCUS)
        if label.startswith("Surakarta,"):
            break
    else:
        pytest.fail("Tab never reached Surakarta's marker")
    assert v.page.evaluate("() => document.activeElement.getAttribute('role')") == "button"
    assert label == f"Surakarta, {len(group.entries)} ties: " + ", ".join(
        f"{n} {vocab.STATUSES[s].en.lower()}"
        for s in vocab.STATUSES
        if (n := sum(1 for e in group.entries if e.agreement.status == s))
    )
    v.page.keyboard.press("Enter")
    popup = v.page.locator(".leaflet-popup .map-popup")
    popup.wait_for()
    links = popup.locator("li > a:first-child").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(links) == sorted("../../" + e.url for e in group.entries)  # relative to the place's page
    assert v.page.evaluate("() => document.activeElement.closest('.map-popup') !== null")  # the reader is in the popup
    v.page.keyboard.press("Escape")
    popup.wait_for(state="detached")
    assert v.page.evaluate(SPOKEN_FOCUS).startswith("Surakarta,")
    v.assert_clean()


def test_clusters_have_spoken_names_and_enter_opens_them(visit, real_base):
    v = visit(real_base)
    v.open("en/index.html")
    ready(v.page)
    cluster = v.page.locator(".map-icon:has(.map-cluster)").first
    label = cluster.locator(".map-spoken").text_content()
    places = int(cluster.locator(".map-count").text_content())
    assert re.fullmatch(rf"{places} places, with ties: \d+ [a-z]+( [a-z]+)?(, \d+ [a-z]+( [a-z]+)?)*", label), (
        label
    )  # "not reported" is two words
    zoom = v.page.evaluate(f"() => {MAP}.getZoom()")
    cluster.focus()
    v.page.keyboard.press("Enter")
    v.page.wait_for_function(f"z => {MAP}.getZoom() > z || document.querySelector('.leaflet-popup') !== null", arg=zoom)
    v.assert_clean()


def test_indonesian_pages_speak_indonesian(visit, real_base):
    v = visit(real_base)
    v.open("index.html")
    ready(v.page)
    assert v.page.get_attribute(".leaflet-control-zoom-in", "aria-label") == "Perbesar"
    assert v.page.get_attribute(".leaflet-control-zoom-out", "title") == "Perkecil"
    assert v.page.locator(".map-statuses summary").text_content() == "Status kerja sama"
    cluster = v.page.locator(".map-icon:has(.map-cluster) .map-spoken").first.text_content()
    assert re.fullmatch(r"\d+ tempat, dengan kerja sama: \d+ [a-z]+.*", cluster), cluster
    v.page.evaluate(f"() => {MAP}.catalogue.open('id/surakarta')")
    assert v.page.get_attribute(".leaflet-popup-close-button", "aria-label") == "Tutup"
    assert v.page.locator(".map-skip a").get_attribute("href") == "agreements/index.html"  # the same ties, as a list
    v.assert_clean()


def test_the_map_follows_the_list_filters_in_the_url(visit, real_base, real_catalogue):
    group = real_catalogue.places["id/surakarta"]
    statuses = {e.agreement.status for e in group.entries}
    status = sorted(statuses)[0]
    v = visit(real_base)
    v.open(f"en/places/id/surakarta.html?status={status}")
    ready(v.page)
    shown = v.page.evaluate(f"() => {MAP}.catalogue.shownTies()")
    assert sorted(shown) == sorted(e.agreement.slug for e in group.entries if e.agreement.status == status)
    legend = [" ".join(t.split()) for t in v.page.locator(".map-statuses label").all_inner_texts()]
    assert f"{vocab.STATUSES[status].en} ({len(shown)})" in legend
    v.page.select_option("form.filters select[name=status]", "")
    v.page.wait_for_function(f"n => {MAP}.catalogue.shownTies().length === n", arg=len(group.entries))
    v.assert_clean()


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_first_view_fits_every_place(browser, real_base, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(real_base + "en/index.html")
        ready(page)
        outside = page.evaluate(f"""() => {{
            const map = {MAP}, size = map.getSize(), out = [];
            map.catalogue.data.places.forEach(p => {{
                if (p[0] === null) return;
                const at = map.latLngToContainerPoint([p[0], p[1]]);
                if (at.x < 0 || at.y < 0 || at.x > size.x || at.y > size.y) out.push(p[2]);
            }});
            return out;
        }}""")
        assert outside == []
        # The status box starts folded on a phone, so it covers no place.
        assert page.evaluate("() => document.querySelector('.map-statuses').open") is (width >= 600)
    finally:
        context.close()


def test_map_controls_stay_under_the_page(visit, real_base):
    v = visit(real_base)
    v.open("en/index.html")
    ready(v.page)
    # Leaflet's controls carry z-index 1000, as the search results do: the map keeps them inside itself.
    assert v.page.evaluate("() => getComputedStyle(document.querySelector('figure.map')).isolation") == "isolate"
    covered = v.page.evaluate("""() => {
        const drawer = document.createElement('div');
        drawer.className = 'pagefind-ui__drawer';
        document.querySelector('#site-search').appendChild(drawer);
        const zoom = document.querySelector('.leaflet-control-zoom-in').getBoundingClientRect();
        Object.assign(drawer.style, {position: 'fixed', left: '0px', top: '0px', width: '100vw', height: '100vh', zIndex: 1000, display: 'block'});
        const top = document.elementFromPoint(zoom.x + zoom.width / 2, zoom.y + zoom.height / 2);
        drawer.remove();
        return top === drawer;
    }""")
    assert covered


# -- tiles that never arrive ---------------------------------------------------------------


@pytest.fixture(scope="module")
def tiled_base(tmp_path_factory):
    """The fixture catalogue built with OpenStreetMap tiles, which this machine cannot reach."""
    project = make_project(tmp_path_factory.mktemp("tiled"))
    out = project.root / "site"
    build(project, out, Config(tiles="openstreetmap"), search=False)
    with serve(out) as base:
        yield base


def test_failed_tiles_give_way_to_the_shipped_land_and_borders(browser, tiled_base):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(tiled_base + "en/index.html")
        ready(page)
        page.wait_for_function(f"() => {MAP}.catalogue.offline === true && !!window.CATALOGUE_BORDERS")
        assert page.locator(".map-note").first.text_content().startswith("Map tiles could not be loaded")
        assert (
            page.evaluate(
                f"() => {{ let t = 0; {MAP}.eachLayer(l => {{ if (l instanceof L.TileLayer) t++; }}); return t; }}"
            )
            == 0
        )
        assert page.locator(".leaflet-land-pane canvas").count() == 1
        assert page.locator(".map-name").count() >= 1  # the names of mapped places, from the map's own data
        assert errors == []
    finally:
        context.close()
