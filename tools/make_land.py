#!/usr/bin/env python3
"""Make templates/assets/land-110m.js: the world's land and country borders as GeoJSON, for maps
without tiles (or whose tiles fail to load).

Input: land-110m.json and countries-110m.json from the npm package world-atlas 2.0.2 (ISC, Mike
Bostock), itself Natural Earth 1:110m (public domain). Get them with `npm pack world-atlas` and run:

    python tools/make_land.py package/land-110m.json package/countries-110m.json

The output is committed, so builds need neither npm nor a network.
"""

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "templates" / "assets" / "land-110m.js"


def decode_arcs(topo: dict) -> list[list[list[float]]]:
    """TopoJSON's delta-encoded, quantised arcs → lists of [lon, lat]."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append([round(x * sx + tx, 3), round(y * sy + ty, 3)])
        arcs.append(points)
    return arcs


def unwrap(out: list[list[float]]) -> list[list[float]]:
    """Across the antimeridian (Russia, Fiji) a jump of more than 180 degrees would otherwise be
    drawn as a line across the whole world; then move the whole back by whole turns so most of it
    lies in -180..180."""
    for k in range(1, len(out)):
        while out[k][0] - out[k - 1][0] > 180:
            out[k] = [round(out[k][0] - 360, 3), out[k][1]]
        while out[k][0] - out[k - 1][0] < -180:
            out[k] = [round(out[k][0] + 360, 3), out[k][1]]
    middle = sorted(p[0] for p in out)[len(out) // 2]
    turns = round(middle / 360)
    return [[round(x - 360 * turns, 3), y] for x, y in out] if turns else out


def decode(topo: dict) -> dict:
    arcs = decode_arcs(topo)

    def ring(indexes):
        out = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points if not out else points[1:])
        return unwrap(out)

    polygons = []
    for geometry in topo["objects"]["land"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons.append([ring(r) for r in geometry["arcs"]])
        else:
            polygons.extend([ring(r) for r in p] for p in geometry["arcs"])
    return {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": polygons}}


def borders(topo: dict) -> dict:
    """The arcs two countries share (TopoJSON's mesh with a !== b): land borders, not coasts."""
    arcs = decode_arcs(topo)
    users: dict[int, set[int]] = {}

    def walk(node, owner: int) -> None:
        if isinstance(node, int):
            users.setdefault(node if node >= 0 else ~node, set()).add(owner)
        else:
            for child in node:
                walk(child, owner)

    for n, geometry in enumerate(topo["objects"]["countries"]["geometries"]):
        walk(geometry.get("arcs", []), n)
    lines = [unwrap([list(p) for p in arcs[i]]) for i in sorted(users) if len(users[i]) > 1]
    return {"type": "Feature", "properties": {}, "geometry": {"type": "MultiLineString", "coordinates": lines}}


def main() -> None:
    land = decode(json.loads(Path(sys.argv[1]).read_text()))
    shared = borders(json.loads(Path(sys.argv[2]).read_text()))
    OUT.write_text(
        "/* World land and country borders, Natural Earth 1:110m (public domain), via world-atlas 2.0.2\n"
        "   (ISC, Mike Bostock). Made by tools/make_land.py; drawn under the map when tiles are off or fail. */\n"
        "window.CATALOGUE_LAND = " + json.dumps(land, separators=(",", ":")) + ";\n"
        "window.CATALOGUE_BORDERS = " + json.dumps(shared, separators=(",", ":")) + ";\n"
    )
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
