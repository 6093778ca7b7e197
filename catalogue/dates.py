"""What git knows about the entries, read once before rendering onto frozen records.

The build's `dates` stage (site.build) asks git once (history.py) and hands the pages, exports,
feeds and sitemap a Dates record: each entry's first and last commit and its past versions
(status changes), and the one reference date the whole build judges freshness against. Nothing
after this stage runs git or reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .freshness import as_partial, newest_as_of
from .history import Version, load_history, load_versions, source_date_epoch
from .index import Catalogue
from .model import PartialDate


@dataclass(frozen=True)
class EntryDates:
    """One entry's dates from git; None (and no versions) when git does not know it."""

    published: datetime | None = None  # first commit since the file was last added
    updated: datetime | None = None  # last commit
    versions: tuple[Version, ...] = ()  # its status and as_of at each commit, oldest first


NO_DATES = EntryDates()


@dataclass(frozen=True)
class Dates:
    """Every date the build prints that the entries' files do not hold; empty without git."""

    entries: dict[str, EntryDates] = field(default_factory=dict)  # by slug
    when: datetime | None = None  # SOURCE_DATE_EPOCH, else the last commit to content/: "now" for the build
    reference: PartialDate | None = None  # freshness is judged against this: `when`, else the newest as_of
    revision: str | None = None  # the newest commit that touched content/
    shallow: bool = False  # a shallow clone: dates withheld, and the build says so

    def of(self, slug: str) -> EntryDates:
        return self.entries.get(slug, NO_DATES)


def read_dates(
    root: Path, catalogue: Catalogue, known: dict[str, tuple[str | None, str | None]] | None = None
) -> Dates:
    """The dates stage: one git log and one git cat-file for the whole catalogue (none without git).

    known: the status and as_of of versions read before, by blob id (the build's parse cache)."""
    by_path = {e.agreement.path: e.agreement.slug for e in catalogue.entries}
    history = load_history(root, by_path)
    versions = load_versions(history, sorted(by_path), known)
    entries = {
        slug: EntryDates(history.published(path), history.updated(path), versions.get(path, ()))
        for path, slug in by_path.items()
        if path in history.files
    }
    return Dates(
        entries=entries,
        when=history.reference,
        # "Now" for freshness, fixed by the input so the same input gives the same site.
        reference=as_partial(history.reference) or newest_as_of(catalogue),
        revision=history.revision,
        shallow=history.shallow,
    )


def undated(catalogue: Catalogue | None = None) -> Dates:
    """What a build knows with no git at all: SOURCE_DATE_EPOCH if set, else the newest as_of."""
    when = source_date_epoch()
    return Dates(when=when, reference=as_partial(when) or (newest_as_of(catalogue) if catalogue else None))
