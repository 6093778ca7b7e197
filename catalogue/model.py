"""The records: what a contributor writes (Agreement and its parts) and what the build derives (Entry).

Field docs live here, in each field's metadata: validation, the README's field reference
and the editor schema all read them, so they cannot drift apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self, TypedDict, TypeVar, overload

from . import vocab

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class FieldDoc(TypedDict):
    """What a field's metadata says of it: validation, the field reference and the schema read it."""

    doc: str
    vocab: Mapping[str, vocab.Term] | None
    required: bool
    shape: str
    unless: str | None


def doc(
    text: str,
    *,
    vocab_terms: Mapping[str, vocab.Term] | None = None,
    required: bool = False,
    shape: str = "text",
    unless: str | None = None,
) -> FieldDoc:
    """A documented field. shape says what YAML value it takes (text, date, year, integer, ...);
    unless names the field whose presence makes a required one optional (it is then derived)."""
    return {"doc": text, "vocab": vocab_terms, "required": required, "shape": shape, "unless": unless}


_T = TypeVar("_T")


# Field specifiers, typed as dataclasses.field is: the value stands for the field's default, so
# mypy checks a default against the field's annotation.
@overload
def spec(
    text: str,
    *,
    vocab_terms: Mapping[str, vocab.Term] | None = ...,
    required: bool = ...,
    shape: str = ...,
    unless: str | None = ...,
) -> None: ...
@overload
def spec(
    text: str,
    default: _T,
    *,
    vocab_terms: Mapping[str, vocab.Term] | None = ...,
    required: bool = ...,
    shape: str = ...,
    unless: str | None = ...,
) -> _T: ...
def spec(
    text: str,
    default: object = None,
    *,
    vocab_terms: Mapping[str, vocab.Term] | None = None,
    required: bool = False,
    shape: str = "text",
    unless: str | None = None,
) -> object:
    metadata = doc(text, vocab_terms=vocab_terms, required=required, shape=shape, unless=unless)
    return field(default=default, metadata=metadata)


def required(
    text: str,
    *,
    vocab_terms: Mapping[str, vocab.Term] | None = None,
    shape: str = "text",
    unless: str | None = None,
) -> Any:  # a field with no default: any annotation may take it, as with dataclasses.field
    return field(metadata=doc(text, required=True, vocab_terms=vocab_terms, shape=shape, unless=unless))


class Text(str):
    """Free text a reader sees, possibly in several languages: a str of the text as written, in
    `lang`, carrying `translations` into other languages.

    In an entry it is either plain text, written in the entry's language (its `language` field),
    or a map {id: ..., en: ...}. A str, so exports, citations and diffs that take the text as
    written work unchanged; pages pick the reader's language with in_().
    """

    lang: str
    translations: tuple[tuple[str, str], ...]  # (language, text), sorted by language

    def __new__(cls, text: str, lang: str, translations: tuple[tuple[str, str], ...] = ()) -> Self:
        self = super().__new__(cls, text)
        self.lang, self.translations = lang, translations
        return self

    def __reduce__(self) -> tuple[type[Text], tuple[str, str, tuple[tuple[str, str], ...]]]:
        return (Text, (str(self), self.lang, self.translations))

    def in_(self, lang: str) -> tuple[str, str]:
        """(language, text) to show a reader of lang: its own text, else the text as written."""
        if lang == self.lang:
            return lang, str(self)
        return next(((code, text) for code, text in self.translations if code == lang), (self.lang, str(self)))


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day: 1985, 2016-11, 2015-09-25."""

    year: int
    month: int = 0
    day: int = 0

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text


@dataclass(frozen=True, kw_only=True)
class Party:
    """One side of a tie: a place, or an organisation or government that is not one."""

    name: str = required("The party's name as it is usually written, e.g. 'Surakarta', 'Kyoto Prefecture'.")
    level: str = required("What kind of party it is.", vocab_terms=vocab.LEVELS)
    country: str = required("ISO 3166-1 alpha-2 country code, upper case: ID, JP, KR.", shape="country")
    region: str | None = spec(
        "The province, state or prefecture the place lies in, e.g. 'Jawa Tengah'. Where the gazetteer has "
        "several places of the party's name in its country, this picks one: by the area's name, another name "
        "of it ('Central Java') or its code ('IL' for Illinois)."
    )
    body: str | None = spec(
        "The office that signed, where it is not the government itself, e.g. 'Dinas Pendidikan Kabupaten Sragen'."
    )
    coordinates: tuple[float, float] | None = spec(
        "[latitude, longitude] in decimal degrees, to pin a place the gazetteer cannot find or finds wrongly.",
        shape="coordinates",
    )
    also_known_as: tuple[str, ...] = spec(
        "Other names people use for the place, e.g. [Solo] for Surakarta; search finds the place and its ties by them.",
        default=(),
        shape="names",
    )


@dataclass(frozen=True, kw_only=True)
class Document:
    """A signed (or drafted) paper behind the tie."""

    type: str = required("What the document is.", vocab_terms=vocab.DOCUMENT_TYPES)
    title: str | None = spec(
        "Its title, as written on it.",
        shape="text-by-language",
    )
    signed: PartialDate | None = spec("When it was signed: 2015, 2015-09 or 2015-09-25.", shape="date")
    term_years: int | None = spec("How many years it runs.", shape="integer")
    renewal: str | None = spec(
        "What it says about renewal, or what is known of it.",
        shape="text-by-language",
    )
    renewed: PartialDate | None = spec(
        "When it was last renewed, if a source records it: 2021, 2021-05 or 2021-05-10; its term then runs again from "
        "this date.",
        shape="date",
    )


@dataclass(frozen=True, kw_only=True)
class Progress:
    """How far one agreed sector got, as a source judged it."""

    sector: str
    state: str = required("How far the sector got.", vocab_terms=vocab.PROGRESS)
    note: str | None = spec(
        "What was (or was not) done, in a sentence or two.",
        shape="text-by-language",
    )


@dataclass(frozen=True, kw_only=True)
class Source:
    """Where the facts come from."""

    title: str = required("The title of the paper, page or document.")
    type: str | None = spec("What kind of source it is.", vocab_terms=vocab.SOURCE_TYPES)
    author: str | None = spec("Who wrote it, if the source names its author.")
    publisher: str | None = spec("Who published it: a journal, university, office or site.")
    year: int | None = spec("The year it was published.", shape="year")
    url: str | None = spec("A link to it (http or https only).", shape="url")
    accessed: PartialDate | None = spec("When the link was read: 2025-03-01.", shape="date")
    note: str | None = spec(
        "Anything a reader needs to weigh the source, e.g. 'undergraduate thesis, chapter I'.",
        shape="text-by-language",
    )
    key: str | None = spec(
        "A short name for this source, e.g. 'P002', that observations and body markers ([^P002]) use to point at it.",
        shape="key",
    )
    title_supplied: bool = spec(
        "true when the work prints no title and `title` is a description in square brackets, e.g. '[Untitled article "
        "on ...]': it is cited as such, never as a real title.",
        default=False,
        shape="flag",
    )
    year_estimated: bool = spec(
        "true when the work does not print its year and `year` is an estimate (from its newest cited source, say): it "
        "is cited as 'c. 2017'.",
        default=False,
        shape="flag",
    )
    doi: str | None = spec("Its DOI, e.g. 10.1234/abcd.5678 (without https://doi.org/).", shape="doi")
    isbn: str | None = spec("Its ISBN, 10 or 13 digits, hyphens allowed.", shape="isbn")
    archive: str | None = spec("A link to an archived copy (e.g. web.archive.org), http or https.", shape="url")

    @property
    def year_text(self) -> str | None:
        """'2018', or 'c. 2017' for an estimated year."""
        if self.year is None:
            return None
        return f"c. {self.year}" if self.year_estimated else str(self.year)


@dataclass(frozen=True, kw_only=True)
class Observation:
    """One dated finding about the tie, as one of the entry's sources reports it."""

    date: PartialDate | None = spec(
        "When it happened or held, as the source dates it: 1990-04, 2017; or 'unknown' when the source gives no date.",
        required=True,
        shape="date-or-unknown",
    )
    kind: str = required("What the source reports.", vocab_terms=vocab.OBSERVATIONS)
    source: str = required("The key of the entry's source that reports it, e.g. P002.", shape="key")
    note: str | None = spec(
        "What the source says, in a sentence, with its page or line if known.",
        shape="text-by-language",
    )
    sector: str | None = spec("The sector it concerns, if one.", vocab_terms=vocab.SECTORS)


@dataclass(frozen=True, kw_only=True)
class Agreement:
    """One agreement as its contributor wrote it, validated."""

    slug: str
    path: str
    parties: tuple[Party, Party] = required(
        "The two parties: the Indonesian one first, then its partner.", shape="parties"
    )
    kind: str = required("What kind of tie it is.", vocab_terms=vocab.KINDS)
    status: str = required(
        "Its state when last observed. Leave it out when observations are given: the newest one sets it.",
        vocab_terms=vocab.STATUSES,
        unless="observations",
    )
    as_of: PartialDate | None = required(
        "When that status was observed (the year the source reports it), or 'unknown'. Leave it out when observations "
        "are given: it is the newest one's date.",
        shape="date-or-unknown",
        unless="observations",
    )
    since: PartialDate | None = spec("When the tie began: 1985, 2016-11 or 2015-09-25.", shape="date")
    ended: PartialDate | None = spec("When it ended, if it has.", shape="date")
    sectors: tuple[str, ...] = spec("The fields it covers.", default=(), vocab_terms=vocab.SECTORS, shape="list")
    documents: tuple[Document, ...] = spec("The documents behind it.", default=(), shape="documents")
    progress: tuple[Progress, ...] = spec(
        "Per sector: done, under-way, not-done or not-reported, with a note.", default=(), shape="progress"
    )
    sources: tuple[Source, ...] = required("At least one source for the facts.", shape="sources")
    title: str | None = spec("A title, if 'Party A – Party B' is not enough.")
    language: str = spec(
        "The language the body (and any plain-text note) is written in, one of the site's languages (catalogue.toml: "
        "languages); a translation goes in a sibling file <slug>.<language>.md.",
        default="en",
        shape="language",
    )
    aliases: tuple[str, ...] = spec(
        "Old slugs (file names without .md) this entry was published under; their pages redirect here, so old links "
        "keep working.",
        default=(),
        shape="slugs",
    )
    observations: tuple[Observation, ...] = spec(
        "The dated record of the tie: what each source reports and when (signed, activity, renewed, reported-stalled, "
        "ended, ...).",
        default=(),
        shape="observations",
    )
    body: str = ""

    @property
    def display_title(self) -> str:
        return self.title or f"{self.parties[0].name} – {self.parties[1].name}"

    @property
    def timeline(self) -> tuple[Observation, ...]:
        """The observations oldest first; undated ones first (they cannot be placed), then in file order."""
        order = sorted(range(len(self.observations)), key=lambda i: (self.observations[i].date or PartialDate(0), i))
        return tuple(self.observations[i] for i in order)

    @property
    def latest(self) -> Observation | None:
        """The newest observation: the one the status and as_of are read from."""
        return self.timeline[-1] if self.observations else None

    @property
    def last_activity(self) -> Observation | None:
        """The newest observation that reports the tie doing something (an activity or a renewal)."""
        return next((o for o in reversed(self.timeline) if vocab.OBSERVATION_STATUS[o.kind] == "active"), None)


def documented_fields(cls: type[DataclassInstance]) -> list[dataclasses.Field[Any]]:
    """The fields a contributor writes (those with docs), in order."""
    return [f for f in dataclasses.fields(cls) if "doc" in f.metadata]


@dataclass(frozen=True, kw_only=True)
class Place:
    """A party placed: where it is, or why it is not on the map."""

    key: str  # "jp/kochi": country code and name slug; also its URL path
    name: str
    level: str
    country: str
    region: str | None
    lat: float | None
    lon: float | None
    located_by: str  # "entry", "places.yaml", "gazetteer" or "" when off the map
    off_map_reason: str = ""
    also_known_as: tuple[str, ...] = ()  # names people use, from entries and places.yaml: shown and searched
    other_spellings: tuple[str, ...] = ()  # the gazetteer's alternate names in the same script: searched
    within: tuple[str, ...] = ()  # names of the areas it lies in (regency, province), from entries and places.yaml

    @property
    def on_map(self) -> bool:
        return self.lat is not None


@dataclass(frozen=True, kw_only=True)
class Entry:
    """An agreement with what the build derives for it: places, URL, rendered body."""

    agreement: Agreement
    places: tuple[Place, Place]
    url: str  # relative to the language root, e.g. "agreements/bogor-kisarazu.html"
    body_html: str  # in agreement.language
    translations: tuple[tuple[str, str], ...] = ()  # (language, body html) from sibling files

    def body_in(self, lang: str) -> tuple[str, str]:
        """(language, html) of the body to show on a page in lang: its own, a translation, else the original."""
        if lang == self.agreement.language:
            return lang, self.body_html
        return next(
            ((code, html) for code, html in self.translations if code == lang),
            (self.agreement.language, self.body_html),
        )


@dataclass(frozen=True)
class Page:
    """One file of the site: its path under site/ and its bytes (pages, data, feeds, assets)."""

    path: str
    content: bytes
    digest: str | None = None  # what made it, for incremental builds (incremental.py); None: its bytes' hash


@dataclass(frozen=True)
class StaticPage:
    """A page written in content/pages/ (About), already rendered and sanitised."""

    slug: str
    title: str  # a Text when it has translations ({id: ..., en: ...} in its front matter)
    body_html: str
    sources: tuple[Source, ...] = ()
    language: str = "en"
    translations: tuple[tuple[str, str], ...] = ()  # (language, body html)

    def title_in(self, lang: str) -> str:
        return self.title.in_(lang)[1] if isinstance(self.title, Text) else self.title

    def body_in(self, lang: str) -> tuple[str, str]:
        if lang == self.language:
            return lang, self.body_html
        return next(((code, html) for code, html in self.translations if code == lang), (self.language, self.body_html))
