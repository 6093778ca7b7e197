"""Catalogue → open data: JSON, CSV, GeoJSON and one JSON file per agreement (feeds.py: the Atom feeds; sitemap.py).

Every export is built from the same record (agreement_record), documented field by field in
docs/data.md. Output is deterministic: keys in a fixed order, lists sorted, no build time
(dates come from git history, read once by dates.py, or the entries themselves).
"""

from __future__ import annotations

import csv
import io
import json
from json.encoder import encode_basestring
from datetime import datetime, timezone
from functools import partial
from typing import Any, overload
from urllib.parse import quote

from . import urls
from .config import Config
from .dates import Dates
from .freshness import freshness
from .index import Catalogue, PlaceEntries
from .licence import DATA_LICENCE, SCHEMA_VERSION
from .earlier import NO_EARLIER, Earlier
from .inputs import Inputs, pickled
from .model import Entry, Observation, Page, PartialDate, Party, Place, Source
from .write import Kept


# A record of the data exports: a JSON object (its values any JSON).
Record = dict[str, Any]


# -- the record -----------------------------------------------------------------


def date_text(date: PartialDate | None) -> str | None:
    """1985, 2016-11 or 2015-09-25, as precise as it is known; None when unknown."""
    return None if date is None else str(date)


@overload
def time_text(when: datetime) -> str: ...
@overload
def time_text(when: None) -> None: ...
def time_text(when: datetime | None) -> str | None:
    """An RFC 3339 time in UTC: 2026-11-22T20:33:09Z."""
    if when is None:
        return None
    found = _TIMES.get(when)  # entries share commits: two times a record, 50,000 at 25k pairs, few distinct
    if found is None:
        found = _TIMES[when] = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return found


# Time → text, as time_text wrote it. Keyed by the aware datetime, which compares (and hashes) by the instant:
# two zones of the same instant give the same UTC text, so sharing one is right.
_TIMES: dict[datetime, str] = {}


def known(record: Record) -> Record:
    """record without its members whose value is None: a field left out is unknown (docs/data.md, schema 3)."""
    return {key: value for key, value in record.items() if value is not None}


def party_record(party: Party, place: Place) -> Record:
    return known(
        {
            "name": party.name,
            "level": party.level,
            "country": party.country,
            "region": party.region,
            "body": party.body,
            "place": place.key,  # its page is places/<place>.html
            "lat": place.lat,
            "lon": place.lon,
            "located_by": place.located_by or None,
            "off_map_reason": None if place.on_map else (place.off_map_reason or None),
        }
    )


def source_record(source: Source) -> Record:
    return known(
        {
            "title": source.title,
            "type": source.type,
            "author": source.author,
            "publisher": source.publisher,
            "year": source.year,
            "url": source.url,
            "accessed": date_text(source.accessed),
            "note": source.note,
            "key": source.key,
            "title_supplied": source.title_supplied,
            "year_estimated": source.year_estimated,
            "doi": source.doi,
            "isbn": source.isbn,
            "archive": source.archive,
        }
    )


def observation_record(observation: Observation) -> Record:
    return known(
        {
            "date": date_text(observation.date),
            "kind": observation.kind,
            "source": observation.source,
            "note": observation.note,
            "sector": observation.sector,
        }
    )


def agreement_record(entry: Entry, dates: Dates) -> Record:
    """One agreement as data; the same record in catalogue.json and agreements/<slug>.json.

    Nothing that another field gives is repeated: its page, JSON file and source file are named by its slug
    (agreements/<slug>.html, .json, content/agreements/<slug>.md), a party's page by its place key."""
    a = entry.agreement
    when = dates.of(a.slug)
    return known(
        {
            "slug": a.slug,
            "title": a.display_title,
            "kind": a.kind,
            "status": a.status,
            "as_of": date_text(a.as_of),
            "since": date_text(a.since),
            "ended": date_text(a.ended),
            "sectors": list(a.sectors),
            "parties": [party_record(party, place) for party, place in zip(a.parties, entry.places)],
            "documents": [
                known(
                    {
                        "type": d.type,
                        "title": d.title,
                        "signed": date_text(d.signed),
                        "term_years": d.term_years,
                        "renewal": d.renewal,
                        "renewed": date_text(d.renewed),
                    }
                )
                for d in a.documents
            ],
            "progress": {p.sector: known({"state": p.state, "note": p.note}) for p in a.progress},
            "sources": [source_record(s) for s in a.sources],
            "observations": [observation_record(o) for o in a.timeline],  # oldest first, as the page shows them
            "aliases": list(a.aliases),
            "published": time_text(when.published),
            "updated": time_text(when.updated),
            "body_language": a.language,
            "body": a.body,
        }
    )


def licence_record(config: Config) -> Record:
    return known(
        {
            "name": DATA_LICENCE.name,
            "url": DATA_LICENCE.url,
            "attribution": DATA_LICENCE.attribution,
            "attribution_url": config.base_url or None,
        }
    )


def header(catalogue: Catalogue, dates: Dates, config: Config) -> Record:
    """What every data file starts with: schema version, licence, provenance, counts."""
    c = catalogue
    return {
        "schema_version": SCHEMA_VERSION,
        "licence": licence_record(config),
        "generated_from": known(
            {
                "repository": config.repository or None,
                "revision": dates.revision,
                "date": time_text(dates.when),
            }
        ),
        "counts": {
            "agreements": len(c.entries),
            "places": len(c.places),
            "places_on_map": sum(1 for g in c.places.values() if g.place.on_map),
            "countries": len(c.countries),
            "statuses": {key: len(entries) for key, entries in c.statuses.items()},
        },
    }


# Compact JSON, made by one encoder: json.dumps with these options makes an encoder per call, some 75,000 at 25k
# pairs. (Indenting would switch json to its pure-Python encoder, ~10x slower.)
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _json(data: object) -> bytes:
    return (_ENCODE(data) + "\n").encode("utf-8")


def _item_line(item: object) -> bytes:
    """One item of a list file: compact JSON on one line (json escapes every line break inside a string)."""
    return _ENCODE(item).encode("utf-8")


def _joined(head: Record, key: str, lines: list[bytes]) -> bytes:
    """head with items under key, one item (_item_line) per line, so a diff shows which items changed:
    compact JSON, its only line breaks those after the head and between items (earlier.items reads it back)."""
    top = _json(head)[: -len(b"}\n")]  # without the closing brace
    opening = top + (b"," if head else b"") + f'"{key}":['.encode("utf-8")
    if not lines:
        return opening + b"]}\n"
    return opening + b"\n" + b",\n".join(lines) + b"\n]}\n"


# -- JSON ---------------------------------------------------------------------------


def agreement_head(config: Config) -> bytes:
    """What an agreement's JSON file holds before its record: {"schema_version":…,"licence":{…},"agreement":"""
    head = _json({"schema_version": SCHEMA_VERSION, "licence": licence_record(config)})
    return head[: -len(b"}\n")] + b',"agreement":'


# -- CSV ------------------------------------------------------------------------------

PARTY_COLUMNS = ("name", "level", "country", "region", "body", "place", "lat", "lon", "off_map_reason")
CSV_COLUMNS = (
    "slug",
    "url",
    "title",
    "kind",
    "status",
    "as_of",
    "since",
    "ended",
    "sectors",
    *(f"party{n}_{column}" for n in (1, 2) for column in PARTY_COLUMNS),
    "documents",
    "first_signed",
    "progress",
    "source_count",
    "aliases",
    "published",
    "updated",
    # Added in schema 2, at the end so readers by position keep working.
    "source_titles",
    "source_years",
    "source_urls",
    "source_dois",
    "source_isbns",
    "source_archives",
    "latest_observation_date",
    "latest_observation_kind",
    "latest_observation_source",
    "latest_observation_note",
)
# One part per source, in the entry's order, in every source_* column (empty where a source has
# none), so the n-th parts of two columns describe the same source. "|" rather than ";": titles
# often hold semicolons, rarely a bar.
SOURCE_SEPARATOR = " | "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str | float | None) -> str:
    """A cell as text; text a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def year_text(source: Record) -> str:
    """'2018', 'c. 2017' for an estimated year (as Source.year_text, from the record), '' when unknown."""
    if "year" not in source:
        return ""
    return f"c. {source['year']}" if source["year_estimated"] else str(source["year"])


def source_cells(sources: list[Record]) -> list[str | None]:
    """The source_* columns, in order; None (an empty cell) when no source has that field."""
    parts = [
        [s["title"] for s in sources],  # as printed, or the bracketed description
        [year_text(s) for s in sources],
        *([s.get(field, "") for s in sources] for field in ("url", "doi", "isbn", "archive")),
    ]
    return [SOURCE_SEPARATOR.join(values) if any(values) else None for values in parts]


_FORMULA_FIRST = frozenset(FORMULA_STARTS)  # each one character


def csv_row(record: Record) -> list[str]:
    """The record's cells in the order of CSV_COLUMNS; a field left out of the record is an empty cell."""
    get, documents = record.get, record["documents"]
    signed = sorted(d["signed"] for d in documents if "signed" in d)
    latest = record["observations"][-1] if record["observations"] else {}
    first, second = ([party.get(column) for column in PARTY_COLUMNS] for party in record["parties"])
    values = [
        record["slug"],
        urls.agreement(record["slug"]),  # a column for spreadsheets, where no rule makes it
        *(get(key) for key in ("title", "kind", "status", "as_of", "since", "ended")),
        ";".join(record["sectors"]),
        *first,
        *second,
        ";".join(d["type"] for d in documents),
        signed[0] if signed else None,
        ";".join(f"{sector}:{p['state']}" for sector, p in record["progress"].items()),
        len(record["sources"]),
        ";".join(record["aliases"]),
        get("published"),
        get("updated"),
        *source_cells(record["sources"]),
        *(latest.get(field) for field in ("date", "kind", "source", "note")),
    ]
    # Plain text as it is, without a call per cell (some 1.2 million at 25k pairs); the rest through csv_cell.
    return [
        v if v.__class__ is str and v[:1] not in _FORMULA_FIRST else "" if v is None else csv_cell(v) for v in values
    ]


# -- GeoJSON ----------------------------------------------------------------------------


def _position(place: Place) -> list[float]:
    if place.lat is None or place.lon is None:
        raise ValueError(f"{place.key} is off the map: only placed parties have a position")
    return [round(place.lon, 6), round(place.lat, 6)]  # RFC 7946: longitude first


def evidence_properties(entry: Entry, reference: PartialDate | None, stale_after_years: int) -> Record:
    """How old a tie's evidence is, as the lists show it: the newest observation, its year, and whether it is stale."""
    a = entry.agreement
    latest = a.latest
    return {
        "as_of": date_text(a.as_of),
        "evidence_year": a.as_of.year if a.as_of else None,
        "latest_observation_date": date_text(latest.date) if latest else None,
        "latest_observation_kind": latest.kind if latest else None,
        "stale": freshness(entry, reference, stale_after_years).stale,
    }


def place_feature(key: str, group: PlaceEntries) -> Record:
    """A located place's Point (its key the feature's id), with the slugs of its agreements (the last property)."""
    return {
        "type": "Feature",
        "id": key,
        "geometry": {"type": "Point", "coordinates": _position(group.place)},
        "properties": known(
            {  # its key is the id; its page places/<id>.html
                "name": group.place.name,
                "country": group.place.country,
                "level": group.place.level,
                "agreements": [e.agreement.slug for e in group.entries],
            }
        ),
    }


def tie_feature(entry: Entry, reference: PartialDate | None, stale_after_years: int) -> Record | None:
    """A LineString between an agreement's two places (its slug the feature's id); None unless both are located."""
    a, (first, second) = entry.agreement, entry.places
    if not (first.on_map and second.on_map):
        return None
    return {
        "type": "Feature",
        "id": a.slug,
        "geometry": {"type": "LineString", "coordinates": [_position(first), _position(second)]},
        "properties": known(
            {  # its slug is the id; its page agreements/<id>.html
                "title": a.display_title,
                "status": a.status,
                "kind": a.kind,
                "places": [first.key, second.key],
                **evidence_properties(entry, reference, stale_after_years),
            }
        ),
    }


# -- all of them -----------------------------------------------------------------------


def export_pages(catalogue: Catalogue, dates: Dates, config: Config, inputs: Inputs | None = None) -> list[Page | Kept]:
    """Every data file: catalogue.json, .csv, .geojson and agreements/<slug>.json (feeds.py makes the feeds).

    With inputs (a rebuild), a file whose inputs are unchanged is Kept, not made: an agreement's file
    reads its entry; the catalogue's files read every entry and the dates of the build. When one of
    those is made again, the lines of the agreements whose own file was kept (the same entry as the
    last site's) are taken from the last site's file (earlier.py), the others made."""
    files = DataFiles(catalogue, dates, config)
    if inputs is None:
        pages: list[Page | Kept] = [
            Page(urls.CATALOGUE_JSON, files.catalogue_json()),
            Page(urls.CATALOGUE_CSV, files.catalogue_csv()),
            Page(urls.CATALOGUE_GEOJSON, files.catalogue_geojson()),
        ]
        for entry in catalogue.entries:
            pages += files.agreement_files(entry)
        return pages
    agreements: list[Page | Kept] = []
    same = set()
    for entry in catalogue.entries:
        a = entry.agreement
        paths = [urls.agreement_json(slug) for slug in (a.slug, *a.aliases)]
        made = inputs.outputs(paths, [inputs.of(f"entry:{a.slug}")], partial(files.agreement_files, entry))
        if isinstance(made[0], Kept):  # made from this entry's digest: the last site's lines of it are this build's
            same.add(a.slug)
        agreements += made
    earlier = Earlier(inputs.previous, frozenset(same))
    whole = [inputs.of("entries"), pickled((dates.revision, dates.when, dates.reference))]
    return [
        inputs.output(urls.CATALOGUE_JSON, whole, partial(files.catalogue_json, earlier)),
        inputs.output(urls.CATALOGUE_CSV, whole, partial(files.catalogue_csv, earlier)),
        inputs.output(urls.CATALOGUE_GEOJSON, whole, partial(files.catalogue_geojson, earlier)),
        *agreements,
    ]


class DataFiles:
    """The catalogue's data files, each agreement's record made and written as a line of JSON at most once;
    with earlier, the lines of agreements whose entry is the same are taken from the last site's files."""

    def __init__(self, catalogue: Catalogue, dates: Dates, config: Config) -> None:
        self.catalogue, self.dates, self.config = catalogue, dates, config
        self._records: dict[str, Record] = {}
        self._lines: dict[str, bytes] = {}
        self._head = agreement_head(config)

    def record(self, entry: Entry) -> Record:
        slug = entry.agreement.slug
        found = self._records.get(slug)
        if found is None:
            found = self._records[slug] = agreement_record(entry, self.dates)
        return found

    def line(self, entry: Entry) -> bytes:
        slug = entry.agreement.slug
        found = self._lines.get(slug)
        if found is None:
            found = self._lines[slug] = _item_line(self.record(entry))
        return found

    def agreement_files(self, entry: Entry) -> list[Page]:
        """agreements/<slug>.json, and the same file under each old slug so old links keep working: the head
        (made once), then the record as catalogue.json holds it (the bytes _json makes of the whole)."""
        data = self._head + self.line(entry) + b"}\n"
        return [Page(urls.agreement_json(slug), data) for slug in (entry.agreement.slug, *entry.agreement.aliases)]

    def catalogue_json(self, earlier: Earlier = NO_EARLIER) -> bytes:
        old = earlier.lines(urls.CATALOGUE_JSON, "agreements", b',"title":')
        lines = []
        for e in self.catalogue.entries:
            line = old.get(_json_key(b'{"slug":', e.agreement.slug)) if earlier.same_entry(e) else None
            lines.append(self.line(e) if line is None else line)
        return _joined(header(self.catalogue, self.dates, self.config), "agreements", lines)

    def catalogue_csv(self, earlier: Earlier = NO_EARLIER) -> bytes:
        """One row per agreement, RFC 4180 (CRLF, quotes doubled), UTF-8 without a byte-order mark."""
        old = earlier.csv_rows(urls.CATALOGUE_CSV, CSV_COLUMNS)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for e in self.catalogue.entries:
            row = old.get(csv_cell(e.agreement.slug)) if earlier.same_entry(e) else None
            if row is None:
                writer.writerow(csv_row(self.record(e)))
            else:
                out.write(row)  # as the last build's writer wrote it
        return out.getvalue().encode("utf-8")

    def catalogue_geojson(self, earlier: Earlier = NO_EARLIER) -> bytes:
        """RFC 7946: a Point per located place, a LineString per agreement with both parties located; its stale
        flag judged against the build's reference date (as on the pages), without one nothing is stale."""
        reference, stale_after_years = self.dates.reference, self.config.stale_after_years
        # Points by place key, lines by slug (a key holds a "/", a slug never does).
        old = earlier.lines(urls.CATALOGUE_GEOJSON, "features", b',"geometry":{"type":')
        lines = []
        for key, group in self.catalogue.places.items():
            if not group.place.on_map:
                continue
            # A place's Point reads its place, which each of its entries' digests holds, and its agreements' slugs.
            line = old.get(_json_key(b'{"type":"Feature","id":', key)) if earlier.same_entries(group.entries) else None
            agreements = b',"agreements":' + _item_line([e.agreement.slug for e in group.entries]) + b"}}"
            lines.append(
                line if line is not None and line.endswith(agreements) else _item_line(place_feature(key, group))
            )
        for e in self.catalogue.entries:
            line = old.get(_json_key(b'{"type":"Feature","id":', e.agreement.slug)) if earlier.same_entry(e) else None
            if line is not None:
                lines.append(line)
            elif (tie := tie_feature(e, reference, stale_after_years)) is not None:
                lines.append(_item_line(tie))
        return _joined({"type": "FeatureCollection"}, "features", lines)


def _json_key(start: bytes, slug: str) -> bytes:
    """How an item line about slug begins (see Earlier.lines)."""
    return start + encode_basestring(slug).encode("utf-8")  # the string as _ENCODE writes it


def absolute_url(base_url: str, path: str) -> str:
    """A site path made absolute under base_url ('https://example.org/c' + 'agreements/x.html')."""
    return base_url.rstrip("/") + "/" + quote(path)
