"""Catalogue → map records and the map data files (map/<page>.json), one per page that has a map of its own.

The files hold no words of either language (labels come with the page), so both languages'
pages share one file per map. maps() is the one list of which pages have a map file, and
shared_maps() of which pages show part of another page's file: the renderer asks has_map(), and
urls.map_data() of the page shared_maps() names (or the page itself), so a page never points at a
file not written. A list's map shows the whole list, so every page of a long list shares its first
page's map (data_page); the list of all agreements shows the home page's file, which holds the same
ties, and the lists of a country, sector, status or kind show their part of it (map.js keeps the
ties that pass the page's `only`, a filter as in an address). An agreement's map shows its tie in
the file of its first party on the map. At 25k ties those were ~25,000 files and 30 MB that
repeated what the home page's and the places' files hold.
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
    """(page path, its entries) for every map data file: home (all agreements show it too) and the places
    on the map. Every other map shows part of one of these (shared_maps)."""
    candidates = [(urls.HOME, catalogue.entries)]
    candidates += [(urls.place(key), g.entries) for key, g in catalogue.places.items() if g.place.on_map]
    return ((path, entries) for path, entries in candidates if has_map(entries))


# The list filter (map.js readFilters: ?country=jp, ?sector=..., as in a list's address) that keeps a list's ties.
LIST_FILTERS = {"sectors": "sector", "statuses": "status", "kinds": "kind"}


def shared_maps(catalogue: Catalogue) -> dict[str, tuple[str, str]]:
    """page path → (the page whose map data file its map reads, the part it shows: map.js's `only`).

    The lists of a country, sector, status or kind (by their first page) show their ties of the home
    page's file; an agreement shows its own tie in the file of its first party on the map."""
    lists = [(urls.country(code), f"country={code.lower()}", entries) for code, entries in catalogue.countries.items()]
    for group, by_key in (("sectors", catalogue.sectors), ("statuses", catalogue.statuses), ("kinds", catalogue.kinds)):
        lists += [(urls.term(group, key), f"{LIST_FILTERS[group]}={key}", entries) for key, entries in by_key.items()]
    shared = {path: (urls.HOME, only) for path, only, entries in lists if has_map(entries)}
    for entry in catalogue.entries:
        located = [p.key for p in entry.places if p.on_map]
        if located:
            shared[entry.url] = (urls.place(located[0]), f"tie={entry.agreement.slug}")
    return shared


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
