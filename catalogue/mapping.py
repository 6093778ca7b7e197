"""Marker and line records → a folium map. The only module that imports folium.

Points and lines go into the page as one JSON array per status layer and become canvas
circle markers and polylines in the browser, so the map scales to tens of thousands of
ties: one folium Marker per point would cost ~1 KB of HTML and ~1 ms of build each.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import count

import folium
from branca.element import CssLink, Element, JavascriptLink
from folium.plugins import MarkerCluster
from folium.template import Template

from . import vocab

# Colour-blind-safe (Okabe–Ito) and never alone: popups, layer names and badges carry the words.
STATUS_COLOURS = {"active": "#009E73", "stalled": "#D55E00", "exploratory": "#0072B2", "ended": "#6B6B6B"}
assert STATUS_COLOURS.keys() == vocab.STATUSES.keys()

VENDOR = "assets/vendor/"
LEAFLET_JS = [("leaflet", VENDOR + "leaflet/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", VENDOR + "leaflet/leaflet.css")]
CLUSTER_JS = [("markerclusterjs", VENDOR + "markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markerclustercss", VENDOR + "markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", VENDOR + "markercluster/MarkerCluster.Default.css"),
]
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


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


class _StatusData(folium.MacroElement):
    """One status layer's points (into its cluster) and lines (into its group), from JSON."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        catalogueLayer({{ this.cluster.get_name() }}, {{ this._parent.get_name() }}, {{ this.payload }});
        {% endmacro %}
        """
    )

    def __init__(self, cluster, payload: str):
        super().__init__()
        self._name = "StatusData"
        self.cluster = cluster
        self.payload = payload


class _Helpers(folium.MacroElement):
    """The small script that turns JSON records into markers and lines.

    Popups and tooltips are built as DOM text: Leaflet sets a string as innerHTML, and names are data.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        function catalogueLayer(cluster, group, d) {
            var root = d.root, renderer = L.canvas({padding: 0.5});
            function popup(title, rows) {
                var box = document.createElement("div"), head = document.createElement("strong");
                head.appendChild(link(title[0], title[1]));
                box.appendChild(head);
                var list = document.createElement("ul");
                rows.forEach(function (row) {
                    var li = document.createElement("li");
                    li.appendChild(link(row[0], row[1]));
                    li.appendChild(document.createTextNode(" (" + d.label + ")"));
                    list.appendChild(li);
                });
                box.appendChild(list);
                return box;
            }
            function link(text, href) {
                var a = document.createElement("a");
                a.textContent = text;
                a.href = root + href;
                return a;
            }
            var style = {radius: 7, color: "#ffffff", weight: 1.5, fillColor: d.colour, fillOpacity: 0.9, renderer: renderer};
            var markers = d.points.map(function (p) {
                var m = L.circleMarker([p[0], p[1]], style);
                m.bindPopup(function () { return popup([p[2], p[3]], p[4]); });
                m.bindTooltip(function () { return document.createTextNode(p[2]); });
                return m;
            });
            cluster.addLayers(markers);
            var lineStyle = {color: d.colour, weight: 2, opacity: 0.7, renderer: renderer};
            d.lines.forEach(function (l) {
                var line = L.polyline([[l[0], l[1]], [l[2], l[3]]], lineStyle);
                line.bindPopup(function () { return popup([l[4], l[5]], []); });
                group.addLayer(line);
            });
        }
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "CatalogueHelpers"


def _json_for_script(value) -> str:
    """JSON that cannot close the <script> element it sits in, whatever the names say."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _layer_payload(status: str, points, lines, root: str, label: str) -> dict:
    return {
        "root": root,
        "colour": STATUS_COLOURS[status],
        "label": label,
        "points": [[p.lat, p.lon, p.name, p.url, [[t.title, t.url] for t in p.ties]] for p in points],
        "lines": [[*l.start, *l.end, l.tie.title, l.tie.url] for l in lines],
    }


def build_map(points, lines, *, root: str, tiles: str, labels: dict[str, str], height: str = "100%", zoom_to_fit: bool = True) -> MapParts:
    """Place points and lines, one toggled layer per status, into map parts for a page.

    root is the relative path from the page to the site root ('', '../', ...).
    labels maps each status to the word shown for it (layer names and popups).
    """
    m = folium.Map(
        location=[0, 110], zoom_start=2, tiles=None, width="100%", height=height,
        world_copy_jump=True, prefer_canvas=True,
    )
    # folium gives max_zoom only to its own tile layer; MarkerCluster needs it on the map itself.
    m.options.update(minZoom=1, maxZoom=18)
    # Per instance, never the class lists: other maps in the same process keep their own.
    m.default_js = [(name, root + url) for name, url in LEAFLET_JS]
    m.default_css = [(name, root + url) for name, url in LEAFLET_CSS]
    if tiles == "openstreetmap":
        folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19, control=False).add_to(m)
    m.add_child(_Helpers())
    for status in vocab.STATUSES:
        layer_points = [p for p in points if p.status == status]
        layer_lines = [l for l in lines if l.tie.status == status]
        if not layer_points and not layer_lines:
            continue
        count_ties = len({l.tie.url for l in layer_lines} | {t.url for p in layer_points for t in p.ties})
        group = folium.FeatureGroup(name=f"{labels[status]} ({count_ties})", show=True).add_to(m)
        cluster = MarkerCluster(control=False, options={"chunkedLoading": True, "maxClusterRadius": 40})
        cluster.default_js = [(name, root + url) for name, url in CLUSTER_JS]
        cluster.default_css = [(name, root + url) for name, url in CLUSTER_CSS]
        cluster.add_to(group)
        label = labels[status]
        group.add_child(_StatusData(cluster, _json_for_script(_layer_payload(status, layer_points, layer_lines, root, label))))
    folium.LayerControl(collapsed=False).add_to(m)
    located = [(p.lat, p.lon) for p in points]
    if zoom_to_fit and located:
        lats, lons = [p[0] for p in located], [p[1] for p in located]
        pad = 2.0
        m.fit_bounds([[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]], max_zoom=9)
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
    return MapParts(header="\n".join(links), html=figure.html.render().strip(), script=figure.script.render())
