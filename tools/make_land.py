#!/usr/bin/env python3
"""Make templates/assets/land-110m.js: the world's land as GeoJSON, for maps without tiles.

Input: land-110m.json from the npm package world-atlas 2.0.2 (ISC, Mike Bostock), itself
Natural Earth 1:110m land (public domain). Get it with `npm pack world-atlas` and run:

    python tools/make_land.py package/land-110m.json

The output is committed, so builds need neither npm nor a network.
"""

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "templates" / "assets" / "land-110m.js"


def decode(topo: dict) -> dict:
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

    def ring(indexes):
        out = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points if not out else points[1:])
        # Unwrap across the antimeridian (Russia, Fiji): a jump of more than 180 degrees would
        # otherwise be drawn as a line across the whole world.
        for k in range(1, len(out)):
            while out[k][0] - out[k - 1][0] > 180:
                out[k] = [round(out[k][0] - 360, 3), out[k][1]]
            while out[k][0] - out[k - 1][0] < -180:
                out[k] = [round(out[k][0] + 360, 3), out[k][1]]
        # Then move the whole ring back by whole turns so most of it lies in -180..180.
        middle = sorted(p[0] for p in out)[len(out) // 2]
        turns = round(middle / 360)
        return [[round(x - 360 * turns, 3), y] for x, y in out] if turns else out

    polygons = []
    for geometry in topo["objects"]["land"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons.append([ring(r) for r in geometry["arcs"]])
        else:
            polygons.extend([ring(r) for r in p] for p in geometry["arcs"])
    return {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": polygons}}


def main() -> None:
    land = decode(json.loads(Path(sys.argv[1]).read_text()))
    OUT.write_text(
        "/* World land, Natural Earth 1:110m (public domain), via world-atlas 2.0.2 (ISC, Mike Bostock).\n"
        "   Made by tools/make_land.py; drawn under the map when tiles are off. */\n"
        "window.CATALOGUE_LAND = " + json.dumps(land, separators=(",", ":")) + ";\n"
    )
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
