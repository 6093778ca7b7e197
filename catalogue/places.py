"""Parties → Places: coordinates from the entry, content/places.yaml or the offline gazetteer."""

from __future__ import annotations

import os
import json
from functools import cache
from pathlib import Path
from typing import Callable

import yaml

from .countries import is_country, not_a_country
from .i18n import not_a_place
from .files import read_text
from .gazetteer import SHOWN_AREAS, Elsewhere, Found, Gazetteer
from .load import YamlProblem, parse_yaml
from .model import Agreement, Party, Place
from .names import fold, slug
from .problems import Problem, relative
from .regions import PlaceNote, read_note
from .vocab import LEVEL_PLACING

# content/places.yaml's points: (country, folded name) → (lat, lon).
Points = dict[tuple[str, str], tuple[float, float]]


def place_key(party: Party, area: str = "") -> str:
    """The place's identity and URL path: country code, then the name as a slug ('jp/kochi').

    A namesake that the entry's region picks instead of the one the name alone finds adds the
    gazetteer's name of its area ('us/springfield-illinois'), so each has a page of its own while
    the name alone keeps the address it always had ('us/springfield', the most populous).
    """
    name = slug(party.name) or "place"
    return f"{party.country.lower()}/{name}-{slug(area)}" if slug(area) else f"{party.country.lower()}/{name}"


@cache
def default_gazetteer() -> Gazetteer:
    """The one gazetteer of a process, shared by the check and the importer (gazetteer.py)."""
    return Gazetteer()


def load_overrides(file: Path, root: Path) -> tuple[Points, list[Problem]]:
    """content/places.yaml → {(country, folded name): (lat, lon)}, or its problems."""
    overrides, _, problems = load_places_file(file, root)
    return overrides, problems


def load_places_file(file: Path, root: Path) -> tuple[Points, dict[tuple[str, str], PlaceNote], list[Problem]]:
    """content/places.yaml → (points, notes: other names and areas), both by (country, folded name), and its problems.

    A place is [lat, lon], or a mapping: {coordinates: [lat, lon], also_known_as: [...], within: [...], admin1: '30'}.
    """
    notes: dict[tuple[str, str], PlaceNote] = {}
    if not os.path.lexists(file):
        return {}, {}, []
    path = relative(file, root)
    text = read_text(file, root)
    if isinstance(text, Problem):
        return {}, {}, [text]
    try:
        data, lines = parse_yaml(text, path)
    except YamlProblem as err:
        return {}, {}, [err.problem]
    overrides: Points = {}
    problems: list[Problem] = []
    if data is None:
        return {}, {}, []
    if not isinstance(data, dict):
        return (
            {},
            {},
            [
                Problem(
                    path,
                    lines.get((), 1),
                    "",
                    "the file must map country codes to places, e.g. 'ID:' then '  Jawa Barat: [-6.9022, 107.6187]'",
                )
            ],
        )
    for country, places in data.items():
        if not is_country(country):
            problems.append(Problem(path, lines.get((country,), 1), str(country), not_a_country(country)))
            continue
        if places is None:
            continue
        if not isinstance(places, dict):
            problems.append(
                Problem(
                    path,
                    lines.get((country,), 1),
                    str(country),
                    "must list its places below it, one a line, e.g. '  Jawa Barat: [-6.9022, 107.6187]', not "
                    f"{places!r}",
                )
            )
            continue
        for name, point in places.items():
            line = lines.get((country, name), 1)
            if isinstance(point, dict):
                note, found = read_note(path, line, country, str(name), point)
                problems += found
                notes[(country, fold(str(name)))] = note
                if "coordinates" not in point:  # placed by the gazetteer; only its names or areas are noted
                    continue
                point, where = point["coordinates"], f"{country}.{name}.coordinates"
            else:
                where = f"{country}.{name}"
            ok = (
                isinstance(point, list)
                and len(point) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in point)
            )
            if not ok or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
                wrong = (
                    "is empty"
                    if point is None
                    else f"{point!r} is not [latitude, longitude] within -90..90 and -180..180"
                )
                problems.append(
                    Problem(path, line, where, f"{wrong}; write it as [latitude, longitude], e.g. [-6.9022, 107.6187]")
                )
                continue
            overrides[(country, fold(str(name)))] = (float(point[0]), float(point[1]))
    return overrides, notes, problems


def locate(party: Party, overrides: Points, gazetteer: Gazetteer) -> Place | str:
    """One party → its Place, or the message saying how to place it."""
    how = LEVEL_PLACING[party.level]

    def at(lat: float | None, lon: float | None, located_by: str, off_map_reason: str = "", area: str = "") -> Place:
        return Place(
            key=place_key(party, area),
            name=party.name,
            level=party.level,
            country=party.country,
            region=party.region,
            lat=lat,
            lon=lon,
            located_by=located_by,
            off_map_reason=off_map_reason,
        )

    if how == "none":
        # The export's reason is English, in the words the English pages use.
        return at(None, None, "", not_a_place(party.level, "en"))
    if party.coordinates:
        return at(party.coordinates[0], party.coordinates[1], "entry")
    point = overrides.get((party.country, fold(party.name)))
    if point:
        return at(point[0], point[1], "places.yaml")
    if how == "gazetteer":
        found = gazetteer.resolve(party.country, party.name, party.region)
        if isinstance(found, Found):
            return at(found.lat, found.lon, "gazetteer", area=found.area if found.by_region else "")
        if isinstance(found, Elsewhere):
            return elsewhere(party, found, {c for c, _ in overrides})
        near = [n for n in gazetteer.nearest_names(party.country, party.name) if fold(n) != fold(party.name)]
        shown = [repr(n) for n in near]
        hint = (
            f" (did you mean {' or '.join([', '.join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)}?)"
            if near
            else ""
        )
        where = f"is not in the offline gazetteer{hint}"
    else:
        where = f"is a {party.level}, and the offline gazetteer has only cities"
    return f"'{party.name}' ({party.country}) {where}; {places_yaml_fix(party, {c for c, _ in overrides})}"


def elsewhere(party: Party, found: Elsewhere, countries_listed: set[str]) -> str:
    """The message for a region that does not pick one of the gazetteer's places of the party's name."""
    shown = [repr(a) for a in found.areas[:SHOWN_AREAS]]
    if len(found.areas) > SHOWN_AREAS:
        shown.append(f"{len(found.areas) - SHOWN_AREAS} more")
    areas = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    if found.known:
        what = f"is not in the offline gazetteer in region '{party.region}'; it has places of that name only in {areas}"
    else:
        hint = f" (did you mean '{found.suggestion}'?)" if found.suggestion else ""
        what = (
            f"is more than one place in the offline gazetteer, in {areas}, and region '{party.region}' is not "
            f"an area it knows{hint}"
        )
    fix = places_yaml_fix(party, countries_listed)
    return f"'{party.name}' ({party.country}) {what}; write one of those as the party's 'region', or {fix}"


def places_yaml_fix(party: Party, countries_listed: set[str]) -> str:
    """How to place a party, as lines that can be pasted into content/places.yaml as they are."""
    line = f"  {yaml_key(party.name)}: [latitude, longitude]"
    where = (
        f"add the line '{line}' under '{party.country}:' in content/places.yaml"
        if party.country in countries_listed
        else f"add the lines '{party.country}:' and '{line}' to content/places.yaml"
    )
    return f"{where}, or give the party 'coordinates: [latitude, longitude]'"


def yaml_key(name: str) -> str:
    """The name as a YAML key: plain where YAML reads it back unchanged, else in double quotes."""
    try:
        plain = yaml.safe_load(f"{name}: 0") == {name: 0}
    except yaml.YAMLError:
        plain = False
    return name if plain else json.dumps(name, ensure_ascii=False)


def place_all(
    agreements: list[Agreement], overrides: Points, gazetteer: Gazetteer, raws_lines: Callable[..., int]
) -> tuple[dict[str, tuple[Place, Place]], list[Problem]]:
    """Every party of every agreement → ({agreement slug: (Place, Place)}, problems); raws_lines(path, *field)
    gives a field's line."""
    placed: dict[str, tuple[Place, Place]] = {}
    problems: list[Problem] = []
    for agreement in agreements:
        pair: list[Place] = []
        for i, party in enumerate(agreement.parties):
            place = locate(party, overrides, gazetteer)
            if isinstance(place, str):
                problems.append(
                    Problem(
                        agreement.path, raws_lines(agreement.path, "parties", i, "name"), f"parties.{i}.name", place
                    )
                )
            else:
                pair.append(place)
        if len(pair) == 2:
            placed[agreement.slug] = (pair[0], pair[1])
    return placed, problems
