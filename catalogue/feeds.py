"""Atom 1.0 feeds of new and changed agreements and of their observations: one for the whole catalogue, one per place,
in each language, each the newest FEED_SIZE items (the whole history is in the data exports).

feed.xml carries each item's full text (what changed, the state now, the status history; an observation's note and
source); a place's feed, one of some 33,000 at 25k pairs, a summary of it (what changed and the state now; the
observation and its note) with the link to the page that has the rest.

Entries are newest first by their last commit (git history), else by as_of, else since; an
entry with none of these is left out (only possible without git). What
changed (added, status changed, status date changed) is read from the entry's past versions,
which the build's dates stage (dates.py) read from git before rendering.

Each dated observation is an item of its own, dated by the observation, so a reader following a place learns
of a new report on one of its ties.
Its id is made of what the observation is (date, kind, source, sector), not of its place in
the file: reordering the record or editing its note does not announce it again.

Atom ids are tag: URIs (RFC 4151) that never change, even if the site moves; links are absolute
under config.base_url, or relative to the feed file when no base_url is set (most feed readers
resolve those against the feed's own address, but absolute links need base_url).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from . import i18n, urls, vocab
from .cite import source_text
from .config import Config
from .licence import DATA_LICENCE
from .exports import absolute_url, time_text
from .xmlout import xml_bytes, xml_text
from .dates import Dates
from .history import Version
from .index import Catalogue
from .inputs import Inputs, pickled
from .model import Entry, Observation, Page, PartialDate
from .write import Kept
from .views import observation_view

FEED_SIZE = 20  # items of a feed, agreements and observations together, newest first (as Hugo's rssLimit)
TAG = "tag:sister-cities-catalogue,2026:"  # a fixed authority: ids stay the same wherever the site is served
ATOM_NS = "http://www.w3.org/2005/Atom"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)  # <updated> of a feed with no dated entry and no reference date


def feed_path(lang: str, place_key: str | None = None) -> str:
    """feed.xml, or places/jp/kochi.xml for a place; under <code>/ for a language not at the root."""
    return urls.in_language(urls.FEED if place_key is None else urls.place_feed(place_key), lang)


def as_time(date: PartialDate | None) -> datetime | None:
    """The first moment of a partial date (2017 → 2017-01-01T00:00:00Z)."""
    return None if date is None else datetime(date.year, date.month or 1, date.day or 1, tzinfo=timezone.utc)


def entry_time(entry: Entry, dates: Dates) -> datetime | None:
    a = entry.agreement
    return dates.of(a.slug).updated or as_time(a.as_of) or as_time(a.since)


def newest(entries: Iterable[Entry], times: dict[str, datetime | None], count: int = FEED_SIZE) -> list[Entry]:
    """The count most recently changed entries (times by slug), newest first, ties by slug.

    An entry with no date at all (not in git, as_of unknown, no since) is left out: nothing
    says when it was new. Every committed entry has a date, so this only happens without git.
    """
    dated = sorted((e for e in entries if times[e.agreement.slug]), key=lambda e: e.agreement.slug)
    return sorted(dated, key=lambda e: times[e.agreement.slug] or EPOCH, reverse=True)[:count]


@dataclass(frozen=True)
class Noted:
    """One dated observation of a tie, as a feed item of its own."""

    entry: Entry
    observation: Observation
    ident: str  # agreements/<slug>/observations/<date>/<kind>/<source>[/<sector>][/<n>]: stable, see observation_ids
    time: datetime  # the observation's date, as its first moment


def observation_ids(slug: str, observations: tuple[Observation, ...]) -> tuple[str, ...]:
    """An id per observation, from what it reports: the same finding keeps its id when the file is reordered or its note
    edited.

    Two observations alike in date, kind, source and sector are told apart by their order (/2, /3).
    """
    ids: list[str] = []
    seen: dict[str, int] = {}
    for o in observations:
        base = f"agreements/{slug}/observations/{o.date or 'undated'}/{o.kind}/{o.source}"
        base += f"/{o.sector}" if o.sector else ""
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}/{seen[base]}")
    return tuple(ids)


def noted(entries: Iterable[Entry], count: int = FEED_SIZE) -> list[Noted]:
    """The count newest dated observations of the entries, newest first (ties by id).

    Undated observations say nothing of when, so they are left out.
    """
    found = [
        Noted(e, o, ident, as_time(o.date) or EPOCH)
        for e in entries
        for o, ident in zip(e.agreement.observations, observation_ids(e.agreement.slug, e.agreement.observations))
        if o.date is not None
    ]
    found.sort(key=lambda n: n.ident)
    return sorted(found, key=lambda n: n.time, reverse=True)[:count]


@dataclass(frozen=True)
class Feed:
    """One feed to write: where, what it is called, what it links to, which entries and observations."""

    path: str
    title: str
    subtitle: str | None  # none for a place's feed: its title says whose it is
    alternate: str  # the HTML page the feed follows, relative to the site root
    entries: tuple[Entry, ...]
    lang: str
    observations: tuple[Noted, ...] = ()
    summary: bool = False  # a place's feed: each item a <summary> (no status history, source or categories), its link


def feed_pages(
    catalogue: Catalogue,
    dates: Dates,
    config: Config,
    languages: tuple[i18n.Language, ...] | None = None,
    inputs: Inputs | None = None,
) -> list[Page | Kept]:
    """feed.xml and places/<country>/<slug>.xml for every place, in each language (see Feeds)."""
    feeds = Feeds(catalogue, dates, config, languages, inputs)
    pages: list[Page | Kept] = []
    places = len(catalogue.places)
    for n, lang in enumerate(feeds.languages):
        pages.append(feeds.catalogue_feed(lang))
        pages += [feeds.place_feed(index) for index in range(n * places, (n + 1) * places)]
    return pages


class Feeds:
    """The feeds of one build: feed.xml and places/<country>/<slug>.xml for every place, in each language.

    With inputs (a rebuild), a feed whose entries are unchanged is Kept, not made: a place's feed reads
    the place's name and its entries whole; feed.xml every entry; both the build's date (dates.when).
    The place feeds are numbered (place_feed(i), i < len(places)) so that workers can share them out."""

    def __init__(
        self,
        catalogue: Catalogue,
        dates: Dates,
        config: Config,
        languages: tuple[i18n.Language, ...] | None = None,
        inputs: Inputs | None = None,
    ) -> None:
        self.catalogue, self.config, self.inputs = catalogue, config, inputs
        self.times = {e.agreement.slug: entry_time(e, dates) for e in catalogue.entries}
        self.writer = AtomWriter(config, dates, self.times)
        self.when = pickled(dates.when)
        self.languages = languages or i18n.table(config.languages)
        self.places = [(lang, key) for lang in self.languages for key in catalogue.places]
        self._words: dict[str, tuple[str, str]] = {}

    def words(self, lang: str) -> tuple[str, str]:
        """The catalogue's title and feed.xml's subtitle, in lang."""
        if lang not in self._words:
            _ = i18n.gettext_for(lang)
            self._words[lang] = (
                _(self.config.title),
                _("New and changed agreements, and what sources report of them, newest first."),
            )
        return self._words[lang]

    def catalogue_feed(self, lang: str) -> Page | Kept:
        entries = self.catalogue.entries

        def make() -> bytes:
            title, subtitle = self.words(lang)
            home = urls.in_language(urls.HOME, lang)
            newer, observed = tuple(newest(entries, self.times)), tuple(noted(entries))
            return self.writer.atom(Feed(feed_path(lang), title, subtitle, home, newer, lang, observed))

        if self.inputs is None:
            return Page(feed_path(lang), make())
        return self.inputs.output(feed_path(lang), [self.inputs.of("entries"), self.when], make)

    def place_feed(self, index: int) -> Page | Kept:
        lang, key = self.places[index]
        entries, name = self.catalogue.places[key].entries, self.catalogue.places[key].place.name

        def make() -> bytes:
            title = self.words(lang)[0]
            page = urls.in_language(urls.place(key), lang)
            newer, observed = tuple(newest(entries, self.times)), tuple(noted(entries))
            feed = Feed(feed_path(lang, key), f"{name} · {title}", None, page, newer, lang, observed, summary=True)
            return self.writer.atom(feed)

        if self.inputs is None:
            return Page(feed_path(lang, key), make())
        inputs = self.inputs
        reads = [name.encode(), self.when, *(inputs.of(f"entry:{e.agreement.slug}") for e in entries)]
        return inputs.output(feed_path(lang, key), reads, make)


class AtomWriter:
    """Writes Atom 1.0 documents (RFC 4287); every text goes in as element text or an attribute, escaped by
    ElementTree.
    """

    def __init__(self, config: Config, dates: Dates, times: dict[str, datetime | None]) -> None:
        self.config, self.dates, self.times = config, dates, times

    def link(self, path: str, feed: Feed) -> str:
        """path (from the site root) as an absolute URL under base_url, else relative to the feed file."""
        if self.config.base_url:
            return absolute_url(self.config.base_url, path)
        return relative(path, posixpath.dirname(feed.path))

    def atom(self, feed: Feed) -> bytes:
        lang, dates = feed.lang, self.dates
        _ = i18n.gettext_for(lang)
        # Agreements and observations, newest first; on the same time agreements first, each in its own order.
        items: list[tuple[datetime, Entry | Noted]] = [(self.times[e.agreement.slug] or EPOCH, e) for e in feed.entries]
        items += [(n.time, n) for n in feed.observations]
        items.sort(key=lambda item: item[0], reverse=True)  # stable: equal times keep the order above
        del items[FEED_SIZE:]
        updated = items[0][0] if items else dates.when or EPOCH
        root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": lang})
        _text(root, "id", TAG + feed.path)
        _text(root, "title", feed.title)
        if feed.subtitle is not None:
            _text(root, "subtitle", feed.subtitle)
        _text(root, "updated", time_text(updated))
        ET.SubElement(root, "link", {"rel": "alternate", "href": self.link(feed.alternate, feed)})  # type: advisory
        if self.config.base_url:
            ET.SubElement(
                root, "link", {"rel": "self", "type": "application/atom+xml", "href": self.link(feed.path, feed)}
            )
        _text(ET.SubElement(root, "author"), "name", _(self.config.title))
        _text(root, "rights", f"{DATA_LICENCE.name} {DATA_LICENCE.url}")
        for when, thing in items:
            if isinstance(thing, Noted):
                self.observation_item(root, thing, feed)
                continue
            entry = thing
            a = entry.agreement
            item = ET.SubElement(root, "entry")
            # An id, not an address: written out so it never changes, wherever the page moves.
            _text(item, "id", TAG + i18n.prefix(lang) + f"agreements/{a.slug}")
            _text(item, "title", a.display_title)
            _text(item, "updated", time_text(when))  # newest() keeps dated entries only
            published = dates.of(a.slug).published
            if published and published != when:  # Atom: without <published>, <updated> is when it appeared
                _text(item, "published", time_text(published))
            ET.SubElement(
                item, "link", {"rel": "alternate", "href": self.link(urls.in_language(entry.url, lang), feed)}
            )
            categories = (("status", vocab.STATUSES, a.status), ("kind", vocab.KINDS, a.kind))
            for scheme, terms, key in () if feed.summary else categories:  # a summary says them in words
                label = xml_text(i18n.label(terms[key], lang))
                ET.SubElement(item, "category", {"term": key, "label": label, "scheme": TAG + scheme})
            lines = describe(entry, dates.of(a.slug).versions, lang, history=not feed.summary)
            _text_item(item, feed, lines)
        return xml_bytes(root)

    def observation_item(self, root: ET.Element, noted: Noted, feed: Feed) -> None:
        """One observation as an entry: dated by the observation, linked to its tie's dated record."""
        lang, entry = feed.lang, noted.entry
        _ = i18n.gettext_for(lang)
        a = entry.agreement
        view = observation_view(noted.observation, a.sources, lang)
        item = ET.SubElement(root, "entry")
        _text(item, "id", TAG + i18n.prefix(lang) + noted.ident)
        _text(item, "title", f"{a.display_title}: {view['kind_label']} ({view['date']})")
        _text(item, "updated", time_text(noted.time))  # published then too: Atom reads <updated> without it
        href = self.link(urls.in_language(entry.url, lang), feed) + "#record"
        ET.SubElement(item, "link", {"rel": "alternate", "href": href})
        if not feed.summary:  # a summary says the kind in words
            label = xml_text(view["kind_label"])
            ET.SubElement(
                item, "category", {"term": noted.observation.kind, "label": label, "scheme": TAG + "observation"}
            )
        what = view["kind_label"] + (f" ({view['sector']})" if view["sector"] else "") + f", {view['date']}."
        lines = [what]
        if view["note"]:
            lines.append(view["note"].text)
        source = next((s for s in a.sources if s.key == noted.observation.source), None)
        if source is not None and not feed.summary:
            lines.append(_("Source: %(source)s") % {"source": source_text(source)})
        _text_item(item, feed, lines)


def relative(path: str, folder: str) -> str:
    """A path from the site root made relative to a folder from the site root ('' is the root)."""
    # posixpath.relpath does the same, several times slower, for tens of thousands of links.
    up, parts = folder.split("/") if folder else [], path.split("/")
    shared = 0
    while shared < min(len(up), len(parts) - 1) and up[shared] == parts[shared]:
        shared += 1
    return "../" * (len(up) - shared) + "/".join(parts[shared:])


def _text_item(item: ET.Element, feed: Feed, lines: list[str]) -> None:
    """An item's text: its <summary> in a place's feed (plain text, Atom's default type), else its <content>."""
    if feed.summary:
        _text(item, "summary", "\n".join(lines))
    else:
        _text(item, "content", "\n".join(lines)).set("type", "text")


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = xml_text(text)
    return element


def _status(key: str | None, lang: str) -> str:
    term = vocab.STATUSES.get(key or "")
    return i18n.label(term, lang) if term else str(key)


def describe(entry: Entry, versions: tuple[Version, ...], lang: str, history: bool = True) -> list[str]:
    """An entry's feed text: what changed last (when git knows), its state now, and (history) its status history."""
    _ = i18n.gettext_for(lang)
    a = entry.agreement
    lines = []
    change = what_changed(versions, lang)
    if change:
        lines.append(change)
    as_of = i18n.date_text(a.as_of, lang) or _("unknown")
    lines.append(
        _("{kind}. Status: {status}, as of {as_of}.").format(
            kind=i18n.label(vocab.KINDS[a.kind], lang), status=_status(a.status, lang), as_of=as_of
        )
    )
    changes = status_history(versions, lang) if history else []
    if changes:
        lines += [_("Status history:"), *changes]
    return lines


def what_changed(versions: tuple[Version, ...], lang: str) -> str | None:
    """The last change, as a sentence; None when git does not know the entry."""
    _ = i18n.gettext_for(lang)
    if not versions:
        return None
    if len(versions) == 1:
        return _("Added to the catalogue.")
    before, now = versions[-2], versions[-1]
    if before.status and now.status and before.status != now.status:
        return _("Status changed from {old} to {new}.").format(
            old=_status(before.status, lang), new=_status(now.status, lang)
        )
    if before.as_of and now.as_of and before.as_of != now.as_of:
        return _("Status date changed from {old} to {new}.").format(old=before.as_of, new=now.as_of)
    return _("Details updated.")


def status_history(versions: tuple[Version, ...], lang: str) -> list[str]:
    """One line per status change git saw: '2026-11-22: Active → Stalled'."""
    lines, previous = [], None
    for version in versions:
        if version.status is None:
            continue
        if previous is not None and version.status != previous:
            lines.append(
                f"{version.commit.time.date().isoformat()}: {_status(previous, lang)} → {_status(version.status, lang)}"
            )
        previous = version.status
    return lines
