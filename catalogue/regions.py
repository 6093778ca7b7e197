"""Places' other names and the areas they lie in: from entries, content/places.yaml and the gazetteer.

Runs after places are located (places.py) and before the index: every party of one place
(same key) pools its names and regions, so a name given in one entry is known to all of
that place's ties. The index then turns the area names into places of the catalogue
("Bandung lies in Jawa Barat"); nothing here knows any particular place.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .model import Agreement, Place
from .names import fold
from .problems import Problem

if TYPE_CHECKING:
    from .gazetteer import Gazetteer

# The fields a place takes in places.yaml when it is written as a mapping, not as [lat, lon].
NOTE_FIELDS = {
    "coordinates": "[latitude, longitude] of the seat of its government, e.g. [-6.9022, 107.6187]",
    "also_known_as": "other names people use for it, e.g. [Solo]",
    "within": "the regency or province it lies in, nearest first, e.g. [Karanganyar, Jawa Tengah]",
    "admin1": "its code among the gazetteer's first-level areas (GeoNames admin1), e.g. '30'; cities the gazetteer "
    "puts in that area lie in it",
}


@dataclass(frozen=True)
class PlaceNote:
    """What places.yaml says of a place besides where it is."""

    name: str  # as places.yaml writes it
    also_known_as: tuple[str, ...] = ()
    within: tuple[str, ...] = ()
    admin1: str = ""


def read_note(path: str, line: int, country: str, name: str, value: dict[str, Any]) -> tuple[PlaceNote, list[Problem]]:
    """A places.yaml mapping's names, areas and admin1 code, or the problems with them (coordinates are read by
    places.py).
    """
    problems = []
    where = f"{country}.{name}"
    for key in value:
        if key not in NOTE_FIELDS:
            fields = "; ".join(f"{name}: {what}" for name, what in NOTE_FIELDS.items())
            problems.append(Problem(path, line, f"{where}.{key}", f"unknown field; a place takes: {fields}"))

    def names(key: str) -> tuple[str, ...]:
        given = value.get(key)
        if given is None:
            return ()
        if isinstance(given, str) and given.strip():
            given = [given]
        if not isinstance(given, list) or not all(isinstance(n, str) and n.strip() for n in given):
            problems.append(
                Problem(
                    path, line, f"{where}.{key}", f"{given!r} is not a list of names; write it as [Name, Other name]"
                )
            )
            return ()
        return tuple(dict.fromkeys(n.strip() for n in given))

    admin1 = value.get("admin1")
    if admin1 is not None and not (
        isinstance(admin1, (str, int)) and not isinstance(admin1, bool) and str(admin1).strip()
    ):
        problems.append(
            Problem(
                path,
                line,
                f"{where}.admin1",
                f"{admin1!r} is not a code; write the GeoNames admin1 code in quotes, e.g. '30'",
            )
        )
        admin1 = None
    note = PlaceNote(name, names("also_known_as"), names("within"), str(admin1).strip() if admin1 is not None else "")
    return note, problems


def scripts(text: str) -> frozenset[str]:
    """The scripts a name is written in, by Unicode character name: {'LATIN'}, {'CYRILLIC'}, {'CJK'}."""
    return frozenset(unicodedata.name(c, "?").split(" ")[0] for c in text if c.isalpha())


def same_script_names(name: str, alternates: Iterable[str], known: set[str]) -> tuple[str, ...]:
    """The gazetteer's alternate names a reader of `name` could type: its script, written as names are.

    GeoNames also lists codes ('SOC', 'JOG') and machine transliterations in lower case
    ('suo luo', 'ri re'); those would only make search find the wrong place.
    """
    script = scripts(name)
    seen = {_written(n) for n in known}
    out = []
    for alternate in alternates:
        alternate = alternate.strip()
        if not alternate or _written(alternate) in seen or not alternate[0].isupper() or alternate.isupper():
            continue
        if not scripts(alternate) <= script:
            continue
        seen.add(_written(alternate))
        out.append(alternate)
    return tuple(sorted(out, key=lambda n: (n.casefold(), n)))  # alphabetical as written: fold() sets aside "Kota"


def same_name(a: str, b: str) -> bool:
    """One name written twice: case and the kind of apostrophe do not count; letters and accents do ('Xian' is not
    'Xi'an').
    """
    return _written(a) == _written(b)


def _written(name: str) -> str:
    return " ".join(re.sub(r"[’`ʻʼ]", "'", name).casefold().split())


def describe(
    placed: dict[str, tuple[Place, Place]],
    agreements: list[Agreement],
    notes: dict[tuple[str, str], PlaceNote],
    gazetteer: Gazetteer,
) -> dict[str, tuple[Place, Place]]:
    """{slug: (Place, Place)} with every place's other names and areas filled in, the same for every tie of a place."""
    names: dict[str, dict[str, None]] = defaultdict(dict)
    regions: dict[str, dict[str, None]] = defaultdict(dict)
    for agreement in agreements:
        for party, place in zip(agreement.parties, placed.get(agreement.slug, ())):
            names[place.key].update(dict.fromkeys(party.also_known_as))
            if party.region:
                regions[place.key][party.region] = None
    # A province that gives its gazetteer code holds every gazetteer city of that code.
    by_code = {(country, note.admin1): note.name for (country, _), note in notes.items() if note.admin1}
    described: dict[str, Place] = {}
    for pair in placed.values():
        for place in pair:
            if place.key in described:
                continue
            note = notes.get((place.country, fold(place.name))) or PlaceNote(place.name)
            also = tuple(
                n for n in dict.fromkeys((*note.also_known_as, *names[place.key])) if not same_name(n, place.name)
            )
            within = [*note.within]
            spellings: tuple[str, ...] = ()
            if place.located_by == "gazetteer":
                admin1, alternates = gazetteer.about(place.country, place.name, place.region)
                if (place.country, admin1) in by_code:
                    within.append(by_code[(place.country, admin1)])
                known = {place.name, *also}
                spellings = same_script_names(place.name, alternates, known)
            within += regions[place.key]
            folded_within: dict[str, str] = {}  # folded spelling → the first spelling seen
            for area in within:
                if fold(area) != fold(place.name):
                    folded_within.setdefault(fold(area), area)
            described[place.key] = replace(
                place, also_known_as=also, other_spellings=spellings, within=tuple(folded_within.values())
            )
    return {slug: (described[first.key], described[second.key]) for slug, (first, second) in placed.items()}
