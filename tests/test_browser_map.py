"""The map in a real browser, as readers use it: every tie of a place in its popup, by mouse or by
keyboard, spoken names in the page's language, list filters followed, a first view that fits on a
phone, and a map that still reads when its tiles never arrive."""

from __future__ import annotations

import re

import pytest

from catalogue import vocab
from catalogue.config import Config
from catalogue.mapdata import map_records
from catalogue.site import build
from catalogue.urls import country as country_url, term as term_url
from conftest import REPO, make_project
from test_browser import home, opened_home, real_base, serve, visit  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

MAP = "window[document.querySelector('div.map-canvas').id]"
READY = (
    "() => { const d = document.querySelector('div.map-canvas'); const m = d && window[d.id]; return !!(m && "
    "m.catalogue && m.catalogue.ready); }"
)


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


def test_every_place_lists_every_one_of_its_ties(home, real_catalogue):
    v = home
    located = {key: g for key, g in real_catalogue.places.items() if g.place.on_map}
    names = {g.place.name for g in located.values()}
    assert {"Daerah Istimewa Yogyakarta", "Surakarta"} <= names  # the two the issue names, among all the others
    for key, group in located.items():
        shown = popup_ties(v.page, key)
        expected: dict[str, list[str]] = {}
        for status in vocab.STATUSES:
            urls = sorted(e.url for e in group.entries if e.agreement.status == status)
            if urls:
                expected[vocab.STATUSES[status].labels["en"]] = urls
        assert {label: sorted(urls) for label, urls in shown.items()} == expected, key
        assert list(shown) == list(expected), key  # grouped in the vocabulary's order
    v.assert_clean()


def test_selecting_a_place_draws_its_own_lines(home, real_catalogue):
    group = next(g for g in real_catalogue.places.values() if g.place.name == "Surakarta")
    own = [e for e in group.entries if all(p.on_map for p in e.places)]
    v = home
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
    v.page.locator("figure.map div.map-canvas").focus()
    for _ in range(80):
        v.page.keyboard.press("Tab")
        label = v.page.evaluate(SPOKEN_FOCUS)
        if label.startswith("Surakarta,"):
            break
    else:
        pytest.fail("Tab never reached Surakarta's marker")
    assert v.page.evaluate("() => document.activeElement.getAttribute('role')") == "button"
    assert label == f"Surakarta, {len(group.entries)} ties: " + ", ".join(
        f"{n} {vocab.STATUSES[s].labels['en'].lower()}"
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


def test_clusters_have_spoken_names_and_enter_opens_them(home):
    v = home
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
    assert f"{vocab.STATUSES[status].labels['en']} ({len(shown)})" in legend
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


def test_map_controls_stay_under_the_page(home):
    v = home
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


# -- the pure part of map.js (CatalogueMapCore), run on data in the browser ----------------------


@pytest.fixture(scope="module")
def core(browser):
    """A blank page holding map.js alone: its pure functions, with no map and no Leaflet."""
    context = browser.new_context()
    page = context.new_page()
    page.goto("about:blank")
    page.add_script_tag(path=str(REPO / "templates/assets/map.js"))

    def run(body: str, arg=None):
        return page.evaluate(f"arg => {{ const core = CatalogueMapCore; {body} }}", arg)

    yield run
    context.close()


# Places as [lat, lon]: three in Central Java a few km apart, one in Kyoto, one off the map (None).
JAVA = [[-7.57, 110.82], [-7.55, 110.80], [-7.60, 110.85]]
KYOTO = [35.01, 135.77]
PLACES = [*JAVA, KYOTO, None]
GROUP = """
    const places = arg.places, n = places.length, xs = new Float64Array(n), ys = new Float64Array(n), on = new Uint8Array(n);
    places.forEach((p, i) => { if (p) { const xy = core.project(p[0], p[1]); xs[i] = xy[0]; ys[i] = xy[1]; on[i] = 1; } });
    const order = Int32Array.from(arg.order || places.map((p, i) => i));
    const level = core.cluster(xs, ys, on, order, arg.zoom, arg.radius || 48);
"""


def test_places_close_at_a_zoom_share_a_group_and_far_ones_do_not(core):
    world = core(
        GROUP + "return {of: Array.from(level.of), size: level.size, lead: level.lead};", {"places": PLACES, "zoom": 2}
    )
    assert world["of"][:3] == [0, 0, 0] and world["of"][3] == 1  # Java together, Kyoto apart
    assert world["of"][4] == -1  # a place off the map is in no group
    assert world["size"] == [3, 1] and world["lead"] == [0, 3]
    street = core(GROUP + "return Array.from(level.of);", {"places": PLACES, "zoom": 14})
    assert len(set(street[:4])) == 4  # at street level every place is on its own


def test_the_busiest_place_leads_its_group(core):
    led = core(GROUP + "return level.lead;", {"places": PLACES, "zoom": 2, "order": [2, 0, 1, 3]})
    assert led == [2, 3]


def test_every_place_is_near_its_leader_and_leaders_are_apart(core):
    """On 20,000 scattered places: the grouping's two promises, at every zoom."""
    broken = core(
        """
        let seed = 7; const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
        const places = []; for (let i = 0; i < 20000; i++) places.push([random() * 140 - 70, random() * 360 - 180]);
        const n = places.length, xs = new Float64Array(n), ys = new Float64Array(n), on = new Uint8Array(n).fill(1);
        places.forEach((p, i) => { const xy = core.project(p[0], p[1]); xs[i] = xy[0]; ys[i] = xy[1]; });
        const order = Int32Array.from(places.map((p, i) => i)), broken = [];
        for (let zoom = 0; zoom <= 17; zoom += 1) {
            const level = core.cluster(xs, ys, on, order, zoom, 48), r = 48 / (256 * 2 ** zoom);
            let placed = 0;
            for (let i = 0; i < n; i++) {
                const lead = level.lead[level.of[i]];
                if (Math.hypot(xs[i] - xs[lead], ys[i] - ys[lead]) > r * (1 + 1e-9)) broken.push(['far', zoom, i]);
            }
            level.size.forEach(s => { placed += s; });
            if (placed !== n) broken.push(['lost', zoom, placed]);
            if (level.count < 200) {
                for (let a = 0; a < level.count; a++) for (let b = a + 1; b < level.count; b++) {
                    const p = level.lead[a], q = level.lead[b];
                    if (Math.hypot(xs[p] - xs[q], ys[p] - ys[q]) <= r) broken.push(['close', zoom, p, q]);
                }
            }
        }
        return broken.slice(0, 5);
        """
    )
    assert broken == []


def test_a_group_counts_each_tie_once_even_with_both_places_inside(core):
    # Ties: Java 0 – Java 1 (active), Java 0 – Java 2 (stalled), Java 1 – Kyoto (active), Java 2 – off the map (ended).
    ties = [[0, 1, 0], [0, 2, 1], [1, 3, 0], [2, 4, 2]]
    mix = core(
        GROUP
        + """
        const t = arg.ties, a = Int32Array.from(t.map(x => x[0])), b = Int32Array.from(t.map(x => x[1])), s = Int32Array.from(t.map(x => x[2]));
        const shown = new Uint8Array(t.length).fill(1);
        return Array.from(core.tieMix(a, b, s, shown, level.of, level.count, 3));
        """,
        {"places": PLACES, "zoom": 2, "ties": ties},
    )
    java, kyoto = mix[0:3], mix[3:6]
    assert java == [2, 1, 1]  # 4 ties touch Java's group, not 5 tie-ends: "3 places: 2 active, 1 stalled, 1 ended"
    assert kyoto == [1, 0, 0]


def test_ties_between_two_groups_are_one_line(core):
    ties = [[0, 3], [1, 3], [2, 3], [0, 1], [3, 4]]
    found = core(
        GROUP
        + """
        const a = Int32Array.from(arg.ties.map(x => x[0])), b = Int32Array.from(arg.ties.map(x => x[1]));
        const shown = new Uint8Array(arg.ties.length).fill(1); shown[2] = 0;
        return core.bundle(a, b, shown, level.of);
        """,
        {"places": PLACES, "zoom": 2, "ties": ties},
    )
    # Java–Kyoto: ties 0 and 1 (2 is hidden); 0–1 is within Java; 3–4 has a place off the map.
    assert found == [{"a": 0, "b": 1, "ties": [0, 1]}]
    apart = core(
        GROUP
        + """
        const a = Int32Array.from(arg.ties.map(x => x[0])), b = Int32Array.from(arg.ties.map(x => x[1]));
        return core.bundle(a, b, new Uint8Array(arg.ties.length).fill(1), level.of).map(x => x.ties);
        """,
        {"places": PLACES, "zoom": 14, "ties": ties},
    )
    assert sorted(apart) == [[0], [1], [2], [3]]  # at street level, one line per tie


def test_names_that_would_overlap_are_left_out(core):
    shown = core(
        "return core.placeLabels(arg.labels, arg.obstacles);",
        {
            "labels": [[0, 0, 50, 16], [40, 8, 50, 16], [100, 0, 50, 16], [0, 40, 50, 16]],
            "obstacles": [[10, 45, 30, 30]],
        },
    )
    # The second overlaps the first; the fourth lies on a marker; the third is clear.
    assert shown == [True, False, True, False]


DATA = {"statuses": ["active", "stalled", "ended"], "kinds": ["sister-city"], "sectors": ["education", "trade"]}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {}),
        ("?status=stalled", {"status": 1}),
        ("?status=actve", {}),  # a misspelt status is named by the list; the map shows every status
        ("?kind=friendship-city", {"kind": -1}),  # a kind no tie here has: no tie, as the list shows none
        ("?sector=trade&country=JP", {"sector": 1, "country": "jp"}),
    ],
)
def test_filters_in_the_address(core, query, expected):
    assert core("return core.readFilters(arg.query, arg.data);", {"query": query, "data": DATA}) == expected


def test_a_tie_passes_the_filters_it_meets(core):
    # Ties: [place, place, status, kind, sectors]; places 0 in Indonesia, 1 in Japan.
    ties = [[0, 1, 0, 0, [0]], [0, 1, 1, 0, [1]], [0, 0, 1, 0, []]]
    passed = core(
        """
        const countries = ['id', 'jp'];
        return arg.queries.map(q => arg.ties.map(t => core.inFilters(t, core.readFilters(q, arg.data), i => countries[i])));
        """,
        {"ties": ties, "data": DATA, "queries": ["?status=stalled", "?sector=education", "?country=jp", "?kind=x"]},
    )
    assert passed == [[False, True, True], [True, False, False], [True, True, False], [False, False, False]]


@pytest.mark.parametrize("zoom", [None, 0])
def test_a_marker_says_how_many_ties_its_places_have_each_counted_once(home, real_catalogue, zoom):
    """ "3 places, with ties: 4 active, 1 stalled": 5 different ties, however many of them join two of the 3."""
    v = home
    if zoom is not None:
        v.page.evaluate(f"z => {MAP}.setZoom(z, {{animate: false}})", zoom)
        v.page.wait_for_function(f"z => {MAP}.getZoom() === z", arg=zoom)
    marks = v.page.evaluate(f"() => {MAP}.catalogue.marks()")
    assert any(len(m["places"]) > 1 for m in marks)
    for mark in marks:
        ties = {e.agreement.slug for key in mark["places"] for e in real_catalogue.places[key].entries}
        said = sum(int(n) for n in re.findall(r"(\d+) [a-z]", mark["spoken"].rsplit(": ", 1)[1]))
        assert said == len(ties), mark
        if len(mark["places"]) > 1:
            assert mark["spoken"].startswith(f"{len(mark['places'])} places, with ties: "), mark
    v.assert_clean()


NAMES_APART = """() => {
    const boxes = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const names = [...document.querySelectorAll('.map-name')].map(boxes), rings = [...document.querySelectorAll('.map-ring')].map(boxes);
    const cross = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    const clashes = [];
    names.forEach((a, i) => {
        names.forEach((b, j) => { if (i < j && cross(a, b)) clashes.push(['name', i, j]); });
        rings.forEach((b, j) => { if (cross(a, b)) clashes.push(['ring', i, j]); });
    });
    return {names: names.length, clashes};
}"""


@pytest.mark.parametrize("zoom", [None, 8])
def test_names_of_places_never_overlap_each_other_or_a_marker(home, zoom):
    v = home
    if zoom is not None:
        v.page.evaluate(
            f"z => {MAP}.setView([-7.2, 110.4], z, {{animate: false}})", zoom
        )  # over Java, where places crowd
        v.page.wait_for_function(f"z => {MAP}.getZoom() === z", arg=zoom)
    found = v.page.evaluate(NAMES_APART)
    assert found["clashes"] == []
    assert found["names"] >= 1
    assert found["names"] == v.page.evaluate(f"() => {MAP}.catalogue.names")
    v.assert_clean()


def test_a_line_of_several_ties_opens_them_all(home, real_catalogue):
    v = home
    v.page.evaluate(f"() => {MAP}.setZoom(0, {{animate: false}})")
    v.page.wait_for_function(f"() => {MAP}.getZoom() === 0")
    # A line of several ties, clicked where nothing lies over it.
    target = v.page.evaluate(f"""() => {{
        const map = {MAP}, box = map.getContainer().getBoundingClientRect();
        for (const line of map.catalogue.drawnLines.filter(line => line.ties.length > 1)) {{
            for (const f of [0.3, 0.4, 0.5, 0.6, 0.7]) {{
                const a = map.latLngToContainerPoint(line.ends[0]), b = map.latLngToContainerPoint(line.ends[1]);
                const x = box.left + a.x + f * (b.x - a.x), y = box.top + a.y + f * (b.y - a.y);
                if (document.elementFromPoint(x, y).tagName === 'CANVAS') return {{x, y, ties: line.ties}};
            }}
        }}
        return null;
    }}""")
    assert target is not None and len(target["ties"]) > 1
    # Each line holds the ties of one status between two groups, drawn in that status's colour.
    statuses = {e.agreement.slug: e.agreement.status for e in real_catalogue.entries}
    for line in v.page.evaluate(f"() => {MAP}.catalogue.drawnLines"):
        assert {statuses[slug] for slug in line["ties"]} == {line["status"]}, line
    v.page.mouse.click(target["x"], target["y"])
    popup = v.page.locator(".leaflet-popup .map-popup")
    popup.wait_for()
    assert popup.locator(".map-popup-place").text_content().startswith(f"{len(target['ties'])} ties: ")
    links = popup.locator("li > a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(links) == sorted(f"agreements/{slug}.html" for slug in target["ties"])
    v.assert_clean()


def shared_map_pages(catalogue) -> dict[str, tuple[str, tuple]]:
    """One page of each kind whose map shows part of a shared data file (mapdata.shared_maps), with its entries."""
    entries = [e for e in catalogue.entries if any(p.on_map for p in e.places)]
    # An agreement whose first party is not on the map, if there is one: its map reads its second party's file.
    entry = next((e for e in entries if not e.places[0].on_map), entries[0])
    pages = {"agreement": (entry.url, (entry,))}
    code, listed = next(iter(catalogue.countries.items()))
    pages["country"] = (country_url(code), listed)
    for group, by_key in (("sectors", catalogue.sectors), ("statuses", catalogue.statuses), ("kinds", catalogue.kinds)):
        key, listed = next(iter(by_key.items()))
        pages[group] = (term_url(group, key), listed)
    return pages


@pytest.mark.parametrize("kind", ["agreement", "country", "sectors", "statuses", "kinds"])
def test_a_map_that_shows_part_of_a_shared_file_shows_exactly_its_ties(visit, real_base, real_catalogue, kind):
    path, entries = shared_map_pages(real_catalogue)[kind]
    v = visit(real_base)
    v.open("en/" + path)
    ready(v.page)
    shown = v.page.evaluate(f"() => {MAP}.catalogue.shownTies()")
    assert sorted(shown) == sorted(t.slug for t in map_records(entries)) and shown
    v.assert_clean()
