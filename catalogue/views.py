"""What templates see: small records made for display in one language, never the raw model
(Zola's SerializingPage). URLs here are language paths (catalogue/urls.py), relative to the language root."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypedDict

from . import i18n, urls, vocab
from .freshness import STALE_AFTER_YEARS, freshness
from .index import Catalogue
from .model import Entry, Observation, PartialDate, Party, Place, Source, Text


@dataclass(frozen=True)
class Shown:
    """A free text (a note, a renewal, a document's title) as a page in one language shows it:
    in the page's language when the entry gives it, else as written, marked (macros.local)."""

    text: str
    lang: str  # the language the text is in
    translated: bool  # False: the page's language has no version of it; the page says so

    def __str__(self) -> str:
        return self.text


def shown(value: str | None, lang: str) -> Shown | None:
    """A text field in the page's language if the entry has it, else in the language it was written in."""
    if value is None:
        return None
    if isinstance(value, Text):
        code, text = value.in_(lang)
        return Shown(text, code, code == lang)
    return Shown(value, lang, True)  # text made by the build itself, in the page's language


@dataclass(frozen=True)
class Link:
    text: str
    url: str  # relative to the language root


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
    also_known_as: tuple[str, ...] = ()
    other_spellings: tuple[str, ...] = ()  # searched, not shown: the gazetteer's spellings


class DocumentView(TypedDict):
    type: str
    title: Shown | None
    signed: str | None
    term_years: int | None
    renewal: Shown | None


class ProgressView(TypedDict):
    sector: str
    state: str
    state_label: str
    note: Shown | None


class SourceView(TypedDict):
    title: str
    type: str | None
    author: str | None
    publisher: str | None
    year: str | None
    url: str | None
    accessed: str | None
    note: Shown | None
    title_supplied: bool  # an untitled work is named by its bracketed description, never quoted as a title
    key: str | None
    doi: str | None
    isbn: str | None
    archive: str | None


class ObservationView(TypedDict):
    """One line of the timeline (see observation_view)."""

    date: str | None
    kind: str
    kind_label: str
    status: str
    source: str
    source_number: int | None  # its source's number in the list
    note: Shown | None
    sector: str | None


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
    kind_key: str
    kind: Link
    since: str | None
    ended: str | None
    parties: tuple[PartyView, PartyView]
    sector_keys: tuple[str, ...]
    sectors: tuple[Link, ...]
    countries: tuple[str, ...]  # both parties' country codes, for filters
    documents: tuple[DocumentView, ...]
    progress: tuple[ProgressView, ...]
    sources: tuple[SourceView, ...]
    body_html: str
    body_lang: str  # the language the body shown is in
    translated: bool  # False when the page's language has no version of the body
    timeline: tuple[ObservationView, ...] = ()  # the dated record, oldest first (see observation_view)
    last_activity: str | None = None  # date of the newest observation reporting activity; None: none documented
    has_record: bool = False  # whether the entry has observations (old entries have only status and as_of)
    evidence_year: int | None = None  # the as_of year: how recent the evidence for the status is
    stale: bool = False  # the status was last confirmed more than stale_after_years before the reference date
    badge_text: str = ""  # what the status badge says: 'Active · 2019', 'Active · last confirmed 2015'


@dataclass(frozen=True)
class ListRow:
    """One agreement as a row of a list shows it (rows.Rows, paging.list_data, the filters): made without
    what only its own page shows (parties, documents, sources, timeline), as lists hold thousands."""

    slug: str
    title: str
    url: str
    status: str
    kind_key: str
    kind: str  # the kind's label
    since: str | None
    as_of: str | None
    sector_keys: tuple[str, ...]
    sectors: tuple[str, ...]  # their labels
    countries: tuple[str, ...]  # both parties' country codes, once each, for filters
    country_names: tuple[str, str]  # the two parties' countries, in the page's language
    stale: bool
    badge_text: str


def badge_text(status_label: str, evidence_year: int | None, stale: bool, lang: str) -> str:
    """A status badge's words: the status with its evidence year, and, when stale, that it is old, in words."""
    _ = i18n.gettext_for(lang)
    if evidence_year is None:
        when = _("no date")
    elif stale:
        when = _("last confirmed %(year)s") % {"year": evidence_year}
    else:
        when = str(evidence_year)
    return f"{status_label} · {when}"


def off_map_reason(place: Place, lang: str) -> str:
    return i18n.not_a_place(place.level, lang)


def party_view(place: Place, party: Party, lang: str) -> PartyView:
    _ = i18n.gettext_for(lang)
    if place.on_map:
        note = {
            "gazetteer": _("On the map (location from GeoNames)."),
            "places.yaml": _("On the map, at the seat of its government."),
            "entry": _("On the map, at the coordinates its entry gives."),
        }[place.located_by]
    else:
        note = _("Not on the map: %(reason)s.") % {"reason": off_map_reason(place, lang)}
    return PartyView(
        name=place.name,
        url=urls.place(place.key),
        level=i18n.label(vocab.LEVELS[place.level], lang),
        country=Link(i18n.country(place.country, lang), urls.country(place.country)),
        region=party.region,
        body=party.body,
        on_map=place.on_map,
        map_note=note,
        also_known_as=place.also_known_as,
        other_spellings=place.other_spellings,
    )


def source_view(s: Source, lang: str) -> SourceView:
    return {
        "title": s.title,
        "type": i18n.label(vocab.SOURCE_TYPES[s.type], lang) if s.type else None,
        "author": s.author,
        "publisher": s.publisher,
        "year": s.year_text,
        "url": s.url,
        "accessed": i18n.date_text(s.accessed, lang),
        "note": shown(s.note, lang),
        # An untitled work is named by its bracketed description, never quoted as if it were a title.
        "title_supplied": s.title_supplied,
        "key": s.key,
        "doi": s.doi,
        "isbn": s.isbn,
        "archive": s.archive,
    }


def entry_view(
    entry: Entry, lang: str, reference: PartialDate | None = None, stale_after_years: int = STALE_AFTER_YEARS
) -> EntryView:
    """reference: the build's "now" for staleness (never the clock); without one nothing is stale."""
    a = entry.agreement
    body_lang, body_html = entry.body_in(lang)
    status_label = i18n.label(vocab.STATUSES[a.status], lang)
    evidence_year = a.as_of.year if a.as_of else None
    stale = freshness(entry, reference, stale_after_years).stale
    return EntryView(
        slug=a.slug,
        title=a.display_title,
        url=entry.url,
        path=a.path,
        status=a.status,
        status_label=status_label,
        as_of=i18n.date_text(a.as_of, lang),
        kind_key=a.kind,
        kind=Link(i18n.label(vocab.KINDS[a.kind], lang), urls.term("kinds", a.kind)),
        since=i18n.date_text(a.since, lang),
        ended=i18n.date_text(a.ended, lang),
        parties=(party_view(entry.places[0], a.parties[0], lang), party_view(entry.places[1], a.parties[1], lang)),
        sector_keys=a.sectors,
        sectors=tuple(Link(i18n.label(vocab.SECTORS[s], lang), urls.term("sectors", s)) for s in a.sectors),
        countries=tuple(dict.fromkeys(p.country for p in a.parties)),
        documents=tuple(
            DocumentView(
                type=i18n.label(vocab.DOCUMENT_TYPES[d.type], lang),
                title=shown(d.title, lang),
                signed=i18n.date_text(d.signed, lang),
                term_years=d.term_years,
                renewal=shown(d.renewal, lang),
            )
            for d in a.documents
        ),
        progress=tuple(
            ProgressView(
                sector=i18n.label(vocab.SECTORS[p.sector], lang),
                state=p.state,
                state_label=i18n.label(vocab.PROGRESS[p.state], lang),
                note=shown(p.note, lang),
            )
            for p in a.progress
        ),
        sources=tuple(source_view(s, lang) for s in a.sources),
        body_html=body_html,
        body_lang=body_lang,
        translated=body_lang == lang,
        timeline=tuple(observation_view(o, a.sources, lang) for o in a.timeline),
        last_activity=(i18n.date_text(a.last_activity.date, lang) or i18n.gettext_for(lang)("undated"))
        if a.last_activity
        else None,
        has_record=bool(a.observations),
        evidence_year=evidence_year,
        stale=stale,
        badge_text=badge_text(status_label, evidence_year, stale, lang),
    )


def observation_view(o: Observation, sources: Sequence[Source], lang: str) -> ObservationView:
    """One line of the timeline: when, what, which source (its number in the list), the note."""
    number = next((i + 1 for i, s in enumerate(sources) if s.key == o.source), None)
    return {
        "date": i18n.date_text(o.date, lang),
        "kind": o.kind,
        "kind_label": i18n.label(vocab.OBSERVATIONS[o.kind], lang),
        "status": vocab.OBSERVATION_STATUS[o.kind],
        "source": o.source,
        "source_number": number,
        "note": shown(o.note, lang),
        "sector": i18n.label(vocab.SECTORS[o.sector], lang) if o.sector else None,
    }


@dataclass(frozen=True)
class Group:
    """A heading in an index page: a place, country, sector, status or kind, and how many ties."""

    title: str
    url: str
    count: int
    note: str = ""


def status_counts(catalogue: Catalogue, lang: str) -> list[tuple[str, str, int]]:
    return [(key, i18n.label(vocab.STATUSES[key], lang), len(entries)) for key, entries in catalogue.statuses.items()]


def facets(views: Sequence[EntryView | ListRow], lang: str) -> dict[str, list[tuple[str, str, int]]]:
    """For the filters above a list: each facet's values present in the list, with counts, ordered by label
    (values of equal labels in the order the list first shows them). Counted in one pass over the list."""
    statuses: dict[str, int] = {}
    kinds: dict[str, int] = {}
    sectors: dict[str, int] = {}
    countries: dict[str, int] = {}
    for view in views:
        statuses[view.status] = statuses.get(view.status, 0) + 1
        kinds[view.kind_key] = kinds.get(view.kind_key, 0) + 1
        for key in view.sector_keys:
            sectors[key] = sectors.get(key, 0) + 1
        for key in view.countries:
            countries[key] = countries.get(key, 0) + 1

    def listed(counts: dict[str, int], label: Callable[[str], str]) -> list[tuple[str, str, int]]:
        labels = {key: label(key) for key in counts}
        return [(key, labels[key], counts[key]) for key in sorted(counts, key=labels.__getitem__)]

    return {
        "status": listed(statuses, lambda k: i18n.label(vocab.STATUSES[k], lang)),
        "kind": listed(kinds, lambda k: i18n.label(vocab.KINDS[k], lang)),
        "sector": listed(sectors, lambda k: i18n.label(vocab.SECTORS[k], lang)),
        "country": listed(countries, lambda k: i18n.country(k, lang)),
    }
