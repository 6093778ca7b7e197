"""RawEntry → Agreement, or every Problem found in it; then the checks across files."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import Field, fields
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from . import countries, evidence, vocab
from .countries import not_a_country
from .i18n import DEFAULT_LANGUAGES
from .gazetteer import Gazetteer
from .load import FieldPath, RawEntry, RawTranslation
from .limits import MAX_NAME_CHARS, MAX_SLUG_CHARS, MAX_TERM_YEARS, name_too_long
from .model import Agreement, Document, Party, PartialDate, Progress, Source, Text, documented_fields
from .names import fold, slug
from .places import default_gazetteer
from .problems import Problem, closest, did_you_mean, one_of, shown as _shown
from .routes import reserved_slugs

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
FIRST_YEAR, LAST_YEAR = 1800, 2100
# Addresses the build writes itself: an entry or page with one of these names would overwrite it.
# The route table's own pages: under agreements/ (the list of them all), and at a language's root.
RESERVED_AGREEMENT_SLUGS, RESERVED_PAGE_SLUGS = reserved_slugs()
if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_R = TypeVar("_R", bound="DataclassInstance")
NESTED = {"parties", "documents", "sources", "progress", "observations"}


class _Checker:
    """Walks one entry's front matter, collecting problems with their lines."""

    def __init__(self, raw: RawEntry, languages: tuple[str, ...] = DEFAULT_LANGUAGES, language: str = "en"):
        self.raw = raw
        self.problems: list[Problem] = []
        self.languages = languages  # the site's languages (catalogue.toml)
        self.language = language  # what plain text is written in: the entry's `language`

    def problem(self, where: FieldPath, message: str) -> None:
        field = ".".join(str(part) for part in where)
        self.problems.append(Problem(self.raw.path, self.raw.line(*where), field, message))

    # -- values ---------------------------------------------------------------

    def text(self, where: FieldPath, value: object) -> str | None:
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        self.problem(where, f"must be text, not {_shown(value)}")
        return None

    def language_code(self, where: FieldPath, value: object) -> str | None:
        if isinstance(value, str) and value in self.languages:
            return value
        self.problem(
            where,
            f"{one_of(value, list(self.languages))}; write one of the site's languages, or add it to `languages` in "
            "catalogue.toml",
        )
        return None

    def text_by_language(self, where: FieldPath, value: object) -> Text | None:
        """Plain text (in the entry's language), or a map of the site's languages to texts: a Text."""
        if not isinstance(value, dict):
            text = self.text(where, value)
            return None if text is None else Text(text, self.language)
        if not value:
            self.problem(
                where, f"is an empty map; write the text, or {{{', '.join(f'{c}: ...' for c in self.languages)}}}"
            )
            return None
        texts: dict[str, str] = {}
        for code, item in value.items():
            if self.language_code(where + (code,), code) is not None and (text := self.text(where + (code,), item)):
                texts[code] = text
        if len(texts) < len(value):
            return None
        original = self.language if self.language in texts else next(iter(texts))
        return Text(texts[original], original, tuple(sorted((c, t) for c, t in texts.items() if c != original)))

    def term(self, where: FieldPath, value: object, terms: Mapping[str, vocab.Term]) -> str | None:
        if isinstance(value, str) and value in terms:
            return value
        self.problem(where, one_of(value, list(terms)))
        return None

    def date(self, where: FieldPath, value: object, *, unknown_ok: bool = False) -> PartialDate | None:
        if unknown_ok and value == "unknown":
            return None
        hint = "write it as 1985, 2016-11 or 2015-09-25" + (", or 'unknown'" if unknown_ok else "")
        match = DATE.match(str(value)) if isinstance(value, (int, str)) and not isinstance(value, bool) else None
        if not match:
            self.problem(where, f"{_shown(value)} is not a date; {hint}")
            return None
        year, month, day = (int(part) if part else 0 for part in match.groups())
        if not FIRST_YEAR <= year <= LAST_YEAR:
            self.problem(where, f"{value!r}: year {year} is out of range {FIRST_YEAR}-{LAST_YEAR}; check it for a typo")
            return None
        if match.group(2) and not 1 <= month <= 12:
            self.problem(where, f"{value!r} has no month {month}; {hint}")
            return None
        days = calendar.monthrange(year, month)[1] if match.group(3) else 0
        if match.group(3) and not 1 <= day <= days:
            self.problem(where, f"{value!r} has no day {day}: {calendar.month_name[month]} {year} has {days} days")
            return None
        return PartialDate(year, month, day)

    def year(self, where: FieldPath, value: object) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool) and FIRST_YEAR <= value <= LAST_YEAR:
            return value
        self.problem(where, f"{_shown(value)} is not a year; write four digits, e.g. 2018")
        return None

    def integer(self, where: FieldPath, value: object) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_TERM_YEARS:
            self.problem(where, f"{value} years is more than {MAX_TERM_YEARS}; check it for a typo")
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        self.problem(where, f"{_shown(value)} is not a whole number of years above 0")
        return None

    def key(self, where: FieldPath, value: object) -> str | None:
        if isinstance(value, (str, int)) and not isinstance(value, bool) and evidence.KEY.match(str(value)):
            return str(value)
        self.problem(where, f"{_shown(value)} is not a key; use letters, digits and hyphens, e.g. P002")
        return None

    def flag(self, where: FieldPath, value: object) -> bool | None:
        if isinstance(value, bool):
            return value
        self.problem(where, f"{_shown(value)} is not true or false")
        return None

    def doi(self, where: FieldPath, value: object) -> str | None:
        if isinstance(value, str) and DOI.match(value.strip()):
            return value.strip()
        self.problem(where, f"{_shown(value)} is not a DOI; write it as 10.1234/abcd, without https://doi.org/")
        return None

    def isbn(self, where: FieldPath, value: object) -> str | None:
        digits = (
            str(value).replace("-", "").replace(" ", "")
            if isinstance(value, (str, int)) and not isinstance(value, bool)
            else ""
        )
        if re.fullmatch(r"\d{9}[\dXx]|\d{13}", digits):
            return str(value).strip()
        self.problem(where, f"{_shown(value)} is not an ISBN; write its 10 or 13 digits, hyphens allowed")
        return None

    def url(self, where: FieldPath, value: object) -> str | None:
        text = self.text(where, value)
        if text is None:
            return None
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
            self.problem(where, f"{text!r} is not a web link; only http:// and https:// links are allowed")
            return None
        return text

    def country(self, where: FieldPath, value: object) -> str | None:
        if countries.is_country(value):
            return value
        self.problem(where, not_a_country(value))
        return None

    def coordinates(self, where: FieldPath, value: object) -> tuple[float, float] | None:
        if not (isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)):
            self.problem(
                where,
                f"{_shown(value)} is not a pair of numbers; write [latitude, longitude], e.g. [-7.5561, 110.8317]",
            )
            return None
        lat, lon = (float(v) for v in value)
        if not -90 <= lat <= 90:
            swapped = " (are latitude and longitude swapped?)" if -90 <= lon <= 90 and -180 <= lat <= 180 else ""
            self.problem(where, f"latitude {lat} is out of range -90 to 90{swapped}")
            return None
        if not -180 <= lon <= 180:
            self.problem(where, f"longitude {lon} is out of range -180 to 180")
            return None
        return (lat, lon)

    # -- records ----------------------------------------------------------------

    def mapping(
        self, where: FieldPath, value: object, cls: type[DataclassInstance], what: str
    ) -> dict[str, Any] | None:
        """Check a mapping's keys against a record's documented fields; return the values by field."""
        if not isinstance(value, dict):
            self.problem(where, f"must be a set of 'field: value' lines for {what}, not {_shown(value)}")
            return None
        known = _documented(cls)
        meant: set[str | None] = set()  # fields named by a did-you-mean hint: the hint already says they are missing
        for key in value:
            if key not in known:
                names = list(known)
                meant.add(closest(str(key), names))
                self.problem(
                    where + (key,), f"unknown field{did_you_mean(str(key), names)}; {what} takes: {', '.join(names)}"
                )
        out: dict[str, Any] = {}
        for name, metadata, required, nested in _specs(cls):
            given = value.get(name)
            if given is None:
                if required and metadata.get("unless") in value:
                    continue  # derived from that field (status and as_of from observations)
                if required and name in value:
                    self.problem(where + (name,), f"is empty; it is required: {metadata['doc']}")
                elif required and name not in meant:
                    self.problem(where, f"missing required field '{name}': {metadata['doc']}")
                continue
            if not nested:  # checked by validate(), which knows their record types
                out[name] = self.value(where + (name,), given, metadata)
        return out

    def value(self, where: FieldPath, value: object, meta: Mapping[str, Any]) -> object:
        shape, terms = meta["shape"], meta["vocab"]
        if shape == "list":
            if not isinstance(value, list):
                example = value if isinstance(value, str) else ", ".join(list(terms)[:2])
                self.problem(where, f"must be a list in square brackets, e.g. [{example}]")
                return None
            seen = [self.term(where + (i,), v, terms) for i, v in enumerate(value)]
            for item in {v for v in seen if v and seen.count(v) > 1}:
                self.problem(where, f"'{item}' is listed twice")
            return tuple(dict.fromkeys(v for v in seen if v))
        if shape == "slugs":
            if not isinstance(value, list):
                self.problem(where, "must be a list in square brackets, e.g. [old-name]")
                return None
            slugs: list[str] = []
            for i, item in enumerate(value):
                if isinstance(item, str) and item in RESERVED_AGREEMENT_SLUGS:
                    self.problem(
                        where + (i,),
                        f"'{item}' is the address of the list of all agreements; an alias is an old slug of this "
                        "entry: remove it",
                    )
                elif (
                    isinstance(item, str)
                    and SLUG.match(item)
                    and (too_long := name_too_long(item, MAX_SLUG_CHARS, "an alias"))
                ):
                    self.problem(where + (i,), too_long)
                elif isinstance(item, str) and SLUG.match(item):
                    slugs.append(item)
                else:
                    self.problem(
                        where + (i,),
                        f"{_shown(item)} is not a slug: lower-case words joined by hyphens, the old file name without "
                        "'.md'",
                    )
            return tuple(dict.fromkeys(slugs))
        if shape == "names":
            return self.names(where, value)
        if terms is not None:
            return self.term(where, value, terms)
        check = _CHECKS.get(shape)
        if check is not None:
            return check(self, where, value)
        if shape == "date-or-unknown":
            return self.date(where, value, unknown_ok=True)
        raise AssertionError(f"no check for shape {shape}")

    def names(self, where: FieldPath, value: object) -> tuple[str, ...] | None:
        """Other names of a place: a list of distinct, non-empty texts."""
        if not isinstance(value, list):
            example = value if isinstance(value, str) and value.strip() else "Solo"
            self.problem(where, f"must be a list in square brackets, e.g. [{example}]")
            return None
        names = [self.text(where + (i,), item) for i, item in enumerate(value)]
        for name in {n for n in names if n and names.count(n) > 1}:
            self.problem(where, f"'{name}' is listed twice")
        return tuple(dict.fromkeys(n for n in names if n))

    def records(
        self, where: FieldPath, value: object, cls: type[_R], what: str, plural: str, minimum: int = 0
    ) -> tuple[_R, ...]:
        if not isinstance(value, list):
            self.problem(where, f"must be a list of {plural}, each starting with '- '")
            return ()
        if len(value) < minimum:
            self.problem(where, f"needs at least {minimum} {what}")
        built: list[_R] = []
        for i, item in enumerate(value):
            values = self.mapping(where + (i,), item, cls, f"a {what}")
            if values is not None and _complete(values, cls):
                built.append(cls(**values))
        return tuple(built)

    def progress(self, where: FieldPath, value: object, sectors: Collection[str] | None) -> tuple[Progress, ...]:
        if not isinstance(value, dict):
            self.problem(where, "must map each sector to its state, e.g. 'education: {state: done}'")
            return ()
        built: list[Progress] = []
        for sector, item in value.items():
            if sector not in vocab.SECTORS:
                self.problem(where + (sector,), one_of(sector, list(vocab.SECTORS)))
                continue
            if sectors is not None and sector not in sectors:
                self.problem(
                    where + (sector,),
                    f"sector '{sector}' is not in this entry's sectors; add it there or remove it here",
                )
            values = self.mapping(where + (sector,), item, Progress, "a sector's progress")
            if values is not None and _complete(values, Progress):
                built.append(Progress(sector=sector, **values))
        return tuple(built)


# Each value shape's check (looked up once, not as a dict of bound methods made for every value).
_CHECKS: dict[str, Callable[[_Checker, FieldPath, object], object]] = {
    "text": _Checker.text,
    "date": _Checker.date,
    "year": _Checker.year,
    "integer": _Checker.integer,
    "url": _Checker.url,
    "key": _Checker.key,
    "flag": _Checker.flag,
    "doi": _Checker.doi,
    "isbn": _Checker.isbn,
    "country": _Checker.country,
    "coordinates": _Checker.coordinates,
    "language": _Checker.language_code,
    "text-by-language": _Checker.text_by_language,
}


def validate(raw: RawEntry, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> Agreement | list[Problem]:
    """One entry, checked field by field: the Agreement, or every problem in it."""
    check = _Checker(raw, languages)
    if not SLUG.match(raw.slug):
        fixed = re.sub(r"[^a-z0-9]+", "-", raw.slug.lower()).strip("-") or "surakarta-xian"
        # Line 1, not the first field's line: the mistake is the file's name, not its content.
        check.problems.append(
            Problem(
                raw.path,
                1,
                "",
                f"the file name '{raw.slug}.md' must be lower-case words joined by hyphens; rename it to '{fixed}.md'",
            )
        )
    if SLUG.match(raw.slug) and len(raw.slug) > MAX_SLUG_CHARS:
        check.problems.append(
            Problem(
                raw.path,
                1,
                "",
                f"the file name is {len(raw.slug)} characters long; at most {MAX_SLUG_CHARS} are allowed, as it "
                "becomes the page's file name: rename it after the two parties, e.g. 'surakarta-xian.md'",
            )
        )
    if raw.slug in RESERVED_AGREEMENT_SLUGS:
        check.problem(
            (),
            f"the file name '{raw.slug}.md' is taken by the list of all agreements; name the file after the two "
            "parties, e.g. 'surakarta-xian.md'",
        )
    values = check.mapping((), raw.meta, Agreement, "an agreement") or {}
    check.language = values.get("language") or check.language  # plain text in the records is in it
    # An empty nested field (None) was reported by mapping() if required, and is absent if not.
    if raw.meta.get("parties") is not None:
        parties = check.records(("parties",), raw.meta["parties"], Party, "party", "parties")
        count = len(raw.meta["parties"]) if isinstance(raw.meta["parties"], list) else 0
        if count != 2 and isinstance(raw.meta["parties"], list):
            check.problem(
                ("parties",), f"needs exactly 2 parties (the Indonesian one, then its partner), found {count}"
            )
        for i, party in enumerate(parties):
            if too_long := name_too_long(party.name, MAX_NAME_CHARS, "a party's name"):
                check.problem(("parties", i, "name"), too_long)
            elif len(slug(party.name)) > MAX_NAME_CHARS:  # one sign such as '㎯' spells out to 'rad-s2'
                check.problem(
                    ("parties", i, "name"),
                    f"becomes the address '{slug(party.name)[:20]}...', {len(slug(party.name))} characters long; at "
                    f"most {MAX_NAME_CHARS} are allowed, as it becomes a file name: write the name in plain "
                    "letters, or shorten it",
                )
            if not fold(party.name):
                check.problem(
                    ("parties", i, "name"),
                    f"{party.name!r} has no Latin letters or digits; write the name as it is usually spelt in Latin "
                    "letters (e.g. 'Tokyo', 'Xi'an'), so it can be compared, found and given an address",
                )
        usable = all(
            fold(p.name) and len(p.name) <= MAX_NAME_CHARS and len(slug(p.name)) <= MAX_NAME_CHARS for p in parties
        )
        values["parties"] = parties if len(parties) == 2 and usable else None
    if raw.meta.get("documents") is not None:
        values["documents"] = check.records(("documents",), raw.meta["documents"], Document, "document", "documents")
    if raw.meta.get("sources") is not None:
        values["sources"] = check.records(("sources",), raw.meta["sources"], Source, "source", "sources", minimum=1)
    keys = evidence.source_keys(check, raw.meta.get("sources"))
    evidence.check_markers(check, raw.body, keys)
    for i, source in enumerate(values.get("sources") or ()):
        if source.title_supplied and not (source.title.startswith("[") and source.title.endswith("]")):
            check.problem(
                ("sources", i, "title"),
                "a supplied title is a description in square brackets, e.g. '[Untitled article on ...]'; add the "
                "brackets, or remove title_supplied if the work prints this title",
            )
    if raw.meta.get("observations") is not None:
        values["observations"] = evidence.check_observations(check, raw.meta["observations"], keys)
        evidence.apply(check, values, raw.meta)
    if raw.meta.get("progress") is not None:
        # sectors is None when it is not a list (already reported): then no sector is "missing" from it.
        values["progress"] = check.progress(("progress",), raw.meta["progress"], values.get("sectors", ()))
    sources = raw.meta.get("sources")
    for i, source in enumerate(sources if isinstance(sources, list) else ()):
        # Read from the file, not the built sources: an invalid url is already reported, and a
        # source left out for its own mistakes must not shift the index of the ones after it.
        if isinstance(source, dict) and source.get("accessed") is not None and source.get("url") is None:
            check.problem(("sources", i, "accessed"), "an access date needs a url; add the url or remove 'accessed'")
    _check_dates(check, values)
    if check.problems:
        return check.problems
    return Agreement(slug=raw.slug, path=raw.path, body=raw.body, **values)


def _check_dates(check: _Checker, values: dict[str, Any]) -> None:
    since, ended, status = values.get("since"), values.get("ended"), values.get("status")
    if ended and status and status != "ended":
        check.problem(("ended",), f"an end date is set but status is '{status}'; set 'status: ended' or remove 'ended'")
    if since and ended and ended < since:
        check.problem(("ended",), f"ends ({ended}) before it began ({since})")


def check_across(agreements: list[Agreement], raws: dict[str, RawEntry], gazetteer: Gazetteer) -> list[Problem]:
    """What no single file shows: two files with one slug, one tie entered twice, an alias taken; and a tie whose two
    parties are one place, which takes the gazetteer to tell (a region may pick another namesake)."""
    problems = []
    by_slug: dict[str, Agreement] = {}
    by_pair: dict[TieIdentity, Agreement] = {}
    for agreement in agreements:
        first = by_slug.setdefault(agreement.slug, agreement)
        if first is not agreement:
            problems.append(
                Problem(
                    agreement.path,
                    1,
                    "",
                    f"slug '{agreement.slug}' is already used by {first.path}; give one of the files another name",
                )
            )
        pair = tie_identity(agreement.kind, agreement.parties, gazetteer)
        if len(pair[1]) < 2:
            problems.append(
                Problem(
                    agreement.path,
                    raws[agreement.path].line("parties"),
                    "parties",
                    "both parties are the same place; the second must be the partner",
                )
            )
            continue
        first = by_pair.setdefault(pair, agreement)
        if first is not agreement:
            problems.append(
                Problem(
                    agreement.path,
                    raws[agreement.path].line("parties"),
                    "parties",
                    f"this {agreement.kind} tie is already entered in {first.path}; correct that file instead, or "
                    "merge the two",
                )
            )
    # An old address may lead to one entry only, and never shadow a live one.
    by_alias: dict[str, Agreement] = {}
    for agreement in agreements:
        for i, alias in enumerate(agreement.aliases):
            line = raws[agreement.path].line("aliases", i)
            if alias in by_slug:
                owner = by_slug[alias]
                where = "this entry's own slug" if owner is agreement else f"the slug of {owner.path}"
                problems.append(
                    Problem(
                        agreement.path,
                        line,
                        f"aliases.{i}",
                        f"'{alias}' is {where}; an alias is an old slug no file uses any more",
                    )
                )
                continue
            first = by_alias.setdefault(alias, agreement)
            if first is not agreement:
                problems.append(
                    Problem(
                        agreement.path,
                        line,
                        f"aliases.{i}",
                        f"'{alias}' is already an alias of {first.path}; an old link can lead to one entry only",
                    )
                )
    return problems


def validate_all(
    raws: list[RawEntry],
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
    gazetteer: Gazetteer | None = None,
    one: Callable[[RawEntry, tuple[str, ...]], Agreement | list[Problem]] | None = None,
) -> tuple[list[Agreement], list[Problem]]:
    """Every entry → (the valid Agreements, every problem in any of them); gazetteer: the process's, unless given.

    one: how one file is validated (validate; a build's parse cache gives the records it kept for unchanged
    files, parsecache.ParseCache.validate); the rules across files always run over every record."""
    agreements: list[Agreement] = []
    problems: list[Problem] = []
    for raw in raws:
        result = (one or validate)(raw, languages)
        if isinstance(result, list):
            problems.extend(result)
        else:
            agreements.append(result)
    problems += check_across(agreements, {raw.path: raw for raw in raws}, gazetteer or default_gazetteer())
    return agreements, problems


# A place as the duplicate check sees it: country, level, folded name, and the folded area that tells a namesake
# apart ('' if none).
PlaceIdentity = tuple[str, str, str, str]
TieIdentity = tuple[str, frozenset[PlaceIdentity]]


def place_identity(party: Party, gazetteer: Gazetteer) -> PlaceIdentity:
    """How the check tells places apart: the country; the level (Kota Bandung, a city, is not Kabupaten Bandung, a
    regency; DI Yogyakarta, a province, is not the city of Yogyakarta); the name without accents, case, punctuation
    or administrative words ('Kabupaten Wonosobo' is Wonosobo); and the area of a namesake the region picks instead
    of the one the name alone finds (Springfield, Illinois is not Springfield, Missouri; Springfield with region
    Missouri is)."""
    area = gazetteer.namesake_area(party.country, party.name, party.region)
    return (party.country, party.level, fold(party.name), fold(area))


def tie_identity(kind: str, parties: Iterable[Party], gazetteer: Gazetteer) -> TieIdentity:
    """One tie, whichever party is written first (A–B is B–A): its kind and its parties' place identities. The one
    rule of `catalogue check`, `new` and `import` (scaffold.py); a tie whose two parties are one place has one
    identity in its set."""
    return (kind, frozenset(place_identity(party, gazetteer) for party in parties))


def _complete(values: dict[str, Any], cls: type[DataclassInstance]) -> bool:
    """True when every required field came out valid, so the record can be built."""
    return all(values.get(name) is not None for name in _required(cls))


@cache
def _documented(cls: type[DataclassInstance]) -> dict[str, Field[Any]]:
    """A record's documented fields by name, in order (looked up once per record type, not per value)."""
    return {f.name: f for f in documented_fields(cls)}


@cache
def _specs(cls: type[DataclassInstance]) -> tuple[tuple[str, Mapping[str, Any], bool, bool], ...]:
    """Each documented field: (name, metadata, whether it is required, whether validate() checks it as records)."""
    return tuple(
        (name, f.metadata, bool(f.metadata["required"]), f.metadata["shape"] in NESTED)
        for name, f in _documented(cls).items()
    )


@cache
def _required(cls: type[DataclassInstance]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.metadata.get("required"))


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def validate_page(
    raw: RawEntry, languages: tuple[str, ...] = DEFAULT_LANGUAGES
) -> tuple[str, tuple[Source, ...]] | list[Problem]:
    """A page in content/pages/ (About): a title (plain English, or {id: ..., en: ...}), optional sources, a body."""
    check = _Checker(raw, languages)
    if not SLUG.match(raw.slug) or raw.slug in RESERVED_PAGE_SLUGS:
        taken = (
            f"'{raw.slug}.html' is a page the build makes itself"
            if raw.slug in RESERVED_PAGE_SLUGS
            else "a page's file name must be lower-case words joined by hyphens"
        )
        check.problem((), f"{taken}; rename the file, e.g. 'about.md' or 'how-to-help.md'")
    elif len(raw.slug) > MAX_SLUG_CHARS:
        check.problem(
            (),
            f"the file name is {len(raw.slug)} characters long; at most {MAX_SLUG_CHARS} are allowed, as it becomes "
            "the page's file name: rename it, e.g. 'about.md'",
        )
    meant = set()
    # title_<language> (title_id: the Indonesian title) is the older way to translate the title.
    own_titles = [f"title_{code}" for code in languages]
    fields = ["title", *own_titles, "sources"]
    for key in raw.meta:
        if key not in fields:
            meant.add(closest(str(key), fields))
            check.problem(
                (key,),
                f"unknown field{did_you_mean(str(key), fields)}; a page takes: title (text, or a map of languages: "
                f"{{id: ..., en: ...}}), sources",
            )
    title = check.text_by_language(("title",), raw.meta["title"]) if "title" in raw.meta else None
    others = {name[6:]: check.text((name,), raw.meta[name]) for name in own_titles if name in raw.meta}
    if title is not None and others and None not in others.values():
        texts = {**dict(title.translations), **{c: t for c, t in others.items() if t and c != title.lang}}
        title = Text(str(title), title.lang, tuple(sorted(texts.items())))
    if "title" not in raw.meta and "title" not in meant:
        check.problem((), "missing required field 'title': the page's heading, e.g. 'title: About'")
    sources = (
        check.records(("sources",), raw.meta["sources"], Source, "source", "sources")
        if raw.meta.get("sources") is not None
        else ()
    )
    if check.problems or title is None:  # no title is always a problem above
        return check.problems
    return title, tuple(sources)


def check_translations(
    translations: Iterable[RawTranslation],
    agreements: list[Agreement],
    slugs_seen: set[str],
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
) -> tuple[dict[str, tuple[tuple[str, str], ...]], list[Problem]]:
    """Translations → {slug: ((lang, body), ...)}; a translation of nothing, into a language the site
    is not built in, or into the entry's own language, is a problem."""
    by_slug = {a.slug: a for a in agreements}
    found: dict[str, list[tuple[str, str]]] = {}
    problems: list[Problem] = []
    for t in translations:
        if t.lang not in languages:
            problems.append(unknown_translation_language(t, languages))
            continue
        agreement = by_slug.get(t.slug)
        if agreement is None:
            if t.slug not in slugs_seen:  # an entry with problems of its own is reported there
                problems.append(
                    Problem(
                        t.path,
                        1,
                        "",
                        f"a translation of '{t.slug}.md', which does not exist; rename this file to "
                        f"'<slug>.{t.lang}.md' after an existing entry",
                    )
                )
            continue
        if agreement.language == t.lang:
            problems.append(
                Problem(
                    t.path,
                    1,
                    "",
                    f"'{t.slug}.md' is already written in '{t.lang}' (its language field); a translation must be in "
                    f"another of the site's languages ({', '.join(c for c in languages if c != t.lang)})",
                )
            )
            continue
        if not t.body.strip():
            problems.append(
                Problem(t.path, 1, "", f"the translation is empty; write the body in '{t.lang}', or delete the file")
            )
            continue
        found.setdefault(t.slug, []).append((t.lang, t.body))
    return {slug: tuple(sorted(items)) for slug, items in found.items()}, problems


def unknown_translation_language(t: RawTranslation, languages: tuple[str, ...]) -> Problem:
    """A sibling file <slug>.<code>.md whose code is not one of the site's languages."""
    near = closest(t.lang, list(languages))
    rename = f"rename it to '{t.slug}.{near}.md'" if near else f"rename it to '{t.slug}.<language>.md'"
    return Problem(
        t.path,
        1,
        "",
        f"a translation into '{t.lang}', which is not one of the site's languages ({', '.join(languages)}); "
        f"{rename}, or add '{t.lang}' to `languages` in catalogue.toml",
    )
