"""Catalogue → open data: JSON, CSV, GeoJSON, one JSON file per agreement, and the sitemap (feeds.py: the Atom feeds).

Every export is built from the same record (agreement_record), documented field by field in
docs/data.md. Output is deterministic: keys in a fixed order, lists sorted, no build time
(dates come from git history, read once by dates.py, or the entries themselves).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from collections.abc import Iterable
from functools import partial
from typing import Any, Callable, overload
from urllib.parse import quote
from xml.etree import ElementTree as ET

from . import urls
from .config import Config
from .dates import Dates
from .freshness import freshness
from . import i18n
from .index import Catalogue
from .licence import DATA_LICENCE, SCHEMA_VERSION
from .inputs import Inputs, pickled
from .model import Entry, Observation, Page, PartialDate, Party, Place, Source
from .write import Kept

SITEMAP_URLS = 50_000  # the sitemap protocol's limit per file
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"

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
    return None if when is None else when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def party_record(party: Party, place: Place) -> Record:
    return {
        "name": party.name,
        "level": party.level,
        "country": party.country,
        "region": party.region,
        "body": party.body,
        "place": place.key,
        "place_url": urls.place(place.key),
        "lat": place.lat,
        "lon": place.lon,
        "located_by": place.located_by or None,
        "off_map_reason": None if place.on_map else (place.off_map_reason or None),
    }


def source_record(source: Source) -> Record:
    return {
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


def observation_record(observation: Observation) -> Record:
    return {
        "date": date_text(observation.date),
        "kind": observation.kind,
        "source": observation.source,
        "note": observation.note,
        "sector": observation.sector,
    }


def agreement_record(entry: Entry, dates: Dates) -> Record:
    """One agreement as data; the same record in catalogue.json and agreements/<slug>.json."""
    a = entry.agreement
    known = dates.of(a.slug)
    return {
        "slug": a.slug,
        "url": entry.url,
        "json_url": urls.agreement_json(a.slug),
        "file": a.path,
        "title": a.display_title,
        "kind": a.kind,
        "status": a.status,
        "as_of": date_text(a.as_of),
        "since": date_text(a.since),
        "ended": date_text(a.ended),
        "sectors": list(a.sectors),
        "parties": [party_record(party, place) for party, place in zip(a.parties, entry.places)],
        "documents": [
            {
                "type": d.type,
                "title": d.title,
                "signed": date_text(d.signed),
                "term_years": d.term_years,
                "renewal": d.renewal,
                "renewed": date_text(d.renewed),
            }
            for d in a.documents
        ],
        "progress": {p.sector: {"state": p.state, "note": p.note} for p in a.progress},
        "sources": [source_record(s) for s in a.sources],
        "observations": [observation_record(o) for o in a.timeline],  # oldest first, as the page shows them
        "aliases": list(a.aliases),
        "published": time_text(known.published),
        "updated": time_text(known.updated),
        "body_language": a.language,
        "body": a.body,
    }


def licence_record(config: Config) -> Record:
    return {
        "name": DATA_LICENCE.name,
        "url": DATA_LICENCE.url,
        "attribution": DATA_LICENCE.attribution,
        "attribution_url": config.base_url or None,
    }


def header(catalogue: Catalogue, dates: Dates, config: Config) -> Record:
    """What every data file starts with: schema version, licence, provenance, counts."""
    c = catalogue
    return {
        "schema_version": SCHEMA_VERSION,
        "licence": licence_record(config),
        "generated_from": {
            "repository": config.repository or None,
            "revision": dates.revision,
            "date": time_text(dates.when),
        },
        "counts": {
            "agreements": len(c.entries),
            "places": len(c.places),
            "places_on_map": sum(1 for g in c.places.values() if g.place.on_map),
            "countries": len(c.countries),
            "statuses": {key: len(entries) for key, entries in c.statuses.items()},
        },
    }


def _json(data: object) -> bytes:
    # Compact: indent would switch json to its pure-Python encoder, ~10x slower over 26k files.
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")


def _json_lines(head: Record, key: str, items: list[Record]) -> bytes:
    """head with items under key, one item per line, so a diff shows which items changed."""
    top = json.dumps(head, ensure_ascii=False, indent=2, allow_nan=False)[:-2]  # without the closing "\n}"
    lines = ",\n".join(json.dumps(item, ensure_ascii=False, separators=(",", ":"), allow_nan=False) for item in items)
    opening = f"{top},\n" if head else "{\n"
    return f'{opening}  "{key}": [\n{lines}\n  ]\n}}\n'.encode("utf-8")


# -- JSON ---------------------------------------------------------------------------


def catalogue_json(head: Record, records: list[Record]) -> Page:
    return Page(urls.CATALOGUE_JSON, _json_lines(head, "agreements", records))


def agreement_json(record: Record, config: Config) -> list[Page]:
    """agreements/<slug>.json, and the same file under each old slug so old links keep working."""
    data = _json({"schema_version": SCHEMA_VERSION, "licence": licence_record(config), "agreement": record})
    return [Page(urls.agreement_json(slug), data) for slug in (record["slug"], *record["aliases"])]


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
    if source["year"] is None:
        return ""
    return f"c. {source['year']}" if source["year_estimated"] else str(source["year"])


def source_cells(sources: list[Record]) -> dict[str, str | None]:
    """The source_* columns; None (an empty cell) when no source has that field."""
    parts = {
        "source_titles": [s["title"] for s in sources],  # as printed, or the bracketed description
        "source_years": [year_text(s) for s in sources],
        **{f"source_{field}s": [s[field] or "" for s in sources] for field in ("url", "doi", "isbn", "archive")},
    }
    return {column: SOURCE_SEPARATOR.join(values) if any(values) else None for column, values in parts.items()}


def csv_row(record: Record) -> list[str]:
    row = {
        key: record[key]
        for key in ("slug", "url", "title", "kind", "status", "as_of", "since", "ended", "published", "updated")
    }
    row["sectors"] = ";".join(record["sectors"])
    for n, party in enumerate(record["parties"], 1):
        row.update({f"party{n}_{column}": party[column] for column in PARTY_COLUMNS})
    row["documents"] = ";".join(d["type"] for d in record["documents"])
    signed = sorted(d["signed"] for d in record["documents"] if d["signed"])
    row["first_signed"] = signed[0] if signed else None
    row["progress"] = ";".join(f"{sector}:{p['state']}" for sector, p in record["progress"].items())
    row["source_count"] = len(record["sources"])
    row["aliases"] = ";".join(record["aliases"])
    row.update(source_cells(record["sources"]))
    latest = record["observations"][-1] if record["observations"] else {}
    for field in ("date", "kind", "source", "note"):
        row[f"latest_observation_{field}"] = latest.get(field)
    return [csv_cell(row[column]) for column in CSV_COLUMNS]


def catalogue_csv(records: list[Record]) -> Page:
    """One row per agreement, RFC 4180 (CRLF, quotes doubled), UTF-8 without a byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(record) for record in records)
    return Page(urls.CATALOGUE_CSV, out.getvalue().encode("utf-8"))


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


def catalogue_geojson(
    catalogue: Catalogue, reference: PartialDate | None = None, stale_after_years: int = Config.stale_after_years
) -> Page:
    """RFC 7946: a Point per located place, a LineString per agreement with both parties located.

    reference is the build's "now" for the stale flag (as on the pages); without one nothing is stale.
    """
    features = [
        {
            "type": "Feature",
            "id": key,
            "geometry": {"type": "Point", "coordinates": _position(group.place)},
            "properties": {
                "key": key,
                "name": group.place.name,
                "country": group.place.country,
                "level": group.place.level,
                "url": urls.place(key),
                "agreements": [e.agreement.slug for e in group.entries],
            },
        }
        for key, group in catalogue.places.items()
        if group.place.on_map
    ]
    for entry in catalogue.entries:
        a, (first, second) = entry.agreement, entry.places
        if first.on_map and second.on_map:
            features.append(
                {
                    "type": "Feature",
                    "id": a.slug,
                    "geometry": {"type": "LineString", "coordinates": [_position(first), _position(second)]},
                    "properties": {
                        "slug": a.slug,
                        "title": a.display_title,
                        "status": a.status,
                        "kind": a.kind,
                        "url": entry.url,
                        "places": [first.key, second.key],
                        **evidence_properties(entry, reference, stale_after_years),
                    },
                }
            )
    return Page(urls.CATALOGUE_GEOJSON, _json_lines({"type": "FeatureCollection"}, "features", features))


# -- all of them -----------------------------------------------------------------------


def export_pages(catalogue: Catalogue, dates: Dates, config: Config, inputs: Inputs | None = None) -> list[Page | Kept]:
    """Every data file: catalogue.json, .csv, .geojson and agreements/<slug>.json (feeds.py makes the feeds).

    With inputs (a rebuild), a file whose inputs are unchanged is Kept, not made: an agreement's file
    reads its entry; the catalogue's files read every entry and the dates of the build."""
    reference = dates.reference  # "now" for the stale flag: the build's one reference date, as the pages judge it
    records: dict[str, Record] = {}

    def record(entry: Entry) -> Record:
        slug = entry.agreement.slug
        if slug not in records:
            records[slug] = agreement_record(entry, dates)
        return records[slug]

    def every() -> list[Record]:
        return [record(entry) for entry in catalogue.entries]

    if inputs is None:
        pages: list[Page | Kept] = [
            catalogue_json(header(catalogue, dates, config), every()),
            catalogue_csv(every()),
            catalogue_geojson(catalogue, reference, config.stale_after_years),
        ]
        for entry in catalogue.entries:
            pages += agreement_json(record(entry), config)
        return pages
    whole = [inputs.of("entries"), pickled((dates.revision, dates.when, reference))]
    pages = [
        inputs.output(
            urls.CATALOGUE_JSON, whole, lambda: catalogue_json(header(catalogue, dates, config), every()).content
        ),
        inputs.output(urls.CATALOGUE_CSV, whole, lambda: catalogue_csv(every()).content),
        inputs.output(
            urls.CATALOGUE_GEOJSON,
            whole,
            lambda: catalogue_geojson(catalogue, reference, config.stale_after_years).content,
        ),
    ]
    for entry in catalogue.entries:
        a = entry.agreement
        paths = [urls.agreement_json(slug) for slug in (a.slug, *a.aliases)]
        pages += inputs.outputs(paths, [inputs.of(f"entry:{a.slug}")], partial(_agreement_files, record, entry, config))
    return pages


def _agreement_files(record: Callable[[Entry], Record], entry: Entry, config: Config) -> list[Page]:
    return agreement_json(record(entry), config)


# -- sitemap ---------------------------------------------------------------------------


def absolute_url(base_url: str, path: str) -> str:
    """A site path made absolute under base_url ('https://example.org/c' + 'agreements/x.html')."""
    return base_url.rstrip("/") + "/" + quote(path)


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text with the characters XML 1.0 cannot carry (C0 controls, lone surrogates, U+FFFE/FFFF) dropped."""
    return _NOT_XML.sub("", text)


def xml_bytes(root: ET.Element) -> bytes:
    """An element as a UTF-8 XML document, one element a line, not indented.

    Indenting was some 6% of a place feed's bytes, spaces that readers and crawlers ignore."""
    ET.indent(root, space="")
    # Serialised as str, then encoded once: ElementTree encoding as it writes costs ~3x more.
    return f'<?xml version="1.0" encoding="utf-8"?>\n{ET.tostring(root, encoding="unicode")}\n'.encode("utf-8")


def page_dates(
    catalogue: Catalogue, dates: Dates, languages: tuple[i18n.Language, ...] | None = None
) -> dict[str, datetime]:
    """Agreement page paths in every language → their last commit, for the sitemap's lastmod."""
    found = {}
    for entry in catalogue.entries:
        updated = dates.of(entry.agreement.slug).updated
        if updated:
            found.update({urls.in_language(entry.url, lang): updated for lang in languages or i18n.table()})
    return found


def sitemap(
    paths: Iterable[str],
    base_url: str,
    lastmod: dict[str, datetime] | None = None,
    languages: tuple[i18n.Language, ...] | None = None,
    inputs: Inputs | None = None,
) -> list[Page | Kept]:
    """sitemap.xml for the given HTML page paths, with hreflang alternates between a page's versions
    in every language (X at the root for the first language, <code>/X for each other).

    Sitemaps need absolute URLs: without base_url there is none (an empty list). Pass only pages
    a search engine should index (not redirects). Over 50,000 URLs, sitemap.xml is an index of
    sitemap-1.xml, sitemap-2.xml, ...  With inputs (a rebuild), Kept when its paths and dates are unchanged.
    """
    if not base_url:
        return []
    paths = sorted({p for p in paths if p.endswith(".html")})
    lastmod = lastmod or {}
    languages = languages or i18n.table()
    if inputs is None:
        made: list[Page | Kept] = list(_sitemap_files(paths, base_url, lastmod, languages))
        return made
    parts = len(range(0, len(paths), SITEMAP_URLS))
    files = [urls.SITEMAP, *(urls.sitemap_part(n) for n in range(1, parts + 1))] if parts > 1 else [urls.SITEMAP]
    dated = sorted((path, time_text(when)) for path, when in lastmod.items())
    reads = [pickled((paths, dated, tuple(str(lang) for lang in languages)))]
    return inputs.outputs(files, reads, lambda: _sitemap_files(paths, base_url, lastmod, languages))


def _sitemap_files(
    paths: list[str], base_url: str, lastmod: dict[str, datetime], languages: tuple[i18n.Language, ...]
) -> list[Page]:
    present = set(paths)
    chunks = [paths[i : i + SITEMAP_URLS] for i in range(0, len(paths), SITEMAP_URLS)] or [[]]
    files = [_urlset(chunk, present, base_url, lastmod, languages) for chunk in chunks]
    if len(files) == 1:
        return [Page(urls.SITEMAP, files[0])]
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
    for n in range(1, len(files) + 1):
        ET.SubElement(ET.SubElement(index, "sitemap"), "loc").text = absolute_url(base_url, urls.sitemap_part(n))
    return [
        Page(urls.SITEMAP, xml_bytes(index)),
        *(Page(urls.sitemap_part(n), data) for n, data in enumerate(files, 1)),
    ]


def _urlset(
    paths: list[str],
    present: set[str],
    base_url: str,
    lastmod: dict[str, datetime],
    languages: tuple[i18n.Language, ...],
) -> bytes:
    # Literal prefixed names rather than ET.register_namespace, which changes a process-wide table.
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:xhtml": XHTML_NS})
    for path in paths:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute_url(base_url, path)
        if path in lastmod:
            ET.SubElement(url, "lastmod").text = time_text(lastmod[path])
        own = urls.without_language(path, languages)
        versions = {str(lang): urls.in_language(own, lang) for lang in languages}
        if all(p in present for p in versions.values()):
            for lang, other in (*versions.items(), ("x-default", urls.in_language(own, languages[0]))):
                ET.SubElement(
                    url, "xhtml:link", {"rel": "alternate", "hreflang": lang, "href": absolute_url(base_url, other)}
                )
    return xml_bytes(urlset)
