"""How fresh an entry's facts are: when its status was last confirmed, and which documents have run out.

Everything is judged against a reference date the caller passes in (from SOURCE_DATE_EPOCH,
the last commit of content/, or the newest as_of), never today's date: the same content
builds the same pages whenever it is built.

Decisions:

- A status is *stale* when it was observed more than N whole years before the reference
  year (N = 3: with reference 2025, as_of 2022 is fresh and 2021 is stale). Years only:
  sources give a year far more often than a day.
- A status with no as_of is *unconfirmed*, a separate flag, never stale: we cannot say how
  old it is, and the page already says the source gives no date.
- An ended tie is never stale or unconfirmed and has no lapsed documents: it has no status
  left to confirm.
- A document has *run out* when signed + term_years lies wholly before the reference date,
  compared only as precisely as both are known (an LoI of 2016-11 for 5 years runs out in
  2021-11: lapsed against 2022 or 2021-12, not against 2021). Drafts never took effect.
- Only a renewal *date* (Document.renewed) counts as a recorded renewal; its term then runs
  again from that date. The free-text `renewal` says what the document says about renewal
  ("to be renewed in the last six months before it ends") and is never read as one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .index import Catalogue
from .model import Document, Entry, PartialDate

STALE_AFTER_YEARS = 3


@dataclass(frozen=True)
class LapsedDocument:
    """A document whose term ran out before the reference date, with no renewal recorded."""

    document: Document
    ran_out: PartialDate  # signed (or renewed) + term_years

    @property
    def year(self) -> int:
        return self.ran_out.year


@dataclass(frozen=True)
class Freshness:
    """What a page says about the age of an entry's facts."""

    last_confirmed: int | None  # the as_of year; None when the source gives none
    stale: bool  # observed more than stale_after_years before the reference year
    unconfirmed: bool  # no as_of at all
    expired_documents: tuple[LapsedDocument, ...]  # oldest first
    stale_after_years: int

    @property
    def expired_since(self) -> int | None:
        """The year the first lapsed document ran out."""
        return self.expired_documents[0].year if self.expired_documents else None

    @property
    def noteworthy(self) -> bool:
        """Whether the page has anything to say about freshness."""
        return self.stale or self.unconfirmed or bool(self.expired_documents)


def as_partial(reference: PartialDate | datetime.date | None) -> PartialDate | None:
    if reference is None or isinstance(reference, PartialDate):
        return reference
    return PartialDate(reference.year, reference.month, reference.day)


def ran_out(document: Document) -> PartialDate | None:
    """When the document's term ends: from its last renewal, else from its signing."""
    start = document.renewed or document.signed
    if start is None or not document.term_years or document.type == "draft":
        return None
    return PartialDate(start.year + document.term_years, start.month, start.day)


def before(date: PartialDate, reference: PartialDate) -> bool:
    """Whether date lies wholly before reference, at the precision both are known to."""
    parts = [(date.year, reference.year)]
    if date.month and reference.month:
        parts.append((date.month, reference.month))
        if date.day and reference.day:
            parts.append((date.day, reference.day))
    return tuple(a for a, _ in parts) < tuple(b for _, b in parts)


def freshness(
    entry: Entry, reference: PartialDate | datetime.date | None, stale_after_years: int = STALE_AFTER_YEARS
) -> Freshness:
    """The entry's freshness against the reference date; with no reference, nothing is judged old."""
    agreement = entry.agreement
    judged_at = as_partial(reference)
    as_of = agreement.as_of
    live = agreement.status != "ended"
    lapsed: list[LapsedDocument] = []
    stale = False
    if judged_at is not None and live:  # nothing is judged old without a reference date, nor an ended tie
        stale = as_of is not None and judged_at.year - as_of.year > stale_after_years
        for document in agreement.documents:
            end = ran_out(document)
            if end is not None and before(end, judged_at):
                lapsed.append(LapsedDocument(document, end))
    return Freshness(
        last_confirmed=as_of.year if as_of else None,
        stale=stale,
        unconfirmed=live and as_of is None,
        expired_documents=tuple(sorted(lapsed, key=lambda d: d.ran_out)),
        stale_after_years=stale_after_years,
    )


def stale_entries(
    catalogue: Catalogue, reference: PartialDate | datetime.date | None, stale_after_years: int = STALE_AFTER_YEARS
) -> tuple[Entry, ...]:
    """Entries whose status nobody has confirmed for more than N years, oldest observation first."""
    found = [e for e in catalogue.entries if freshness(e, reference, stale_after_years).stale]
    return tuple(sorted(found, key=lambda e: (e.agreement.as_of, e.agreement.slug)))


def expired_entries(catalogue: Catalogue, reference: PartialDate | datetime.date | None) -> tuple[Entry, ...]:
    """Entries with a document that ran out with no renewal recorded, longest lapsed first."""
    found = [
        (f.expired_documents[0].ran_out, e.agreement.slug, e)
        for e in catalogue.entries
        if (f := freshness(e, reference)).expired_documents
    ]
    return tuple(e for *_, e in sorted(found, key=lambda row: row[:2]))


def unconfirmed_entries(catalogue: Catalogue) -> tuple[Entry, ...]:
    """Entries whose sources never say when their status was observed (status not ended), by slug."""
    return tuple(e for e in catalogue.entries if e.agreement.as_of is None and e.agreement.status != "ended")


SECTIONS = ("stale", "expired", "unconfirmed")  # the freshness page's sections, in its order


def sections(
    catalogue: Catalogue, reference: PartialDate | datetime.date | None, stale_after_years: int = STALE_AFTER_YEARS
) -> dict[str, tuple[Entry, ...]]:
    """The freshness page's sections, each its entries in the page's order (each also a list of pages)."""
    return {
        "stale": stale_entries(catalogue, reference, stale_after_years),
        "expired": expired_entries(catalogue, reference),
        "unconfirmed": unconfirmed_entries(catalogue),
    }


def newest_as_of(catalogue: Catalogue) -> PartialDate | None:
    """The latest observation in the catalogue: the last-resort reference date."""
    return max((e.agreement.as_of for e in catalogue.entries if e.agreement.as_of), default=None)
