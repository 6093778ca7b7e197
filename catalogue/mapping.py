"""Map records → compact map data and a page's map: a div that names its data. No folium, no inline script.

A map is three things. The data is a static JSON file per map (map_data below; catalogue.mapdata
writes the files), the same for both languages. The words are the language's words file
(catalogue/words.py: labels, the legend, what a marker says), one per language. The behaviour is
templates/assets/map.js, which finds each div.map-canvas, makes the Leaflet map, reads its config
from the div's data-map attribute (where the data is, the roots, tiles or not, whether list filters
apply), fetches the data after the page has shown, groups and draws it. All three are loaded once and
cached; a page costs a div and a legend of a few hundred bytes, whatever the catalogue's size.
(Before, folium wrote the same Leaflet set-up script, config and words into every page.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from . import vocab
from . import urls

# The map's colours are the palette's fills (catalogue/vocab.py), as the charts' are.
STATUS_COLOURS = {key: colours.fill for key, colours in vocab.status_colours().items()}

# A page names map.js alone: it loads these (Leaflet, its stylesheet and the map's) where a page has a map.
JS = ["assets/map.js"]
LOADED_BY_MAP_JS = ["assets/vendor/leaflet/leaflet.css", "assets/map.css", "assets/vendor/leaflet/leaflet.js"]
# map.js holds the tile server's address and attribution (OSM_TILES there): a page only says which.
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
FIT_MAX_ZOOM = 9  # map.js fits the first view to the places, no closer than this
# Three decimals is about 100 m: finer than a city's or a province's centroid means anything.
PRECISION = 3
FORMAT = 1  # map data format version, for map.js and anyone reading map/*.json
MAP_ID = "site-map"  # the map div's id; map.js keeps its Leaflet map at window[id], for tests and the curious


@dataclass(frozen=True)
class MapPlace:
    """A party as the map knows it: where it is, or (lat None) that it is not on the map."""

    key: str  # "id/surakarta": its page is places/<key>.html, its country the part before "/"
    name: str
    lat: float | None
    lon: float | None

    @property
    def on_map(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class MapTie:
    """One agreement as the map shows it, with the facets list pages filter on."""

    slug: str
    title: str
    status: str
    kind: str
    sectors: tuple[str, ...]
    parties: tuple[MapPlace, MapPlace]


@dataclass(frozen=True)
class MapParts:
    """A page's map: the head's links to the map's scripts and styles, the div, and the legend's statuses."""

    header: str
    html: str
    config: dict[str, object]  # what the div hands map.js (the data file's address, the roots, tiles, filters)
    statuses: tuple[tuple[str, str, int], ...] = ()  # (status, label, ties) present on this map, for the legend


def json_for_attribute(value: object) -> str:
    """JSON for a single-quoted attribute: nothing in it can end the attribute or start markup."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(raw, escaped)
    return text


def map_data(ties: Sequence[MapTie]) -> dict[str, Any]:
    """Ties → the compact record map.js reads (map/<page>.json): arrays with indexes, not objects.

    places: [lat, lon, name, key], lat and lon null for a party that is not on the map;
    ties: [place index, place index, status index, kind index, [sector indexes], slug, title],
    title null when it is just "<first party> – <second party>". Statuses and colours cover the
    whole vocabulary, in its order, so an index means the same status in every map.
    """
    palette = vocab.status_colours()
    statuses = list(palette)
    kinds = sorted({t.kind for t in ties}, key=list(vocab.KINDS).index)
    sectors = sorted({s for t in ties for s in t.sectors}, key=list(vocab.SECTORS).index)
    place_index: dict[str, int] = {}
    places: list[list[float | str | None]] = []  # [lat, lon, name, key]
    rows = []
    for tie in ties:
        ends = []
        for place in tie.parties:
            if place.key not in place_index:
                place_index[place.key] = len(places)
                # place.on_map, spelt out so mypy sees both are numbers
                where = (
                    [round(place.lat, PRECISION), round(place.lon, PRECISION)]
                    if place.lat is not None and place.lon is not None
                    else [None, None]
                )
                places.append([*where, place.name, place.key])
            ends.append(place_index[place.key])
        first, second = tie.parties
        title = None if tie.title == f"{first.name} – {second.name}" else tie.title
        rows.append(
            [
                *ends,
                statuses.index(tie.status),
                kinds.index(tie.kind),
                [sectors.index(s) for s in tie.sectors],
                tie.slug,
                title,
            ]
        )
    return {
        "v": FORMAT,
        "statuses": statuses,
        "colours": [palette[s].fill for s in statuses],
        "kinds": kinds,
        "sectors": sectors,
        "urls": {"tie": urls.agreement("{}"), "place": urls.place("{}")},
        "places": places,
        "ties": rows,
    }


def data_json(ties: Sequence[MapTie]) -> bytes:
    """The map data file's bytes: compact, and the same bytes for the same ties."""
    return json.dumps(map_data(ties), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def statuses_present(ties: Iterable[MapTie], labels: dict[str, str]) -> tuple[tuple[str, str, int], ...]:
    """(status, label, number of ties) for each status the map shows, in vocabulary order."""
    counts = {key: 0 for key in vocab.STATUSES}
    for tie in ties:
        counts[tie.status] += 1
    return tuple((key, labels[key], n) for key, n in counts.items() if n)


def build_map(
    ties: Iterable[MapTie],
    *,
    data_url: str,
    root: str,
    tiles: str,
    labels: dict[str, str],
    asset_root: str | None = None,
    filters: bool = False,
    only: str | None = None,
) -> MapParts:
    """The map parts of a page whose map data (map_data of these ties) is at data_url.

    root is the relative path from the page to the root its record URLs are relative to
    ('', '../', ...); asset_root the path to the site root, where assets and data are (default:
    root). labels maps each status to its word, for the legend. filters says the page has list
    filters (?status=...) that the map follows; only, the part of a shared data file the map shows (a filter as
    in an address, "country=jp", or "tie=<slug>": catalogue.mapdata.shared_maps). The map's other words are in
    the words file.
    """
    assets = root if asset_root is None else asset_root
    # What is as map.js assumes it (assets at the root, no tiles, no filters, the whole file) is left out: the
    # config is on ~90,000 pages at 25k ties.
    config: dict[str, object] = {"data": data_url, "root": root}
    if assets != root:
        config["assets"] = assets
    if tiles != "none":
        config["tiles"] = tiles
    if filters:
        config["filters"] = True
    if only:
        config["only"] = only
    links = [f'<script src="{assets}{url}" defer></script>' for url in JS]
    div = f'<div class="map-canvas" id="{MAP_ID}" data-map=\'{json_for_attribute(config)}\'></div>'
    return MapParts("\n".join(links), Markup(div), config, statuses_present(ties, labels))
