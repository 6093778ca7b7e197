"""The map as data: the records map_records makes and the JSON build_map puts in the page, never folium's HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from catalogue import vocab
from catalogue.mapping import OSM_TILES, STATUS_COLOURS, PlacePoint, Tie, TieLine, build_map
from catalogue.places import default_gazetteer
from catalogue.render import STATUS_LABELS, map_records
from catalogue.site import check

JAWA_BARAT, PENANG = (-6.9022, 107.6187), (5.4141, 100.3288)  # from the fixture's places.yaml
GUILIN, KYOTO = (25.2802, 110.2964), (35.0211, 135.7538)  # given as coordinates in the entries below
PAYLOAD = re.compile(r"catalogueMap\((map_\d{4}), (\{.*\})\);")
MAP_JS = (Path(__file__).parent.parent / "templates" / "assets" / "map.js").read_text(encoding="utf-8")

PARTNER = """---
parties:
  - name: Surakarta
    level: city
    country: ID
  - name: {name}
    level: {level}
    country: {country}
{coordinates}kind: sister-city
status: {status}
as_of: 2018
sources:
  - title: A source
---
"""


def add_entry(project, slug, name, status, country="CN", level="city", coordinates=None):
    where = f"    coordinates: [{coordinates[0]}, {coordinates[1]}]\n" if coordinates else ""
    text = PARTNER.format(name=name, level=level, country=country, coordinates=where, status=status)
    (project.agreements / f"{slug}.md").write_text(text, encoding="utf-8")


def found(country, name):
    return default_gazetteer().find(country, name)


def tie(slug, title, status):
    return Tie(title, f"agreements/{slug}.html", status)


def page_data(script: str) -> dict:
    """The one JSON object the page hands to map.js."""
    ((_map, text),) = PAYLOAD.findall(script)
    return json.loads(text)


def payloads(script: str) -> dict[str, dict]:
    """Each status layer's JSON, by the status its colour names."""
    by_colour = {colour: status for status, colour in STATUS_COLOURS.items()}
    out = {}
    for layer in page_data(script)["layers"]:
        assert layer["status"] == by_colour[layer["colour"]]
        out[layer["status"]] = layer
    return out


def draw(points, lines, root="", tiles="none"):
    return build_map(points, lines, root=root, tiles=tiles, labels=STATUS_LABELS)


@pytest.fixture
def fixture_records(project):
    return map_records(check(project).catalogue.entries)


# -- records ------------------------------------------------------------------


def test_records_of_the_fixture_catalogue(fixture_records):
    points, lines = fixture_records
    penang = tie("jawa-barat-penang", "Jawa Barat – Penang", "active")
    usaid = tie("sragen-usaid", "Sragen – USAID", "ended")
    xian = tie("surakarta-xian", "Surakarta – Xi'an", "stalled")
    assert points == [
        PlacePoint(*found("CN", "Xi'an"), "Xi'an", "places/cn/xian.html", "stalled", (xian,)),
        PlacePoint(*JAWA_BARAT, "Jawa Barat", "places/id/jawa-barat.html", "active", (penang,)),
        PlacePoint(*found("ID", "Sragen"), "Sragen", "places/id/sragen.html", "ended", (usaid,)),
        PlacePoint(*found("ID", "Surakarta"), "Surakarta", "places/id/surakarta.html", "stalled", (xian,)),
        PlacePoint(*PENANG, "Penang", "places/my/penang.html", "active", (penang,)),
    ]
    # Sragen – USAID has no line: USAID is an organisation, not a place.
    assert lines == [
        TieLine(JAWA_BARAT, PENANG, penang),
        TieLine(found("ID", "Surakarta"), found("CN", "Xi'an"), xian),
    ]


def test_organisation_party_has_no_point(fixture_records):
    points, lines = fixture_records
    assert [p for p in points if "usaid" in p.url] == []
    assert [l for l in lines if l.tie.url == "agreements/sragen-usaid.html"] == []


def test_one_point_per_place_per_status(project):
    add_entry(project, "surakarta-guilin", "Guilin", "active", coordinates=GUILIN)
    add_entry(project, "surakarta-kyoto", "Kyoto", "active", country="JP", coordinates=KYOTO)
    points, _ = map_records(check(project).catalogue.entries)
    surakarta = [p for p in points if p.url == "places/id/surakarta.html"]
    assert [(p.status, [t.url for t in p.ties]) for p in surakarta] == [
        ("active", ["agreements/surakarta-guilin.html", "agreements/surakarta-kyoto.html"]),
        ("stalled", ["agreements/surakarta-xian.html"]),
    ]
    assert len(points) == len({(p.url, p.status) for p in points}) == 8


def test_lines_only_between_two_located_parties(project):
    add_entry(project, "surakarta-unesco", "UNESCO", "active", country="FR", level="organisation")
    add_entry(project, "surakarta-guilin", "Guilin", "exploratory", coordinates=GUILIN)
    points, lines = map_records(check(project).catalogue.entries)
    assert [l.tie.url for l in lines] == [
        "agreements/jawa-barat-penang.html", "agreements/surakarta-guilin.html", "agreements/surakarta-xian.html",
    ]
    assert [(p.url, p.status) for p in points if p.url == "places/id/surakarta.html"] == [
        ("places/id/surakarta.html", "active"), ("places/id/surakarta.html", "exploratory"), ("places/id/surakarta.html", "stalled"),
    ]


def test_two_organisations_give_no_records(project):
    text = (project.agreements / "sragen-usaid.md").read_text(encoding="utf-8")
    text = text.replace("name: Sragen\n    level: regency", "name: Dinas Pendidikan\n    level: organisation")
    (project.agreements / "sragen-usaid.md").write_text(text, encoding="utf-8")
    entry = next(e for e in check(project).catalogue.entries if e.agreement.slug == "sragen-usaid")
    assert map_records([entry]) == ([], [])


def test_real_catalogue_points_cover_every_located_party(real_catalogue):
    points, lines = map_records(real_catalogue.entries)
    expected = {
        (place.key, e.agreement.status) for e in real_catalogue.entries for place in e.places if place.on_map
    }
    assert sorted((p.url, p.status) for p in points) == sorted((f"places/{k}.html", s) for k, s in expected)
    both = [e for e in real_catalogue.entries if all(p.on_map for p in e.places)]
    assert sorted(l.tie.url for l in lines) == sorted(e.url for e in both)


# -- the JSON in the page -----------------------------------------------------


def test_payload_carries_the_records(fixture_records):
    points, lines = fixture_records
    parts = draw(points, lines, root="../")
    layers = payloads(parts.script)
    assert list(layers) == ["active", "stalled", "ended"]  # vocabulary order; no exploratory points
    assert page_data(parts.script)["root"] == "../"
    assert layers["stalled"] == {
        "status": "stalled",
        "count": 1,
        "colour": "#D55E00",
        "label": "Stalled",
        "points": [
            [*found("CN", "Xi'an"), "Xi'an", "places/cn/xian.html", [["Surakarta – Xi'an", "agreements/surakarta-xian.html"]]],
            [*found("ID", "Surakarta"), "Surakarta", "places/id/surakarta.html", [["Surakarta – Xi'an", "agreements/surakarta-xian.html"]]],
        ],
        "lines": [[*found("ID", "Surakarta"), *found("CN", "Xi'an"), "Surakarta – Xi'an", "agreements/surakarta-xian.html"]],
    }
    assert layers["ended"]["points"] == [
        [*found("ID", "Sragen"), "Sragen", "places/id/sragen.html", [["Sragen – USAID", "agreements/sragen-usaid.html"]]],
    ]
    assert layers["ended"]["lines"] == []
    assert [p[2] for p in layers["active"]["points"]] == ["Jawa Barat", "Penang"]


def test_colours_per_status(fixture_records):
    assert STATUS_COLOURS == {"active": "#009E73", "stalled": "#D55E00", "exploratory": "#0072B2", "ended": "#6B6B6B"}
    points = [PlacePoint(1.0, 2.0, f"P {s}", f"places/id/{s}.html", s, (tie(s, s, s),)) for s in vocab.STATUSES]
    layers = payloads(draw(points, []).script)
    assert {status: layer["colour"] for status, layer in layers.items()} == STATUS_COLOURS
    assert {status: layer["label"] for status, layer in layers.items()} == {
        "active": "Active", "stalled": "Stalled", "exploratory": "Exploratory", "ended": "Ended",
    }


def test_layer_names_carry_counts_of_ties(project):
    add_entry(project, "surakarta-guilin", "Guilin", "active", coordinates=GUILIN)
    add_entry(project, "surakarta-kyoto", "Kyoto", "active", country="JP", coordinates=KYOTO)
    parts = draw(*map_records(check(project).catalogue.entries))
    layers = page_data(parts.script)["layers"]
    assert [(layer["label"], layer["count"]) for layer in layers] == [("Active", 3), ("Stalled", 1), ("Ended", 1)]
    # map.js names each toggle "Label (count)" and puts that status's records in its group.
    assert 'overlays[layer.label + " (" + layer.count + ")"] = group;' in MAP_JS


EVIL_NAME = '</script><script>alert(1)</script><img src=x onerror="alert(2)">'
EVIL_TITLE = "Tie </SCRIPT ><svg onload=alert(3)> & \u2028 more"


def test_names_stay_inert_in_the_script():
    points = [PlacePoint(1.0, 2.0, EVIL_NAME, "places/id/x.html", "active", (Tie(EVIL_TITLE, "agreements/x.html", "active"),))]
    lines = [TieLine((1.0, 2.0), (3.0, 4.0), Tie(EVIL_TITLE, "agreements/x.html", "active"))]
    parts = draw(points, lines)
    assert "<" not in parts.script
    assert "\u2028" not in parts.script
    assert "</script" not in parts.script.lower()
    layer = payloads(parts.script)["active"]
    assert layer["points"][0][2] == EVIL_NAME  # shown as text, exactly as written
    assert layer["points"][0][4] == [[EVIL_TITLE, "agreements/x.html"]]
    assert layer["lines"][0][4] == EVIL_TITLE


def test_popups_and_tooltips_are_built_as_text():
    # Leaflet sets a string popup or tooltip as innerHTML; the names must go in as DOM text.
    script = draw([PlacePoint(1.0, 2.0, "A", "places/id/a.html", "active", ())], []).script
    assert "innerHTML" not in script
    assert "a.textContent = text;" in MAP_JS
    assert "bindTooltip(function () { return document.createTextNode(p[2]); })" in MAP_JS
    assert "innerHTML" not in MAP_JS


# -- determinism, tiles, assets -----------------------------------------------


def test_same_records_give_the_same_bytes(fixture_records):
    first = draw(*fixture_records, root="../")
    draw([PlacePoint(0.0, 0.0, "Other", "places/x/o.html", "ended", ())], [], root="../../")  # ids must not carry over
    second = draw(*fixture_records, root="../")
    assert first == second
    assert 'id="map_0001"' in first.html


def test_openstreetmap_tiles_when_asked(fixture_records):
    parts = draw(*fixture_records, tiles="openstreetmap")
    assert parts.script.count(OSM_TILES) == 1
    assert OSM_TILES == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "https://www.openstreetmap.org/copyright" in parts.script  # the attribution the licence asks for


def test_no_tiles_means_no_external_address_at_all(fixture_records):
    parts = draw(*fixture_records, tiles="none")
    for part in (parts.header, parts.html, parts.script):
        assert "openstreetmap" not in part
        assert "http" not in part
        assert "//" not in part


@pytest.mark.parametrize("root", ["", "../", "../../"])
@pytest.mark.parametrize("tiles", ["none", "openstreetmap"])
def test_map_libraries_load_from_the_site(fixture_records, root, tiles):
    header = draw(*fixture_records, root=root, tiles=tiles).header
    scripts = re.findall(r'<script src="([^"]*)"', header)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]*)"', header)
    land = [root + "assets/land-110m.js"] if tiles == "none" else []
    assert scripts == [root + "assets/vendor/leaflet/leaflet.js", root + "assets/vendor/markercluster/leaflet.markercluster.js", root + "assets/map.js", *land]
    assert styles == [
        root + "assets/vendor/leaflet/leaflet.css",
        root + "assets/vendor/markercluster/MarkerCluster.css",
        root + "assets/vendor/markercluster/MarkerCluster.Default.css",
    ]
    assert len(header.splitlines()) == 6 + len(land)  # nothing else from folium's head (no CDN, no viewport override)
    assert "http" not in header


def test_asset_roots_do_not_leak_between_maps(fixture_records):
    draw(*fixture_records, root="../../")
    header = draw(*fixture_records, root="").header
    assert "../" not in header
