"""What templates see: small records made for display, never the raw model (Zola's SerializingPage)."""

from __future__ import annotations

from dataclasses import dataclass

from . import countries, vocab
from .index import Catalogue
from .model import Entry, PartialDate, Place

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def date_text(date: PartialDate | None, unknown: str = "not stated") -> str:
    """'1985', 'November 2016', '25 September 2015': only as precise as it is known."""
    if date is None:
        return unknown
    if date.day:
        return f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    if date.month:
        return f"{MONTHS[date.month - 1]} {date.year}"
    return str(date.year)


def agreement_url(slug: str) -> str:
    return f"agreements/{slug}.html"


def place_url(key: str) -> str:
    return f"places/{key}.html"


def country_url(code: str) -> str:
    return f"countries/{code.lower()}.html"


def term_url(group: str, key: str) -> str:
    return f"{group}/{key}.html"


@dataclass(frozen=True)
class Link:
    text: str
    url: str  # relative to the site root


@dataclass(frozen=True)
class PartyView:
    name: str
    url: str
    level: str
    country: Link
    region: str | None
    body: str | None
    on_map: bool
    map_note: str  # how it was placed, or why it is not on the map


@dataclass(frozen=True)
class EntryView:
    """One agreement as lists and its own page show it."""

    slug: str
    title: str
    url: str
    path: str  # the source file, for "edit this page"
    status: str
    status_label: str
    as_of: str | None  # None: the source does not say when
    kind: Link
    since: str | None
    ended: str | None
    parties: tuple[PartyView, PartyView]
    sectors: tuple[Link, ...]
    documents: tuple[dict, ...]
    progress: tuple[dict, ...]
    sources: tuple[dict, ...]
    body_html: str


def party_view(place: Place, party) -> PartyView:
    if place.on_map:
        note = {
            "gazetteer": "On the map (location from GeoNames).",
            "places.yaml": "On the map, at the seat of its government.",
            "entry": "On the map, at the coordinates its entry gives.",
        }[place.located_by]
    else:
        note = f"Not on the map: {place.off_map_reason}."
    return PartyView(
        name=place.name, url=place_url(place.key), level=vocab.LEVELS[place.level].en,
        country=Link(countries.name(place.country), country_url(place.country)),
        region=party.region, body=party.body, on_map=place.on_map, map_note=note,
    )


def entry_view(entry: Entry) -> EntryView:
    a = entry.agreement
    return EntryView(
        slug=a.slug, title=a.display_title, url=entry.url, path=a.path,
        status=a.status, status_label=vocab.STATUSES[a.status].en,
        as_of=date_text(a.as_of) if a.as_of else None,
        kind=Link(vocab.KINDS[a.kind].en, term_url("kinds", a.kind)),
        since=date_text(a.since) if a.since else None, ended=date_text(a.ended) if a.ended else None,
        parties=tuple(party_view(place, party) for place, party in zip(entry.places, a.parties)),
        sectors=tuple(Link(vocab.SECTORS[s].en, term_url("sectors", s)) for s in a.sectors),
        documents=tuple(
            {"type": vocab.DOCUMENT_TYPES[d.type].en, "title": d.title, "signed": date_text(d.signed) if d.signed else None,
             "term_years": d.term_years, "renewal": d.renewal}
            for d in a.documents
        ),
        progress=tuple(
            {"sector": vocab.SECTORS[p.sector].en, "state": p.state, "state_label": vocab.PROGRESS[p.state].en, "note": p.note}
            for p in a.progress
        ),
        sources=tuple(source_view(s) for s in a.sources),
        body_html=entry.body_html,
    )


def source_view(s) -> dict:
    return {
        "title": s.title, "type": vocab.SOURCE_TYPES[s.type].en if s.type else None, "author": s.author,
        "publisher": s.publisher, "year": s.year, "url": s.url,
        "accessed": date_text(s.accessed) if s.accessed else None, "note": s.note,
    }


@dataclass(frozen=True)
class Group:
    """A heading in an index page: a place, country, sector, status or kind, and how many ties."""

    title: str
    url: str
    count: int
    note: str = ""


def status_counts(catalogue: Catalogue) -> list[tuple[str, str, int]]:
    return [(key, vocab.STATUSES[key].en, len(entries)) for key, entries in catalogue.statuses.items()]
