"""The data's licence and the exports' schema version: stated once, read by the exports, the
footer (render.py) and the docs, without the page renderer depending on the exporters."""

from __future__ import annotations

from dataclasses import dataclass

# Additive changes keep it; renaming or removing a field, or changing its meaning, bumps it.
# 2: a source's title may be a bracketed description and its year an estimate (title_supplied,
# year_estimated say which), and status/as_of come from the newest observation.
# 3: no field repeats what another gives: the record's url, json_url and file and a party's place_url
# (all named by the slug or place key), and the GeoJSON's slug, key and url properties (the feature's id).
SCHEMA_VERSION = 3


@dataclass(frozen=True)
class Licence:
    name: str
    url: str
    attribution: str  # what reusers credit, with a link to the site


# The one place the data licence is stated: the exports, docs/data.md, the footer and the README read it.
DATA_LICENCE = Licence(
    name="CC BY 4.0",
    url="https://creativecommons.org/licenses/by/4.0/",
    attribution="Sister cities of Indonesia catalogue",
)
