"""Marker and line records → a folium map. The only module that imports folium.

folium builds the map itself (the Leaflet map, its tiles, the asset links); the points and
lines go into the page as JSON, one array per status layer, and templates/assets/map.js turns
them into clustered canvas circle markers and polylines in the browser. So the map scales to
tens of thousands of ties (one folium Marker per point would cost ~1 KB of HTML and ~1 ms of
build each), and since the folium part no longer depends on the data, it is rendered once per
page depth and reused: a page's map costs one JSON dump.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from itertools import count

import folium
from branca.element import CssLink, Element, JavascriptLink
from folium.template import Template

from . import vocab

# Colour-blind-safe (Okabe–Ito) and never alone: popups, layer names and badges carry the words.
STATUS_COLOURS = {"active": "#009E73", "stalled": "#D55E00", "exploratory": "#0072B2", "ended": "#6B6B6B"}
assert STATUS_COLOURS.keys() == vocab.STATUSES.keys()

JS = [
    ("leaflet", "assets/vendor/leaflet/leaflet.js"),
    ("markerclusterjs", "assets/vendor/markercluster/leaflet.markercluster.js"),
    ("cataloguemap", "assets/map.js"),
]
LAND_JS = [("land", "assets/land-110m.js")]
CSS = [
    ("leaflet_css", "assets/vendor/leaflet/leaflet.css"),
    ("markerclustercss", "assets/vendor/markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", "assets/vendor/markercluster/MarkerCluster.Default.css"),
]
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
DATA = "__CATALOGUE_MAP_DATA__"
FIT_MAX_ZOOM = 9


@dataclass(frozen=True)
class Tie:
    """An agreement as a popup lists it."""

    title: str
    url: str  # relative to the site root
    status: str


@dataclass(frozen=True)
class PlacePoint:
    """A located place on one status layer, with the ties of that status it is part of."""

    lat: float
    lon: float
    name: str
    url: str
    status: str
    ties: tuple[Tie, ...]


@dataclass(frozen=True)
class TieLine:
    """The line between the two parties of one agreement."""

    start: tuple[float, float]
    end: tuple[float, float]
    tie: Tie


@dataclass(frozen=True)
class MapParts:
    """A rendered map, split so a page template can place it: head links, the div, the script."""

    header: str
    html: str
    script: str
    data: dict  # the records as the page's script receives them


class _Layers(folium.MacroElement):
    """Hands the JSON records to map.js, which draws the status layers and their control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        catalogueMap({{ this._parent.get_name() }}, """ + DATA + """);
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "CatalogueLayers"


def json_for_script(value) -> str:
    """JSON that cannot close the <script> element it sits in, whatever the names say."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def map_data(points, lines, *, root: str, labels: dict[str, str], land: bool, zoom_hint: str = "Zoom in to see the lines between partners.") -> dict:
    """The records as map.js reads them: one layer per status that has anything to show."""
    layers = []
    for status in vocab.STATUSES:
        layer_points = [p for p in points if p.status == status]
        layer_lines = [l for l in lines if l.tie.status == status]
        if not layer_points and not layer_lines:
            continue
        ties = {l.tie.url for l in layer_lines} | {t.url for p in layer_points for t in p.ties}
        layers.append({
            "status": status,
            "label": labels[status],
            "colour": STATUS_COLOURS[status],
            "count": len(ties),
            "points": [[p.lat, p.lon, p.name, p.url, [[t.title, t.url] for t in p.ties]] for p in layer_points],
            "lines": [[*l.start, *l.end, l.tie.title, l.tie.url] for l in layer_lines],
        })
    return {"root": root, "land": land, "maxZoom": FIT_MAX_ZOOM, "zoomHint": zoom_hint, "layers": layers}


def build_map(points, lines, *, root: str, tiles: str, labels: dict[str, str], height: str = "100%", asset_root: str | None = None,
              zoom_hint: str = "Zoom in to see the lines between partners.") -> MapParts:
    """Points and lines, one toggled layer per status, as map parts for a page.

    root is the relative path from the page to the root its record URLs are relative to
    ('', '../', ...); asset_root the path to the site root, where assets are (default: root).
    labels maps each status to the word shown for it (layer names and popups).
    """
    shell = _shell(root if asset_root is None else asset_root, tiles, height)
    data = map_data(points, lines, root=root, labels=labels, land=tiles == "none", zoom_hint=zoom_hint)
    return MapParts(shell.header, shell.html, shell.script.replace(DATA, json_for_script(data)), data)


@lru_cache(maxsize=64)
def _shell(root: str, tiles: str, height: str) -> MapParts:
    """The folium map without data, for one page depth: the same for every page at that depth."""
    m = folium.Map(location=[0, 110], zoom_start=2, tiles=None, width="100%", height=height, world_copy_jump=True)
    # folium gives max_zoom only to its own tile layer; MarkerCluster needs it on the map itself.
    m.options.update(minZoom=1, maxZoom=18)
    # Per instance, never folium's class lists (those point at CDNs and are shared by every map).
    m.default_js = [(name, root + url) for name, url in JS + (LAND_JS if tiles == "none" else [])]
    m.default_css = [(name, root + url) for name, url in CSS]
    if tiles == "openstreetmap":
        folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19, control=False).add_to(m)
    m.add_child(_Layers())
    return _render_parts(m)


def _render_parts(m: folium.Map) -> MapParts:
    """Render with ids numbered in tree order, so the same map gives the same bytes."""
    figure = m.get_root()
    numbers = count()

    def renumber(element: Element) -> None:
        element._id = f"{next(numbers):04d}"
        for child in element._children.values():
            renumber(child)

    renumber(figure)
    figure.render()
    # Only the links from folium's head: its other head parts set html/body to full height
    # and forbid zooming on phones, which the site's own stylesheet decides instead.
    links = [child.render() for child in figure.header._children.values() if isinstance(child, (JavascriptLink, CssLink))]
    return MapParts(header="\n".join(links), html=figure.html.render().strip(), script=figure.script.render(), data={})
