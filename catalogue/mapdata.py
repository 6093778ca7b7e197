"""Catalogue → map records and the map data files (map/<page>.json), one per page that has a map.

The files hold no words of either language (labels come with the page), so both languages'
pages share one file per map. maps() is the one list of which pages have a map: the renderer
asks has_map() and urls.map_data() of the same page, so a page never points at a file not written.
A list's map shows the whole list, so every page of a long list shares its first page's file
(data_page); the list of all agreements shares the home page's, which holds the same ties.
"""

from __future__ import annotations

from functools import partial
from typing import Iterable, Iterator

from . import urls
from .index import Catalogue
from .inputs import Inputs
from .mapping import MapPlace, MapTie, data_json
from .model import Entry, Page
from .write import Kept


def map_records(entries: Iterable[Entry]) -> tuple[MapTie, ...]:
    """Entries → one tie per agreement with at least one party on the map, in the entries' order."""
    ties = []
    for entry in entries:
        first, second = (MapPlace(p.key, p.name, p.lat, p.lon) for p in entry.places)
        parties = (first, second)
        if any(p.on_map for p in parties):
            a = entry.agreement
            ties.append(MapTie(a.slug, a.display_title, a.status, a.kind, tuple(a.sectors), parties))
    return tuple(ties)


def has_map(entries: Iterable[Entry]) -> bool:
    return any(p.on_map for e in entries for p in e.places)


def data_page(path: str) -> str:
    """The page whose data file the map on page `path` (a list's first page) shows."""
    return urls.HOME if path == urls.AGREEMENTS else path


def maps(catalogue: Catalogue) -> Iterator[tuple[str, tuple[Entry, ...]]]:
    """(page path, its entries) for every map data file: home, agreements, places, and the lists of
    countries, sectors, statuses and kinds (by their first page; all agreements is home's)."""
    candidates = [(urls.HOME, catalogue.entries)]
    candidates += [(e.url, (e,)) for e in catalogue.entries]
    candidates += [(urls.place(key), g.entries) for key, g in catalogue.places.items() if g.place.on_map]
    candidates += [(urls.country(code), entries) for code, entries in catalogue.countries.items()]
    for group, by_key in (
        ("sectors", catalogue.sectors),
        ("statuses", catalogue.statuses),
        ("kinds", catalogue.kinds),
    ):
        candidates += [(urls.term(group, key), entries) for key, entries in by_key.items()]
    return ((path, entries) for path, entries in candidates if has_map(entries))


def map_page(path: str, entries: tuple[Entry, ...], inputs: Inputs | None = None) -> Page | Kept:
    """The data file of the map on page path (one of maps()), shared by the pages of both languages; with
    inputs (a rebuild), Kept when the rows of its entries (what map_records reads of them) are unchanged."""
    if inputs is None:
        return Page(urls.map_data(path), data_json(map_records(entries)))
    return inputs.output(urls.map_data(path), [inputs.rows(entries)], partial(_data, entries))


def map_pages(catalogue: Catalogue, inputs: Inputs | None = None) -> list[Page | Kept]:
    """One data file per map."""
    return [map_page(path, entries, inputs) for path, entries in maps(catalogue)]


def _data(entries: tuple[Entry, ...]) -> bytes:
    return data_json(map_records(entries))
