"""A spreadsheet of ties (CSV) → entries: countries guessed, places checked, every entry validated.

Coordinates: a party found in content/places.yaml or the gazetteer is placed there and written
without coordinates. A CSV point more than MAX_KM from the gazetteer's point for that name and
country is a wrong geocode and is dropped (the gazetteer wins), unless it lies within MAX_KM of
another city of that name in that country (a namesake the gazetteer ranks lower, such as a
smaller Springfield): then the CSV point pins the party. A party the gazetteer does not know
keeps its CSV point unless the point is more than COUNTRY_KM from every gazetteer city of the
party's country while cities of another country lie within COUNTRY_KM (Canterbury, Australia,
given Kent's point), or it is the point of another name in the file that the gazetteer puts
there (a county or suburb given its city's point).
"""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import countries
from .gazetteer import Gazetteer
from .names import fold as _fold
from .places import Points, default_gazetteer, load_overrides, locate
from .plausible import home_first, home_name
from .problems import did_you_mean, relative
from .scaffold import (
    Existing,
    PartyMeta,
    entry_meta,
    entry_text,
    pair_keys,
    pair_slug,
    parse_entry,
    party_meta,
    same_place,
    source_meta,
    write_entry,
)
from .vocab import LEVEL_PLACING

MAX_KM = 50  # a CSV point this near the gazetteer's agrees with it
COUNTRY_KM = 150  # a point this far from all its country's cities, and near another's, is wrong
KM_PER_DEGREE = 111.19

Point = tuple[float, float]  # (lat, lon)

# Field → the column read by default; the benchmark corpus's columns. Optional fields are read
# only when the CSV has the column.
DEFAULT_COLUMNS = {
    "name1": "city1",
    "country1": "country1",
    "lat1": "lat1",
    "lon1": "lng1",
    "level1": "level1",
    "region1": "region1",
    "name2": "city2",
    "country2": "country2",
    "lat2": "lat2",
    "lon2": "lng2",
    "level2": "level2",
    "region2": "region2",
    "kind": "kind",
    "status": "status",
    "as_of": "as_of",
    "since": "since",
    "source_title": "source",
    "source_url": "source_url",
}
NEEDED = ("name1", "country1", "name2", "country2")

REASONS = {
    "country": "country not recognised",
    "place": "place not found",
    "coordinates": "bad coordinates",
    "same-place": "same place on both sides",
    "home": "no party in the home country",
    "duplicate": "duplicate of an existing entry",
    "invalid": "does not validate",
}
PLACED_BY = {
    "places.yaml": "by content/places.yaml",
    "gazetteer": "by the gazetteer",
    "csv": "by the CSV's coordinates (not in the gazetteer, but near their country's cities)",
    "namesake": "by the CSV's coordinates (a namesake of the gazetteer's city)",
    "replaced": f"by the gazetteer instead of the CSV's coordinates (more than {MAX_KM} km apart)",
    "off-map": "off the map (organisations, national governments)",
}
EXAMPLES = 3  # rejected rows shown per reason; --report lists them all


fold = lru_cache(maxsize=None)(_fold)  # a city's name recurs on hundreds of rows


class SpreadsheetError(Exception):
    """A CSV or a column mapping that cannot be read; the message names the fix."""


@dataclass(frozen=True)
class Defaults:
    """Values for what the CSV has no column (or an empty cell) for."""

    kind: str = "sister-city"
    level: str = "city"
    status: str | None = None
    as_of: str | None = None
    since: str | None = None
    source_title: str | None = None
    source_url: str | None = None
    home_country: str = "ID"  # catalogue.toml's: a row with no party there is left out; its party goes first


@dataclass(frozen=True)
class Rejected:
    row: int  # as a spreadsheet numbers it: the header is row 1
    reason: str  # a key of REASONS
    detail: str
    cells: tuple[str, str, str, str]  # name1, country1, name2, country2 as read


@dataclass(frozen=True)
class Refusal:
    """Why a party of a row cannot be placed: a key of REASONS and the detail."""

    reason: str
    detail: str


@dataclass
class Report:
    file: str
    out: str
    dry_run: bool
    rows: int = 0
    written: list[str] = field(default_factory=list)  # slugs, in row order
    rejected: list[Rejected] = field(default_factory=list)
    placed: Counter[str] = field(default_factory=Counter)  # parties of imported rows, by how they were placed

    def counts(self) -> Counter[str]:
        return Counter(r.reason for r in self.rejected)

    def lines(self) -> list[str]:
        done = "would be written (dry run: nothing was written)" if self.dry_run else "written"
        lines = [f"{self.file}: {self.rows:,} rows; {len(self.written):,} became entries, {done} to {self.out}."]
        if self.rejected:
            lines.append(f"{len(self.rejected):,} rows were not imported:")
            counts = self.counts()
            for reason in REASONS:
                if counts[reason]:
                    lines.append(f"  {counts[reason]:>6,}  {REASONS[reason]}")
                    lines += [f"            row {r.row}: {r.detail}" for r in self.rejected if r.reason == reason][
                        :EXAMPLES
                    ]
        if self.placed:
            lines.append("Parties of the imported rows placed:")
            lines += [f"  {self.placed[how]:>6,}  {text}" for how, text in PLACED_BY.items() if self.placed[how]]
        return lines

    def write_csv(self, path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["row", "reason", "detail", "name1", "country1", "name2", "country2"])
            for r in self.rejected:
                writer.writerow([r.row, REASONS[r.reason], r.detail, *r.cells])


def parse_mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    """--map FIELD=COLUMN options → {field: column}."""
    mapping = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        name = name.strip().replace("lng", "lon")
        if not sep or not column.strip():
            raise SpreadsheetError(f"--map {pair!r} must be FIELD=COLUMN, e.g. --map name1=city1")
        if name not in DEFAULT_COLUMNS:
            raise SpreadsheetError(
                f"--map {pair!r}: no field {name!r}{did_you_mean(name, list(DEFAULT_COLUMNS))}; "
                f"the fields are: {', '.join(DEFAULT_COLUMNS)}"
            )
        mapping[name] = column.strip()
    return mapping


def read_rows(file: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The CSV's header and its rows, each with its number as a spreadsheet shows it (the header
    is row 1); blank rows are skipped. UTF-8, with or without Excel's BOM; comma, semicolon or tab."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SpreadsheetError(f"{file}: no such file") from None
    except UnicodeDecodeError as err:
        line = err.object.count(b"\n", 0, err.start) + 1
        raise SpreadsheetError(f"{file}:{line}: not UTF-8 text; save the spreadsheet as 'CSV UTF-8'") from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    header = [h.strip() for h in next(reader, [])]
    if not any(header):
        raise SpreadsheetError(
            f"{file}: empty; the first line must name the columns, e.g. city1,country1,city2,country2"
        )
    rows = enumerate(reader, start=2)
    return header, [(number, dict(zip(header, row))) for number, row in rows if any(cell.strip() for cell in row)]


def resolve_columns(header: list[str], mapping: dict[str, str], defaults: Defaults) -> dict[str, str]:
    """Field → column for this CSV; raises SpreadsheetError naming the fix for what is missing."""
    columns = {name: column for name, column in DEFAULT_COLUMNS.items() if column in header}
    for name, column in mapping.items():
        if column not in header:
            raise SpreadsheetError(
                f"--map {name}={column}: the CSV has no column {column!r}{did_you_mean(column, header)}; its columns "
                f"are: {', '.join(header)}"
            )
        columns[name] = column
    for name in NEEDED:
        if name not in columns:
            raise SpreadsheetError(
                f"no column for {name}: pass --map {name}=COLUMN (the CSV's columns are: {', '.join(header)})"
            )
    needs = {"status": "--status", "as_of": "--as-of", "source_title": "--source-title"}
    for name, option in needs.items():
        if name not in columns and getattr(defaults, name) is None:
            raise SpreadsheetError(
                f"the CSV has no {name} column, and every entry needs one: pass {option} for all rows, or --map "
                f"{name}=COLUMN"
            )
    return columns


def km(a: Point, b: Point) -> float:
    """Great-circle distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _point(lat: str, lon: str) -> tuple[Point | None, str]:
    """CSV cells → ((lat, lon) or None, what is wrong with them or '')."""
    if not lat.strip() and not lon.strip():
        return None, ""
    try:
        point = (float(lat), float(lon))
    except ValueError:
        return None, f"coordinates {lat!r}, {lon!r} are not numbers"
    if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180) or any(math.isnan(v) for v in point):
        return None, f"coordinates ({lat}, {lon}) are outside -90..90, -180..180"
    return point, ""


class _Grid:
    """Points in 1-degree cells, to find what lies near a point."""

    def __init__(self, points: Iterable[tuple[float, float, str]]) -> None:  # (lat, lon, country)
        self.cells: dict[tuple[int, int], list[tuple[Point, str]]] = defaultdict(list)
        for lat, lon, country in points:
            self.cells[(math.floor(lat), math.floor(lon))].append(((lat, lon), country))
        # Cached per grid: an lru_cache on the method would keep every grid (the whole gazetteer's
        # points) alive for the life of the process, one per import run.
        self.countries_near = lru_cache(maxsize=None)(self._countries_near)

    def _countries_near(self, point: Point, limit: float) -> dict[str, float]:
        """Country → km to its nearest point within limit km of point."""
        rows = math.ceil(limit / KM_PER_DEGREE) + 1
        cos = math.cos(math.radians(min(90.0, abs(point[0]) + rows)))
        cols = 180 if cos * 180 * KM_PER_DEGREE < limit else min(180, math.ceil(limit / (KM_PER_DEGREE * cos)) + 1)
        i0, j0 = math.floor(point[0]), math.floor(point[1])
        near: dict[str, float] = {}
        for i in range(i0 - rows, i0 + rows + 1):
            for j in {(j0 + dj + 180) % 360 - 180 for dj in range(-cols, cols + 1)}:
                for other, country in self.cells.get((i, j), ()):
                    d = km(point, other)
                    if d <= limit and d < near.get(country, math.inf):
                        near[country] = d
        return near


class _Places:
    """The gazetteer with what the importer also needs: every namesake, the nearest city to a point."""

    def __init__(self, gazetteer: Gazetteer, overrides: Points) -> None:
        self.gazetteer = gazetteer
        self.overrides = overrides
        self.countries = set(gazetteer.countries())
        self.grid = _Grid(
            (lat, lon, country) for country in sorted(self.countries) for lat, lon in gazetteer.points(country)
        )

    def namesakes(self, country: str, name: str) -> list[Point]:
        """Every gazetteer city of that name (or ASCII alias) in that country."""
        return self.gazetteer.namesakes(country, name)

    def foreign(self, country: str, point: Point) -> str | None:
        """The country whose cities lie near the point, when none of country's do; else None."""
        near = self.grid.countries_near(point, COUNTRY_KM)
        if country in near or not near or country not in self.countries:
            return None  # near its own cities, or remote, or a country without gazetteer cities
        return min(near, key=lambda code: (near[code], code))


class Importer:
    """Rows → entries, one at a time, in file order (so slugs and the report are deterministic)."""

    def __init__(
        self,
        columns: dict[str, str],
        defaults: Defaults,
        out: Path,
        root: Path,
        *,
        file_name: str = "a spreadsheet",
        dry_run: bool,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.columns, self.defaults, self.out, self.root, self.dry_run = columns, defaults, out, root, dry_run
        self.file_name = file_name
        overrides, _ = load_overrides(root / "content" / "places.yaml", root)  # its problems are check's to report
        self.places = _Places(gazetteer or default_gazetteer(), overrides)
        self.existing = Existing.read(out, root, self.places.gazetteer)
        self.shown_out = relative(out, root)
        # (lat, lon) → {(code, folded name): name}
        self.by_point: dict[Point, dict[tuple[str, str], str]] = defaultdict(dict)

    def cell(self, row: Mapping[str, str], name: str) -> str:
        column = self.columns.get(name)
        return " ".join((row.get(column) or "").split()) if column else ""

    def run(self, rows: list[tuple[int, dict[str, str]]], report: Report) -> None:
        # Which places the file puts at each point: a point given to two places is wrong for one.
        for _, row in rows:
            for i in "12":
                code = countries.guess_code(self.cell(row, f"country{i}"))
                point, _ = _point(self.cell(row, f"lat{i}"), self.cell(row, f"lon{i}"))
                if code and point:
                    name = self.cell(row, f"name{i}")
                    self.by_point[point].setdefault((code, fold(name)), name)
        for number, row in rows:
            report.rows += 1
            result = self.row(number, row)
            if isinstance(result, Rejected):
                report.rejected.append(result)
            else:
                slug, placed = result
                report.written.append(slug)
                report.placed.update(placed)

    def level(self, row: Mapping[str, str], i: str) -> str:
        return self.cell(row, f"level{i}") or self.defaults.level

    def row(self, number: int, row: Mapping[str, str]) -> Rejected | tuple[str, list[str]]:
        """One row → (its slug, how each party was placed), or why it is not imported."""
        name1, country1, name2, country2 = (self.cell(row, f) for f in NEEDED)
        cells = (name1, country1, name2, country2)

        def reject(reason: str, detail: str) -> Rejected:
            return Rejected(number, reason, detail, cells)

        sides = []
        for i in "12":
            name, text = self.cell(row, f"name{i}"), self.cell(row, f"country{i}")
            if not name:
                return reject("place", f"no name in column {self.columns[f'name{i}']}")
            code = countries.guess_code(text)
            if code is None:
                return reject("country", f"{text!r} ({self.columns[f'country{i}']}) is not a country name or code")
            sides.append((i, name, code))
        first, second = (
            party_meta(name, self.level(row, i), code, region=self.cell(row, f"region{i}") or None)
            for i, name, code in sides
        )
        if same_place(first, second, self.places.gazetteer):
            return reject("same-place", f"{sides[0][1]} ({sides[0][2]}) is on both sides")
        home = self.defaults.home_country
        if home and all(code != home for _, _, code in sides):
            (_, n1, c1), (_, n2, c2) = sides
            return reject(
                "home",
                f"neither {n1} ({c1}) nor {n2} ({c2}) is in {home_name(home)}, the catalogue's home country "
                "(home_country in catalogue.toml)",
            )
        parties: list[PartyMeta] = []
        placed: list[str] = []
        for i, name, code in sides:
            level = self.level(row, i)
            where = self.place(row, i, name, code, level)
            if isinstance(where, Refusal):
                return reject(where.reason, where.detail)
            coordinates, how = where
            parties.append(
                party_meta(name, level, code, region=self.cell(row, f"region{i}") or None, coordinates=coordinates)
            )
            placed.append(how)
        parties, _ = home_first(parties, lambda p: p["country"], home)  # as the check orders every tie
        d = self.defaults
        kind = self.cell(row, "kind") or d.kind
        keys = pair_keys(kind, parties, self.places.gazetteer)
        entered = self.existing.entered_in(keys)
        if entered:
            return reject(
                "duplicate", f"{parties[0]['name']} – {parties[1]['name']} ({kind}) is already entered in {entered}"
            )
        source = source_meta(
            self.cell(row, "source_title") or d.source_title, url=self.cell(row, "source_url") or d.source_url
        )
        status = self.cell(row, "status") or d.status
        meta = entry_meta(
            parties,
            kind,
            status,
            self.cell(row, "as_of") or d.as_of,
            [source],
            since=self.cell(row, "since") or d.since,
        )
        slug = self.existing.unique_slug(pair_slug(*parties), kind)
        text = entry_text(
            meta,
            f"<!-- Imported by `catalogue import` from row {number} of {self.file_name}. Write what the source says "
            "about this tie. -->\n",
        )
        agreement = parse_entry(text, f"{self.shown_out}/{slug}.md", slug)
        if isinstance(agreement, list):
            return reject("invalid", "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in agreement))
        for party in agreement.parties:  # the check's own lookup, so what is written is what check accepts
            located = locate(party, self.places.overrides, self.places.gazetteer)
            if isinstance(located, str):
                return reject("place", located)
        if not self.dry_run:
            write_entry(self.out, slug, text)
        self.existing.slugs.add(slug)
        self.existing.add(keys, f"row {number}")
        return slug, placed

    def place(
        self, row: Mapping[str, str], i: str, name: str, code: str, level: str
    ) -> tuple[Point | None, str] | Refusal:
        """(coordinates to write or None, how the party is placed), or why it cannot be placed."""
        how = LEVEL_PLACING.get(level)
        if how is None or how == "none":
            return None, "off-map"  # an unknown level is the validator's to report
        point, wrong = _point(self.cell(row, f"lat{i}"), self.cell(row, f"lon{i}"))
        if (code, fold(name)) in self.places.overrides:
            return None, "places.yaml"
        found = self.places.gazetteer.find(code, name) if how == "gazetteer" else None
        if found:
            if point is None or km(point, found) <= MAX_KM:
                return None, "gazetteer"
            if any(km(point, other) <= MAX_KM for other in self.places.namesakes(code, name)):
                return point, "namesake"
            return None, "replaced"
        if point is None:
            if wrong:
                return Refusal("coordinates", f"{name} ({code}): {wrong}, and the gazetteer does not know it")
            return Refusal("place", f"{name} ({code}) is not in the gazetteer and the row gives no coordinates")
        shown = f"({point[0]}, {point[1]})"
        foreign = self.places.foreign(code, point)
        if foreign:
            return Refusal(
                "coordinates",
                f"{name} ({code}): {shown} is in or near {countries.name(foreign)}, more than {COUNTRY_KM} km from "
                f"any city of {countries.name(code)}",
            )
        for (other_code, other), other_name in sorted(self.by_point[point].items()):
            there = (
                self.places.gazetteer.find(other_code, other_name)
                if (other_code, other) != (code, fold(name))
                else None
            )
            if there and km(point, there) <= MAX_KM:
                return Refusal(
                    "coordinates",
                    f"{name} ({code}): {shown} is the point of {other_name} ({other_code}), which the gazetteer puts "
                    "there",
                )
        return point, "csv"


def import_csv(
    file: Path,
    out: Path,
    root: Path,
    mapping: dict[str, str],
    defaults: Defaults,
    *,
    dry_run: bool = False,
    gazetteer: Gazetteer | None = None,
) -> Report:
    """Import every row of a CSV into out; returns what became entries and why the rest did not."""
    header, rows = read_rows(file)
    columns = resolve_columns(header, mapping, defaults)
    importer = Importer(columns, defaults, out, root, file_name=file.name, dry_run=dry_run, gazetteer=gazetteer)
    report = Report(file=file.name, out=relative(out, Path.cwd()), dry_run=dry_run)
    importer.run(rows, report)
    return report
