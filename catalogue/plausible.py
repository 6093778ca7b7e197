"""What a valid entry may still not say: dates after the check's reference date, and a tie
without a party in the catalogue's home country, or with it second.

These rules need the catalogue's settings (home_country) and a date, which validate.py's
RawEntry → Agreement step does not have; they run right after it, on valid agreements only.
The home-first order is one rule here, used by the check, `catalogue new` and `catalogue import`.
"""

from __future__ import annotations

import datetime
from typing import Callable, Iterator, Sequence, TypeVar

from . import countries
from .history import source_date_epoch
from .load import FieldPath
from .model import Agreement, PartialDate
from .problems import Problem

T = TypeVar("T")


def check_reference() -> datetime.date:
    """The date no entry's date may pass: SOURCE_DATE_EPOCH's day if set, else today.

    Not the last commit to content/, which the build uses for freshness: an entry written
    today and not yet committed would be refused for a date it rightly gives.
    """
    epoch = source_date_epoch()
    return epoch.date() if epoch else datetime.date.today()


def home_first(parties: Sequence[T], country_of: Callable[[T], str], home: str) -> tuple[list[T], bool]:
    """The parties with the home country's first (and whether they were swapped); '' means no home."""
    ordered = list(parties)
    swap = bool(home) and len(ordered) == 2 and country_of(ordered[1]) == home and country_of(ordered[0]) != home
    return (ordered[::-1], True) if swap else (ordered, False)


def home_name(home: str) -> str:
    return f"{home} ({countries.name(home)})"


def check_plausible(
    agreements: list[Agreement], home: str, reference: datetime.date, line: Callable[..., int]
) -> list[Problem]:
    """Every problem of a home party missing or second, and of a date after reference."""
    problems = []
    for agreement in agreements:

        def problem(
            fields: FieldPath, message: str, agreement: Agreement = agreement
        ) -> None:  # bound now, not at call time
            problems.append(Problem(agreement.path, line(agreement.path, *fields), ".".join(map(str, fields)), message))

        if home:
            in_home = [p.country == home for p in agreement.parties]
            if not any(in_home):
                problem(
                    ("parties",),
                    f"neither party is in {home_name(home)}, the catalogue's home country (home_country in "
                    "catalogue.toml); "
                    f"every tie here has a party in {home}, written first: correct the countries, or publish this tie "
                    "elsewhere",
                )
            elif home_first(agreement.parties, lambda p: p.country, home)[1]:
                problem(
                    ("parties", 1, "name"),
                    f"'{agreement.parties[1].name}' is the party in {home_name(home)}, the home country, and goes "
                    "first; "
                    f"swap the two parties, so '{agreement.parties[1].name}' comes before "
                    f"'{agreement.parties[0].name}'",
                )
        for fields, value in dates(agreement):
            if value is not None and earliest(value) > reference:
                fix = (
                    "write the date the source gives, or 'unknown'"
                    if fields == ("as_of",)
                    else "write the date the source gives, or remove it"
                )
                problem(
                    fields,
                    f"{value} is after {reference.isoformat()}, the date this catalogue is checked for; "
                    f"no source can report it yet: {fix}",
                )
    return problems


def dates(agreement: Agreement) -> Iterator[tuple[FieldPath, PartialDate | None]]:
    """(fields, date) for every date an entry gives; a source's year as a date in that year."""
    yield ("as_of",), agreement.as_of
    yield ("since",), agreement.since
    yield ("ended",), agreement.ended
    for i, document in enumerate(agreement.documents):
        yield ("documents", i, "signed"), document.signed
        yield ("documents", i, "renewed"), getattr(document, "renewed", None)
    for i, source in enumerate(agreement.sources):
        yield ("sources", i, "year"), PartialDate(source.year) if source.year else None
        yield ("sources", i, "accessed"), source.accessed


def earliest(value: PartialDate) -> datetime.date:
    """The first day a partial date can mean: 2026 → 2026-01-01."""
    return datetime.date(value.year, value.month or 1, value.day or 1)
