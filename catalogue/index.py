"""Entries → one Catalogue: the same entries grouped by place, country, sector, status and kind."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import vocab
from .model import Entry, PartialDate, Place
from .names import fold


@dataclass(frozen=True)
class PlaceEntries:
    """A place and the ties it is part of ("my city's sister cities")."""

    place: Place
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Catalogue:
    """Everything the pages, map and exports read; built once, never changed."""

    entries: tuple[Entry, ...]  # by slug
    places: dict[str, PlaceEntries]  # by place key
    countries: dict[str, tuple[Entry, ...]]  # by country code; a tie is listed under both parties' countries
    sectors: dict[str, tuple[Entry, ...]]  # every vocabulary key, even with no entries
    statuses: dict[str, tuple[Entry, ...]]
    kinds: dict[str, tuple[Entry, ...]]
    within: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # place key → keys of the places it lies in, nearest first

    def recent(self, count: int) -> tuple[Entry, ...]:
        """The entries most recently observed, newest first (as_of, then since)."""

        def key(entry: Entry) -> tuple[PartialDate | _Never, PartialDate | _Never, str]:
            a = entry.agreement
            return (a.as_of or _NEVER, a.since or _NEVER, entry.agreement.slug)

        return tuple(sorted(self.entries, key=key, reverse=True)[:count])


class _Never:
    """Before every date: entries with no date sort last, newest first."""

    def __lt__(self, other: object) -> bool:
        return not isinstance(other, _Never)

    def __gt__(self, other: object) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Never)


_NEVER = _Never()


def build_index(unsorted: Iterable[Entry]) -> Catalogue:
    """Group entries every way the site lists them; every group keeps slug order."""
    entries = tuple(sorted(unsorted, key=lambda e: e.agreement.slug))
    places: dict[str, Place] = {}
    by_place: defaultdict[str, list[Entry]] = defaultdict(list)
    by_country: defaultdict[str, list[Entry]] = defaultdict(list)
    by_sector: defaultdict[str, list[Entry]] = defaultdict(list)
    by_status: defaultdict[str, list[Entry]] = defaultdict(list)
    by_kind: defaultdict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        a = entry.agreement
        for place in entry.places:
            places.setdefault(place.key, place)  # first entry (by slug) names the place
            if entry not in by_place[place.key]:
                by_place[place.key].append(entry)
        for country in dict.fromkeys(p.country for p in entry.places):
            by_country[country].append(entry)
        for sector in a.sectors:
            by_sector[sector].append(entry)
        by_status[a.status].append(entry)
        by_kind[a.kind].append(entry)
    return Catalogue(
        entries=entries,
        places={key: PlaceEntries(places[key], tuple(by_place[key])) for key in sorted(places)},
        within=areas_of(places),
        countries={code: tuple(by_country[code]) for code in sorted(by_country)},
        sectors={key: tuple(by_sector[key]) for key in vocab.SECTORS},
        statuses={key: tuple(by_status[key]) for key in vocab.STATUSES},
        kinds={key: tuple(by_kind[key]) for key in vocab.KINDS},
    )


def areas_of(places: dict[str, Place]) -> dict[str, tuple[str, ...]]:
    """Place key → the keys of the catalogue's places it lies in, nearest first, following each area to its own.

    An area is found by name or other name in the place's country ('Jawa Barat', 'DI Yogyakarta');
    an area that is not a party to any tie (Jawa Tengah, so far) has no page and is left out.
    """
    by_name: dict[tuple[str, str], str] = {}
    for key, place in sorted(places.items()):
        for name in (place.name, *place.also_known_as):
            by_name.setdefault((place.country, fold(name)), key)

    def direct(key: str) -> list[str]:
        place = places[key]
        found = (by_name.get((place.country, fold(area))) for area in place.within)
        return [k for k in found if k and k != key]

    areas: dict[str, tuple[str, ...]] = {}
    for key in sorted(places):
        chain: list[str] = []
        todo = direct(key)
        while todo:  # breadth first: a regency before the province it lies in
            area = todo.pop(0)
            if area != key and area not in chain:
                chain.append(area)
                todo += direct(area)
        if chain:
            areas[key] = tuple(chain)
    return areas
