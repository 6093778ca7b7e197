"""The built site in a real browser: the map draws its markers, asks nothing of other hosts, and its layers toggle."""

from __future__ import annotations

import functools
import json
import threading
from contextlib import contextmanager
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from catalogue import vocab
from catalogue.config import Config
from catalogue.site import build
from conftest import make_project

pytestmark = pytest.mark.browser

# What the page's map draws: places (a cluster counts the places it holds), cluster icons, and the
# ties it joins by lines (lines: those on a line between two groups, plus those within one group,
# which need none at this zoom), in bundles (one line per pair of groups).
COUNT_LAYERS = """
() => {
    const map = window[document.querySelector("div.map-canvas").id];
    const state = map.catalogue;
    const out = {ready: state.ready, shown: 0, clusterIcons: 0, placeIcons: 0, places: state.places,
                 lines: state.lines + state.within, bundles: state.bundles};
    document.querySelectorAll(".map-icon").forEach(icon => {
        const count = Number(icon.querySelector(".map-count").textContent);
        if (icon.querySelector(".map-cluster")) { out.clusterIcons += 1; out.shown += count; }
        else { out.placeIcons += 1; out.shown += 1; }
    });
    return out;
}
"""


# Files the tests serve beside any site, under a folder no site has: axe-core, which the
# accessibility tests load into each page by its address, so Chromium compiles it once per context
# and reuses the code for every page after (injected as text, it was compiled again on each).
TEST_ASSETS = "/_test-assets/"
ASSETS = Path(__file__).parent / "assets"


class _Quiet(SimpleHTTPRequestHandler):
    """A static server for a built site: quiet, one connection for many requests, nothing kept fresh.

    HTTP/1.1 keeps a tab's connection open for the page's next requests. `Cache-Control: no-cache`
    makes the browser ask again for every file it has cached (a 304 when unchanged): a tab that
    lives across tests (see `visit`) never sees a stale copy of a file a test rebuilt."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def translate_path(self, path):
        if path.startswith(TEST_ASSETS):
            return str(ASSETS / path[len(TEST_ASSETS) :].split("?")[0])
        return super().translate_path(path)


@contextmanager
def serve(folder: Path):
    """folder on http://127.0.0.1:<free port>/, in a thread, for as long as the block runs; and
    tests/assets under /_test-assets/."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def real_base(real_site):
    with serve(real_site) as base:
        yield base


@dataclass
class Visit:
    """One browser tab and everything it did: requests, errors, dialogs."""

    page: object
    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response.status == 200, path

    def layers(self) -> dict:
        self.page.wait_for_function(
            "() => { const d = document.querySelector('div.map-canvas'); const m = d && window[d.id]; return m && "
            "m.catalogue && m.catalogue.ready; }",
            timeout=15000,
        )
        return self.page.evaluate(COUNT_LAYERS)

    def wait_until_shown(self, shown: int) -> dict:
        """The map's counts, once it has drawn `shown` places (in clusters or alone)."""
        self.layers()
        self.page.wait_for_function(f"() => ({COUNT_LAYERS})().shown === {shown}", timeout=15000)
        return self.layers()

    def assert_clean(self) -> None:
        assert self.requests, "no request was recorded"
        elsewhere = [url for url in self.requests if not (url.startswith(self.base) or url.startswith("data:"))]
        assert elsewhere == []
        assert self.errors == []
        assert self.dialogs == []


def watch(page, base: str) -> Visit:
    """A Visit of a new tab, recording what the tab asks for and every error and dialog it meets."""
    v = Visit(page, base)
    page.on("request", lambda request: v.requests.append(request.url))
    # A request the page itself abandons by navigating on (its favicon, say) fails as
    # net::ERR_ABORTED: that is the navigation, not a fault of the site. Missing files are
    # error statuses, caught below; any other failure counts.
    page.on(
        "requestfailed",
        lambda request: request.failure != "net::ERR_ABORTED" and v.errors.append(f"failed: {request.url}"),
    )
    page.on(
        "response",
        lambda response: response.status >= 400 and v.errors.append(f"{response.status}: {response.url}"),
    )
    page.on("console", lambda message: message.type == "error" and v.errors.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: v.errors.append(f"page error: {error}"))
    page.on("dialog", lambda dialog: (v.dialogs.append(dialog.message), dialog.dismiss()))
    return v


@pytest.fixture
def visit(tabs):
    made = []

    def start(base: str) -> Visit:
        v = watch(tabs.new_page(), base)
        made.append(v.page)
        return v

    yield start
    for page in made:
        if not page.is_closed() and page.url.startswith("http"):
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        page.close()
    tabs.clear_cookies()


MAP = "window[document.querySelector('div.map-canvas').id]"
# The home page's map as first drawn, and the way back to it: no popup, nothing selected or
# focused, every status shown, the first view, scrolled to the top; then its markers, to compare.
BACK = f"""first => {{
    const map = {MAP};
    map.stop();
    map.closePopup();
    if (document.activeElement) document.activeElement.blur();
    document.querySelectorAll('.map-statuses input:not(:checked)').forEach(box => box.click());
    map.setView(first.center, first.zoom, {{animate: false}});
    window.scrollTo(0, 0);
}}"""
MARKS = f"() => {MAP}.catalogue.marks().map(mark => JSON.stringify(mark)).sort()"
FIRST_DRAWN = f"() => ({{center: {MAP}.getCenter(), zoom: {MAP}.getZoom(), marks: ({MARKS})()}})"
MARKS_AS_FIRST = f"""first => {MAP}.getZoom() === first.zoom && !{MAP}.catalogue.selectedLines
    && JSON.stringify(({MARKS})()) === JSON.stringify(first.marks)"""


@pytest.fixture(scope="module")
def opened_home(tabs, real_base):
    """The shipped content's English home page, opened once per test module for the tests that read
    or work its map (opening it, with Leaflet, the map's data and the search box, costs more of
    Chromium's CPU than most such tests); see `home`."""
    v = watch(tabs.new_page(), real_base)
    v.open("en/index.html")
    v.layers()  # drawn
    first = v.page.evaluate(FIRST_DRAWN)
    yield v, first
    v.page.close()


@pytest.fixture
def home(opened_home) -> Iterator[Visit]:
    """The home page as first drawn, for one test; put back as it was after it, which is checked
    (the same markers, saying the same, at the same zoom, nothing selected)."""
    v, first = opened_home
    yield v
    v.page.wait_for_function(f"() => !{MAP}._animatingZoom")  # a zoom under way would end where it was going
    v.page.evaluate(BACK, first)
    v.page.wait_for_function(MARKS_AS_FIRST, arg=first, timeout=15000)


def located(entries) -> tuple[set[str], set[str]]:
    """The places an entry list puts on the map, and the ties drawn as lines (both parties located)."""
    places = {p.key for e in entries for p in e.places if p.on_map}
    lines = {
        e.agreement.slug for e in entries if all(p.on_map for p in e.places) and e.places[0].key != e.places[1].key
    }
    return places, lines


def status_counts(entries) -> dict[str, int]:
    """Ties per status among those the map shows (at least one party located)."""
    counts: dict[str, int] = {}
    for e in entries:
        if any(p.on_map for p in e.places):
            counts[e.agreement.status] = counts.get(e.agreement.status, 0) + 1
    return counts


# -- the home page ----------------------------------------------------------------


def test_home_map_shows_every_place_once_and_asks_only_this_host(home, real_catalogue):
    places, lines = located(real_catalogue.entries)
    v = home
    counts = v.wait_until_shown(len(places))
    assert counts["places"] == len(places)  # one marker per place, whatever its ties' statuses
    assert counts["lines"] == len(lines)
    assert counts["bundles"] <= len(lines)  # ties between the same two groups share one line
    assert counts["clusterIcons"] >= 1  # the Javanese places sit close enough to cluster on the world view
    v.assert_clean()
    for asset in (
        "assets/vendor/leaflet/leaflet.js",
        "map/index.json",
    ):
        assert v.base + asset in v.requests


def test_status_box_names_each_present_status_with_its_count(home, real_catalogue):
    counts = status_counts(real_catalogue.entries)
    v = home
    v.layers()
    labels = [" ".join(t.split()) for t in v.page.locator(".map-statuses label").all_inner_texts()]
    assert labels == [f"{vocab.STATUSES[s].labels['en']} ({counts[s]})" for s in vocab.STATUSES if s in counts]
    v.assert_clean()


def test_toggling_a_status_off_hides_its_ties(home, real_catalogue):
    entries = real_catalogue.entries
    places, lines = located(entries)
    others = [e for e in entries if e.agreement.status != "active"]
    places_left, lines_left = located(others)
    v = home
    v.wait_until_shown(len(places))
    checkbox = v.page.locator(".map-statuses input[value=active]")
    assert checkbox.is_checked()
    checkbox.uncheck()
    counts = v.wait_until_shown(len(places_left))  # a place with only active ties goes; one with others stays
    assert counts["places"] == len(places_left) < len(places)
    assert counts["lines"] == len(lines_left)
    checkbox.check()
    counts = v.wait_until_shown(len(places))
    assert counts["lines"] == len(lines)
    v.assert_clean()


def test_agreement_link_on_the_home_page_opens_its_page(visit, real_base, real_catalogue):
    v = visit(real_base)
    v.open("en/index.html")
    first = v.page.locator("ul.entries > li > a").first
    title, href = first.inner_text(), first.get_attribute("href")
    assert href == real_catalogue.recent(1)[0].url
    with v.page.expect_navigation():
        first.click()
    assert v.page.url == v.base + "en/" + href  # links are relative, so they stay in English
    assert v.page.locator("h1").inner_text() == title
    v.assert_clean()


def test_language_switch_keeps_the_reader_on_the_same_agreement(visit, real_base):
    v = visit(real_base)
    v.open("agreements/bogor-kisarazu.html")
    assert v.page.locator("html").get_attribute("lang") == "id"
    assert v.page.locator(".status-line").inner_text().split() == ["Aktif", "per", "2018"]
    v.page.locator("nav.languages a[hreflang=en]").click()
    v.page.wait_for_url(v.base + "en/agreements/bogor-kisarazu.html")
    assert v.page.locator("html").get_attribute("lang") == "en"
    assert v.page.locator(".status-line").inner_text().split() == ["Active", "as", "of", "2018"]
    assert v.page.locator("h1").inner_text() == "Bogor – Kisarazu"
    v.page.locator("nav.languages a[hreflang=id]").click()
    v.page.wait_for_url(v.base + "agreements/bogor-kisarazu.html")
    assert v.page.locator("html").get_attribute("lang") == "id"
    v.assert_clean()


# -- smaller maps -------------------------------------------------------------------


def test_place_page_shows_its_small_map(visit, real_base, real_catalogue):
    group = real_catalogue.places["id/surakarta"]
    places, lines = located(group.entries)
    v = visit(real_base)
    v.open("en/places/id/surakarta.html")
    counts = v.wait_until_shown(len(places))
    assert counts["places"] == len(places)
    assert counts["lines"] == len(lines)
    box = v.page.locator("figure.map div.map-canvas").bounding_box()
    assert box["height"] > 200 and box["width"] > 200
    v.assert_clean()


def test_agreement_page_map_shows_both_parties(visit, real_base):
    v = visit(real_base)
    v.open("en/agreements/surakarta-xian.html")
    counts = v.wait_until_shown(2)
    assert (counts["places"], counts["lines"]) == (2, 1)
    v.assert_clean()


# -- names are text in the browser too ------------------------------------------------

HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_ENTRY = f"""---
parties:
  - name: Surakarta
    level: city
    country: ID
  - name: {json.dumps(HOSTILE)}
    level: city
    country: JP
    coordinates: [35.0, 135.7]
kind: sister-city
status: active
as_of: 2020
sources:
  - title: A source
---
"""


@pytest.fixture(scope="module")
def hostile_base(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("hostile"))
    (project.agreements / "surakarta-hostile.md").write_text(HOSTILE_ENTRY, encoding="utf-8")
    out = project.root / "site"
    build(project, out, Config(tiles="none"))
    with serve(out) as base:
        yield base


def test_hostile_name_stays_text_in_labels_and_popups(visit, hostile_base):
    v = visit(hostile_base)
    v.open("en/agreements/surakarta-hostile.html")
    v.wait_until_shown(2)
    names = sorted(v.page.locator(".map-name").all_text_contents())
    assert names == sorted([HOSTILE, "Surakarta"])
    spoken = v.page.locator(".map-icon .map-spoken").all_text_contents()
    assert any(label.startswith(HOSTILE + ", 1 tie") for label in spoken)
    v.page.locator(".map-icon", has_text=HOSTILE).click()
    assert v.page.locator(".map-popup-place strong a").text_content() == HOSTILE
    assert v.page.locator(".map-popup li a").first.text_content() == f"Surakarta – {HOSTILE}"
    assert v.page.locator(".leaflet-map-pane img, .leaflet-map-pane svg image").count() == 0
    v.assert_clean()  # no dialog, and no request for "x"
