"""A place within its region, and the places index: what a citizen looking up their own city needs.

A place page lists its own ties, then those of the areas it lies in (a regency, then the
province, from Catalogue.within), since a city's people are party to what their province
signed. The places index puts the home country's side (home_country in catalogue.toml) by
province, state or prefecture, and the partners by country; a catalogue without a home country
lists every place by country.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from . import i18n, paging, urls, vocab
from .index import Catalogue
from .model import Entry
from .views import Group

# The levels of a country's first-level areas, under which the places index puts the home country's places.
AREA_LEVELS = ("province", "state", "prefecture", "governorate")


@dataclass(frozen=True)
class AreaTies:
    """The ties of an area a place lies in, less those the place is itself party to."""

    name: str
    url: str
    level: str  # its level's label, lower case, as it reads inside a sentence
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class PlaceHeading:
    """One heading of the places index (a province, or a partner country) and the places under it."""

    title: str
    url: str | None  # the province's or country's own page, where there is one
    places: tuple[Group, ...]  # those shown under it: none when there are more than paging.PLACES_INLINE
    count: int = 0  # how many places it has
    more_url: str | None = None  # where all of them are, in pages, when they are not shown here


@dataclass(frozen=True)
class PlacesIndex:
    country: str  # the home country's name in the page's language; '' when the catalogue has none
    area: str  # what its areas are called, lower case as inside a sentence: 'province', 'state', 'prefecture'
    home: tuple[PlaceHeading, ...]  # the home country's places, by area (none without a home country)
    partners: tuple[PlaceHeading, ...]  # every other place, by country


def area_ties(catalogue: Catalogue, key: str, lang: str) -> list[AreaTies]:
    """The areas the place lies in, nearest first, each with its ties that the place is not already party to."""
    own = set(catalogue.places[key].entries)
    out = []
    for area_key in catalogue.within.get(key, ()):
        area = catalogue.places[area_key]
        entries = tuple(e for e in area.entries if e not in own)
        if entries:
            out.append(
                AreaTies(
                    area.place.name,
                    urls.place(area_key),
                    i18n.label(vocab.LEVELS[area.place.level], lang).lower(),
                    entries,
                )
            )
    return out


def province_of(catalogue: Catalogue, key: str) -> tuple[str, str | None] | None:
    """The first-level area (province, state, prefecture) a place is in (or is), with its page if the catalogue has
    one; None if no source says."""
    place = catalogue.places[key].place
    if place.level in AREA_LEVELS:
        return place.name, urls.place(key)
    for area in catalogue.within.get(key, ()):
        if catalogue.places[area].place.level in AREA_LEVELS:
            return catalogue.places[area].place.name, urls.place(area)
    if place.within:  # written nearest first, so the province is last
        return place.within[-1], None
    return None


def places_index(catalogue: Catalogue, lang: str, gettext: Callable[[str], str], home: str) -> PlacesIndex:
    """The places index: the home country's places (home: its code, '' for none) by area, the others by country."""

    def group(key: str, note: str) -> Group:
        g = catalogue.places[key]
        return Group(g.place.name, urls.place(key), len(g.entries), note)

    def level(key: str) -> str:
        return i18n.label(vocab.LEVELS[catalogue.places[key].place.level], lang)

    by_province: dict[str, tuple[str | None, list[Group]]] = {}
    unknown: list[Group] = []
    by_country: dict[str, list[Group]] = {}
    for key, g in sorted(catalogue.places.items(), key=lambda kv: (kv[1].place.name.casefold(), kv[0])):
        if home and g.place.country == home:
            province = province_of(catalogue, key)
            if province is None:
                unknown.append(group(key, level(key)))
            else:
                name, url = province
                _, groups = by_province.setdefault(name, (url, []))
                if url and not by_province[name][0]:
                    by_province[name] = (url, groups)
                groups.append(group(key, level(key)))
        else:
            by_country.setdefault(g.place.country, []).append(group(key, level(key)))
    # The home country's areas are called after the level most of its area places in the catalogue have.
    levels = Counter(
        g.place.level for g in catalogue.places.values() if g.place.country == home and g.place.level in AREA_LEVELS
    )
    area = min(levels, key=lambda lv: (-levels[lv], AREA_LEVELS.index(lv))) if levels else AREA_LEVELS[0]
    home_places = [
        PlaceHeading(name, url, tuple(groups), len(groups))
        for name, (url, groups) in sorted(by_province.items(), key=lambda kv: kv[0].casefold())
    ]
    if unknown:
        not_recorded = gettext("%(area)s not recorded") % {"area": i18n.label(vocab.LEVELS[area], lang)}
        home_places.append(PlaceHeading(not_recorded, None, tuple(unknown), len(unknown)))
    # A partner country's places are listed here when few; when many, its count links to their pages.
    partners = [
        PlaceHeading(i18n.country(code, lang), urls.country(code), tuple(groups), len(groups))
        if len(groups) <= paging.PLACES_INLINE
        else PlaceHeading(i18n.country(code, lang), urls.country(code), (), len(groups), urls.country_places(code))
        for code, groups in sorted(by_country.items(), key=lambda kv: (i18n.country(kv[0], lang), kv[0]))
    ]
    return PlacesIndex(
        i18n.country(home, lang) if home else "",
        i18n.label(vocab.LEVELS[area], lang).lower(),
        tuple(home_places),
        tuple(partners),
    )
