"""Map records → compact map data and a folium map shell. The only module that imports folium.

A map is two things. The shell is folium's: the Leaflet map, its tiles and the asset links, the
same for every page at one depth, so it is rendered once per depth and reused. The data is a
static JSON file per map (map_data below; catalogue.mapdata writes the files), the same for both
languages, which templates/assets/map.js fetches after the page has shown, groups and draws. So a page costs a few
hundred bytes of map whatever the catalogue's size,
and the map's behaviour lives in one script whose only input is that data and a small config.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from itertools import count

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink
from folium.template import Template

from . import vocab
from . import urls

# The map's colours are the palette's fills (catalogue/vocab.py), as the charts' are.
STATUS_COLOURS = {key: colours.fill for key, colours in vocab.status_colours().items()}

JS = [
    ("leaflet", "assets/vendor/leaflet/leaflet.js"),
    ("cataloguemap", "assets/map.js"),
]
CSS = [
    ("leaflet_css", "assets/vendor/leaflet/leaflet.css"),
    ("cataloguemap_css", "assets/map.css"),
]
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
CONFIG = "__CATALOGUE_MAP_CONFIG__"
FIT_MAX_ZOOM = 9
# Three decimals is about 100 m: finer than a city's or a province's centroid means anything.
PRECISION = 3
FORMAT = 1  # map data format version, for map.js and anyone reading map/*.json


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
    """A rendered map, split so a page template can place it: head links, the div, the script."""

    header: str
    html: str
    script: str
    config: dict  # what the page's script hands map.js (the data file's address, words, ...)
    statuses: tuple[tuple[str, str, int], ...] = ()  # (status, label, ties) present on this map, for the legend


class _Layers(folium.MacroElement):
    """Hands the page's config to map.js, which fetches the data and draws it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        catalogueMap({{ this._parent.get_name() }}, """
        + CONFIG
        + """);
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "CatalogueLayers"


def json_for_script(value) -> str:
    """JSON that cannot close the <script> element it sits in, whatever the names say."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def map_data(ties) -> dict:
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
                where = [round(place.lat, PRECISION), round(place.lon, PRECISION)] if place.on_map else [None, None]
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


def data_json(ties) -> bytes:
    """The map data file's bytes: compact, and the same bytes for the same ties."""
    return json.dumps(map_data(ties), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def statuses_present(ties, labels: dict[str, str]) -> tuple[tuple[str, str, int], ...]:
    """(status, label, number of ties) for each status the map shows, in vocabulary order."""
    counts = {key: 0 for key in vocab.STATUSES}
    for tie in ties:
        counts[tie.status] += 1
    return tuple((key, labels[key], n) for key, n in counts.items() if n)


def build_map(
    ties,
    *,
    data_url: str,
    root: str,
    tiles: str,
    labels: dict[str, str],
    text: dict[str, str],
    height: str = "100%",
    asset_root: str | None = None,
    filters: bool = False,
) -> MapParts:
    """The map parts of a page whose map data (map_data of these ties) is at data_url.

    root is the relative path from the page to the root its record URLs are relative to
    ('', '../', ...); asset_root the path to the site root, where assets and data are (default:
    root). labels maps each status to its word, text the map's other words in the page's language.
    filters says the page has list filters (?status=...) that the map follows.
    """
    assets = root if asset_root is None else asset_root
    shell = _shell(assets, tiles, height)
    config = {
        "data": data_url,
        "root": root,
        "assets": assets,
        "tiles": tiles != "none",
        "maxZoom": FIT_MAX_ZOOM,
        "labels": [labels[key] for key in vocab.STATUSES],
        "text": text,
        "filters": filters,
    }
    return MapParts(
        shell.header,
        shell.html,
        shell.script.replace(CONFIG, json_for_script(config)),
        config,
        statuses_present(ties, labels),
    )


@lru_cache(maxsize=64)
def _shell(root: str, tiles: str, height: str) -> MapParts:
    """The folium map without data, for one page depth: the same for every page at that depth."""
    m = folium.Map(location=[0, 110], zoom_start=2, tiles=None, width="100%", height=height, world_copy_jump=True)
    # Fractional zoom so the first view fits every place on a phone as well as on a desktop.
    m.options.update(minZoom=0, maxZoom=18, zoomSnap=0.25, zoomDelta=0.5)
    # Per instance, never folium's class lists (those point at CDNs and are shared by every map).
    # (The land outline is not among them: map.js loads it after the page, when it is needed.)
    m.default_js = [(name, root + url) for name, url in JS]
    m.default_css = [(name, root + url) for name, url in CSS]
    if tiles == "openstreetmap":
        folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19, control=False).add_to(m)
    m.add_child(_Layers())
    return _render_parts(m)


def _render_parts(m: folium.Map) -> MapParts:
    """Render with ids numbered in tree order, so the same map gives the same bytes."""
    figure = m.get_root()
    if not isinstance(figure, Figure):  # folium.Map puts itself in a Figure when made
        raise TypeError(f"a folium map's root is a Figure, not {type(figure).__name__}")
    numbers = count()

    def renumber(element: Element) -> None:
        element._id = f"{next(numbers):04d}"
        for child in element._children.values():
            renumber(child)

    renumber(figure)
    figure.render()
    # Only the links from folium's head: its other head parts set html/body to full height
    # and forbid zooming on phones, which the site's own stylesheet decides instead.
    links = [
        child.render() for child in figure.header._children.values() if isinstance(child, (JavascriptLink, CssLink))
    ]
    return MapParts(
        header="\n".join(links), html=figure.html.render().strip(), script=figure.script.render(), config={}
    )
