"""The map as data: the records mapdata makes, the compact JSON each map fetches, the page's config
(the div's data-map), its links and the words file. How the browser draws them is test_browser_map.py."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from catalogue import vocab
from catalogue.assets import STATUS_CSS, asset_pages, status_css
from catalogue.mapdata import map_pages, map_records, maps, shared_maps
from catalogue.urls import map_data as data_path
from catalogue.mapping import (
    MAP_ID,
    LOADED_BY_MAP_JS,
    OSM_TILES,
    PRECISION,
    STATUS_COLOURS,
    MapPlace,
    MapTie,
    build_map,
    map_data,
    statuses_present,
)
from catalogue.render import STATUS_LABELS
from catalogue.site import check
from catalogue.urls import country as country_url, term as term_url
from conftest import REPO, html_pages, parse

GUILIN, KYOTO = (25.2802, 110.2964), (35.0211, 135.7538)  # given as coordinates in the entries below
CONFIG = re.compile(r"data-map='(\{[^']*\})'")

PARTNER = """---
parties:
  - name: Surakarta
    level: city
    country: ID
  - name: {name}
    level: {level}
    country: {country}
{coordinates}kind: {kind}
status: {status}
as_of: 2018
sectors: [{sectors}]
sources:
  - title: A source
---
"""


def add_entry(
    project, slug, name, status, country="CN", level="city", coordinates=None, kind="sister-city", sectors=""
):
    where = f"    coordinates: [{coordinates[0]}, {coordinates[1]}]\n" if coordinates else ""
    text = PARTNER.format(
        name=name, level=level, country=country, coordinates=where, status=status, kind=kind, sectors=sectors
    )
    (project.agreements / f"{slug}.md").write_text(text, encoding="utf-8")


def config_of(html: str) -> dict:
    """The one config object the page's map div hands to map.js."""
    (text,) = CONFIG.findall(html)
    return json.loads(text)


def draw(ties, root="", tiles="none", data_url="map/index.json"):
    return build_map(ties, data_url=data_url, root=root, tiles=tiles, labels=STATUS_LABELS)


def place_rows(data, key):
    return [i for i, p in enumerate(data["places"]) if p[3] == key]


def ties_of(data, key):
    """The slugs of the ties a place's popup lists: every tie naming the place's index."""
    (i,) = place_rows(data, key)
    return sorted(t[5] for t in data["ties"] if i in (t[0], t[1]))


@pytest.fixture
def catalogue(project):
    add_entry(project, "surakarta-guilin", "Guilin", "active", coordinates=GUILIN, sectors="education")
    add_entry(
        project, "surakarta-kyoto", "Kyoto", "exploratory", country="JP", coordinates=KYOTO, kind="friendship-city"
    )
    add_entry(project, "surakarta-unesco", "UNESCO", "ended", country="FR", level="organisation")
    return check(project).catalogue


# -- records: one place, all its ties ------------------------------------------------


def test_one_place_row_whatever_its_ties_statuses(catalogue):
    data = map_data(map_records(catalogue.entries))
    surakarta = catalogue.places["id/surakarta"]
    assert len(place_rows(data, "id/surakarta")) == 1
    assert ties_of(data, "id/surakarta") == sorted(e.agreement.slug for e in surakarta.entries)
    statuses = {data["statuses"][t[2]] for t in data["ties"] if t[5] in ties_of(data, "id/surakarta")}
    assert statuses == {e.agreement.status for e in surakarta.entries} and len(statuses) > 2


def test_every_located_place_lists_exactly_its_ties(catalogue):
    data = map_data(map_records(catalogue.entries))
    for key, group in catalogue.places.items():
        if group.place.on_map:
            assert ties_of(data, key) == sorted(e.agreement.slug for e in group.entries), key


def test_ties_with_one_party_off_the_map_still_show_at_the_other(catalogue):
    ties = map_records(catalogue.entries)
    unesco = next(t for t in ties if t.slug == "surakarta-unesco")
    assert [p.on_map for p in unesco.parties] == [True, False]
    data = map_data(ties)
    (row,) = [data["places"][i] for i in place_rows(data, unesco.parties[1].key)]
    assert row[:3] == [None, None, "UNESCO"]  # named in popups, drawn nowhere
    assert "surakarta-unesco" in ties_of(data, "id/surakarta")


def test_a_tie_with_no_party_on_the_map_has_no_record(project):
    text = (project.agreements / "sragen-usaid.md").read_text(encoding="utf-8")
    text = text.replace("name: Sragen\n    level: regency", "name: Dinas Pendidikan\n    level: organisation")
    (project.agreements / "sragen-usaid.md").write_text(text, encoding="utf-8")
    entries = check(project).catalogue.entries
    assert [t.slug for t in map_records(entries)] == ["jawa-barat-penang", "surakarta-xian"]
    assert [path for path, _ in maps(check(project).catalogue) if "usaid" in path] == []


def test_records_carry_what_list_filters_filter_on(catalogue):
    data = map_data(map_records(catalogue.entries))
    by_slug = {t[5]: t for t in data["ties"]}
    for entry in catalogue.entries:
        if entry.agreement.slug not in by_slug:
            continue
        _a, _b, status, kind, sectors, _slug, _title = by_slug[entry.agreement.slug]
        assert data["statuses"][status] == entry.agreement.status
        assert data["kinds"][kind] == entry.agreement.kind
        assert [data["sectors"][s] for s in sectors] == list(entry.agreement.sectors)


def test_data_is_compact(catalogue):
    data = map_data(map_records(catalogue.entries))
    assert data["statuses"] == list(vocab.STATUSES)  # the whole vocabulary: an index means one status everywhere
    assert data["colours"] == [vocab.STATUS_PALETTE[s].fill for s in vocab.STATUSES]
    assert set(data["kinds"]) <= set(vocab.KINDS) and set(data["sectors"]) <= set(vocab.SECTORS)
    for lat, lon, _name, _key in data["places"]:
        assert lat is None or (round(lat, PRECISION) == lat and round(lon, PRECISION) == lon)
    guilin = next(p for p in data["places"] if p[2] == "Guilin")
    assert guilin[:2] == [round(GUILIN[0], PRECISION), round(GUILIN[1], PRECISION)]
    # A title that is just the two names is left for map.js to join; any other is kept.
    titles = {t[5]: t[6] for t in data["ties"]}
    assert titles["surakarta-guilin"] is None
    assert data["urls"] == {"tie": "agreements/{}.html", "place": "places/{}.html"}


def test_a_title_of_its_own_is_kept():
    a, b = MapPlace("id/a", "A", 1.0, 2.0), MapPlace("jp/b", "B", 3.0, 4.0)
    data = map_data(
        [
            MapTie("a-b", "The A–B friendship", "active", "cooperation", (), (a, b)),
            MapTie("a-b2", "A – B", "stalled", "cooperation", (), (a, b)),
        ]
    )
    assert [t[6] for t in data["ties"]] == ["The A–B friendship", None]
    assert len(data["places"]) == 2


def test_statuses_present_lists_only_those_on_the_map(catalogue):
    ties = map_records(catalogue.places["id/surakarta"].entries)
    present = statuses_present(ties, STATUS_LABELS)
    assert [key for key, _, _ in present] == [s for s in vocab.STATUSES if any(t.status == s for t in ties)]
    assert sum(n for _, _, n in present) == len(ties)
    only_xian = statuses_present(map_records(catalogue.places["cn/xian"].entries), STATUS_LABELS)
    assert only_xian == (("stalled", "Stalled", 1),)


# -- one palette ---------------------------------------------------------------------


def test_every_status_has_colours_and_they_are_shared():
    palette = vocab.status_colours()
    assert list(palette) == list(vocab.STATUSES)
    assert STATUS_COLOURS == {key: c.fill for key, c in palette.items()}
    css = status_css()
    for key, colours in palette.items():
        assert f"--{key}: {colours.text};" in css and f"--{key}-fill: {colours.fill};" in css
        assert f"--{key}: {colours.text_dark};" in css
        assert f".badge-{key} {{ color: var(--{key}); }}" in css
    site_css = (REPO / "templates/assets/site.css").read_text(encoding="utf-8")
    assert not re.search(r"--(%s)\s*:" % "|".join(map(re.escape, palette)), site_css)  # defined once, by status_css
    (written,) = [p.content.decode() for p in asset_pages(REPO / "templates") if p.path == STATUS_CSS]
    assert written == site_css.rstrip("\n") + "\n\n" + css  # the palette last, as when it was a file after site.css


def test_a_status_without_colours_is_named(monkeypatch):
    monkeypatch.setattr(vocab, "STATUSES", {**vocab.STATUSES, "paused": vocab.Term("paused", "Paused", "Jeda")})
    with pytest.raises(KeyError, match="no colours for paused"):
        vocab.status_colours()


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("status", list(vocab.STATUS_PALETTE))
def test_status_text_colours_are_readable(status):
    colours = vocab.STATUS_PALETTE[status]
    assert _contrast(colours.text, "#ffffff") >= 4.5
    assert _contrast(colours.text_dark, "#15191d") >= 4.5  # site.css's dark background


# -- the page's part: a config, no names -------------------------------------------------


def test_config_points_at_the_data_and_carries_words_not_records(catalogue):
    ties = map_records(catalogue.entries)
    parts = draw(ties, root="../", data_url="../map/places/id/surakarta.json")
    config = config_of(parts.html)
    assert config["data"] == "../map/places/id/surakarta.json" and config["root"] == "../"
    assert "text" not in config and "labels" not in config  # the words are in the language's words file
    assert "Guilin" not in parts.html and "surakarta-guilin" not in parts.html  # the records are in the file
    assert parts.statuses == statuses_present(ties, STATUS_LABELS)


EVIL = '</script><script>alert(1)</script>\u2028<img src=x onerror="alert(2)">'


def test_the_config_stays_inert_in_its_attribute():
    evil = EVIL + "' onmouseover='alert(3)&amp;"
    parts = build_map([], data_url=evil, root="", tiles="none", labels=STATUS_LABELS)
    attribute = parts.html.split("data-map='", 1)[1].rsplit("'", 1)[0]
    assert not set("<>&'") & set(attribute)
    assert config_of(parts.html)["data"] == evil
    assert BeautifulSoup(parts.html, "html.parser").div["data-map"] == attribute  # the attribute as a browser reads it


def test_words_file_per_language_holds_the_words_as_data():
    from catalogue.words import words_pages

    pages = {p.path: p.content.decode("utf-8") for p in words_pages(["id", "en"], ["JP", "CN"])}
    assert sorted(pages) == ["assets/words.en.js", "assets/words.id.js"]
    for text in pages.values():
        prefix, _, rest = text.partition(" = ")
        words = json.loads(rest.removesuffix(";\n"))
        assert prefix == "window.CATALOGUE_WORDS"
        assert len(words["map"]["labels"]) == len(vocab.STATUSES) and words["map"]["legend"]
        assert sorted(words["filters"]["choices"]["country"]) == ["CN", "JP"]
    english = json.loads(pages["assets/words.en.js"].partition(" = ")[2].removesuffix(";\n"))
    assert english["map"]["labels"] == [STATUS_LABELS[s] for s in vocab.STATUSES]
    assert english["filters"]["choices"]["country"]["JP"] == "Japan"


# -- the files: one per map, both languages ----------------------------------------------------


def test_one_data_file_per_map(catalogue):
    pages = map_pages(catalogue)
    assert [p.path for p in pages] == [data_path(path) for path, _ in maps(catalogue)]
    assert data_path("index.html") == "map/index.json"
    assert data_path("places/id/surakarta.html") == "map/places/id/surakarta.json"
    expected = {"index.html"} | {f"places/{k}.html" for k, g in catalogue.places.items() if g.place.on_map}
    assert {path for path, _ in maps(catalogue)} == expected


def shown_part(data: dict, only: str | None) -> dict:
    """What map.js's CatalogueMapCore.subset keeps of a shared data file for a page's `only` (or all of it)."""
    if not only:
        return data
    field, _, value = only.partition("=")
    countries = [p[3].split("/")[0] for p in data["places"]]

    def kept(tie: list) -> bool:
        if field == "tie":
            return tie[5] == value
        if field == "country":
            return value in (countries[tie[0]], countries[tie[1]])
        index = {"status": data["statuses"], "kind": data["kinds"], "sector": data["sectors"]}[field]
        at = index.index(value) if value in index else -1
        return at in tie[4] if field == "sector" else tie[{"status": 2, "kind": 3}[field]] == at

    renumbered: dict[int, int] = {}
    ties = [[*(renumbered.setdefault(i, len(renumbered)) for i in t[:2]), *t[2:]] for t in data["ties"] if kept(t)]
    places = [data["places"][i] for i in sorted(renumbered, key=renumbered.__getitem__)]
    return {**data, "places": places, "ties": ties}


def test_every_other_map_shows_exactly_its_ties_of_a_shared_file(catalogue):
    """A list of a country, sector, status or kind shows its ties of the home page's file, an agreement its
    own tie of its first located party's place file: no file of their own, the same ties as before."""
    files = {path: map_data(map_records(entries)) for path, entries in maps(catalogue)}
    shared = shared_maps(catalogue)
    pages = {e.url: (e,) for e in catalogue.entries}
    pages |= {country_url(code): entries for code, entries in catalogue.countries.items()}
    for group, by_key in (("sectors", catalogue.sectors), ("statuses", catalogue.statuses), ("kinds", catalogue.kinds)):
        pages |= {term_url(group, key): entries for key, entries in by_key.items()}
    located = {path: entries for path, entries in pages.items() if any(p.on_map for e in entries for p in e.places)}
    assert set(shared) == set(located) and len(shared) > len(catalogue.entries)
    for path, entries in located.items():
        source, only = shared[path]
        assert source in files, path
        assert [t[5] for t in shown_part(files[source], only)["ties"]] == [t.slug for t in map_records(entries)], path


def test_every_map_on_every_page_has_its_data(built):
    seen = 0
    for page in html_pages(built):
        for div in parse(page).select("div.map-canvas"):
            config = json.loads(div["data-map"])
            data = json.loads((page.parent / config["data"]).read_text(encoding="utf-8"))
            assert data["v"] == 1 and shown_part(data, config.get("only"))["ties"], page
            seen += 1
    assert seen >= 2 * 3  # home and the located places and ties, in both languages


def test_same_records_give_the_same_bytes(catalogue):
    first = draw(map_records(catalogue.entries), root="../")
    draw([], root="../../")  # ids must not carry over
    second = draw(map_records(catalogue.entries), root="../")
    assert first == second
    assert f'id="{MAP_ID}"' in first.html
    assert [p.content for p in map_pages(catalogue)] == [p.content for p in map_pages(catalogue)]


# -- tiles and assets --------------------------------------------------------------------------


def test_openstreetmap_tiles_when_asked():
    parts = draw([], tiles="openstreetmap")
    assert config_of(parts.html)["tiles"] == "openstreetmap"
    script = (REPO / "templates/assets/map.js").read_text(encoding="utf-8")
    assert script.count(OSM_TILES) == 1  # map.js holds the server, loaded once
    assert "https://www.openstreetmap.org/copyright" in script  # the attribution the licence asks for


def test_no_tiles_means_no_external_address_at_all():
    parts = draw([], tiles="none")
    assert "tiles" not in config_of(parts.html)  # map.js draws none unless told
    for part in (parts.header, parts.html):
        assert "openstreetmap" not in part and "http" not in part and "//" not in part


@pytest.mark.parametrize("root", ["", "../", "../../"])
@pytest.mark.parametrize("tiles", ["none", "openstreetmap"])
def test_map_libraries_load_from_the_site(root, tiles):
    parts = build_map([], data_url=root + "map/x.json", root=root, tiles=tiles, labels=STATUS_LABELS)
    scripts = re.findall(r'<script src="([^"]*)"', parts.header)
    # map.js alone: it loads Leaflet and the stylesheets from assets/ where the page has a map; the land
    # outline too, when there are no tiles or they fail.
    assert scripts == [root + "assets/map.js"]
    assert len(parts.header.splitlines()) == 1  # nothing else (no CDN, no viewport override)
    script = (REPO / "templates/assets/map.js").read_text(encoding="utf-8")
    for url in LOADED_BY_MAP_JS:
        assert '"' + url.removeprefix("assets/") + '"' in script
        assert (REPO / "templates" / url).is_file() or "vendor/leaflet" in url
    config = config_of(parts.html)
    assert config.get("assets", config["root"]) == root  # left out when it is the root (map.js reads it so)
    english = build_map([], data_url="../map/x.json", root=root, asset_root="../", tiles=tiles, labels=STATUS_LABELS)
    assert config_of(english.html).get("assets", root) == "../"  # a language's pages below the site root name it


def test_shipped_land_carries_its_licence():
    land = (REPO / "templates/assets/land-110m.LICENSE.txt").read_text(encoding="utf-8")
    assert "world-atlas" in land and "Natural Earth" in land
    shipped = (REPO / "templates/assets/land-110m.js").read_text(encoding="utf-8")
    assert "window.CATALOGUE_LAND = " in shipped and "window.CATALOGUE_BORDERS = " in shipped
