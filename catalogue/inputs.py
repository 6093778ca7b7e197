"""The digest of what each route reads (routes.Route.inputs), so a rebuild can skip a page before making its context.

A route's digest covers the build environment (code, templates, settings: incremental.environment_digest),
the page's language, the route itself (path, kind, keys, template), what every page shows (the pages of
content/pages in the navigation, the countries the list filters offer) and the digests of its inputs:

- ``entry:<slug>``: everything of one agreement: its record as validated (front matter, body, its
  translations), its two places, its dates from git and its freshness against the reference date;
- ``place:<key>``: a place page: the place, the rows of its ties, and for each area it lies in
  (Catalogue.within) that area and the rows of its ties;
- ``list:<key>``: the first page of one list of agreements (Renderer.list_of): the rows of all its
  entries (it shows the whole list's count and its map's legend counts), and what that kind of list
  adds (a hub's place, a freshness section's reference date);
- ``listpage:<n>|<key>``: page n > 1 of a list: the rows it shows, its list's number of pages and the
  statuses on the list's map (its legend, without counts), and what that kind of list adds. So an
  edit re-renders a list's first page and the pages whose rows it changes, not every page of the list;
- ``places:<code>``: the places of one country (name, level, number of ties); ``places``: every place;
- ``rows``: the rows of every entry (counts, charts, the home page's recent ties and map); ``entries``:
  every entry whole (the catalogue's data files); ``order``: the slugs of every entry, in order (a
  list's filter data names its rows by their position in the list of all agreements);
- ``reference``: the date freshness is judged against; ``page:<slug>``: a page of content/pages.

Data files, feeds and map data are made the same way (Inputs.output): each from the digests it reads.

An entry's *row* is what a list shows of it: its record without the Markdown body, its places and its
freshness. So a body edit changes its entry digest (its own page) and not its row (no list shows
the body), and a status edit changes its row (every list that holds it: their counts change).

Values are digested as pickles made without the pickler's memo (`fast`), so equal values give equal
bytes whatever objects they share; two equal digests mean equal inputs, hence equal pages.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import pickle
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta, timezone

from . import paging
from .dates import Dates
from .freshness import freshness, sections
from .incremental import NOTHING, Previous
from .index import Catalogue
from .model import Agreement, Entry, Page, StaticPage
from .write import Kept

# The fields a list shows of an agreement: all but the Markdown body (only its own page shows that).
ROW_FIELDS = tuple(f.name for f in dataclasses.fields(Agreement) if f.name != "body")


def _timezone(zone: timezone) -> tuple[type[timezone], tuple[timedelta] | tuple[timedelta, str]]:
    return timezone, zone.__getinitargs__()  # type: ignore[attr-defined]  # (offset,) or (offset, name), as pickle


# Pickle reduces a timezone (every date from git is in UTC) through copyreg._slotnames, in Python, each time: it
# cannot cache its answer on a built-in type. This reducer gives the same bytes (test_exports_incremental.py), faster.
_REDUCERS = {**copyreg.dispatch_table, timezone: _timezone}


def pickled(value: object) -> bytes:
    """value's pickle without memo: the same bytes for equal values, however their objects are shared."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: a string seen twice is written twice, so sharing cannot change the bytes
    pickler.dispatch_table = _REDUCERS
    pickler.dump(value)
    return buffer.getvalue()


def _plain_bytes(value: tuple[object, ...]) -> bytes:
    """A route's identity as bytes: its repr when it holds only text, whole numbers, None and tuples of those (a repr
    that tells any two such values apart, and far cheaper than a pickle; every route's is one), else its pickle."""
    if _all_plain(value):
        return repr(value).encode("utf-8", "surrogatepass")
    return b"pickle:" + pickled(value)


def _all_plain(value: tuple[object, ...]) -> bool:
    for item in value:
        kind = type(item)
        if kind is tuple:
            if not _all_plain(item):  # type: ignore[arg-type]  # a tuple, as just checked
                return False
        elif kind is not str and kind is not int and item is not None:
            return False
    return True


def _hash(parts: Iterable[bytes]) -> bytes:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


def _row_fields(agreement: Agreement) -> bytes:
    """The digest of what a list shows of an agreement's own record (all but its body)."""
    return _hash([pickled(tuple(getattr(agreement, name) for name in ROW_FIELDS))])


class Inputs:
    """The digests of one build's route inputs, each computed once when first asked for."""

    def __init__(
        self,
        catalogue: Catalogue,
        dates: Dates,
        static_pages: tuple[StaticPage, ...],
        stale_after_years: int,
        environment: str,
        previous: Previous = NOTHING,
        record_digest: Callable[[Agreement, Callable[[Agreement], bytes]], bytes] | None = None,
    ) -> None:
        """record_digest(agreement, digest): digest(agreement), or what it gave for the same record before (the
        build's parse cache keeps it with the validated record, parsecache.ParseCache.record_digest)."""
        self.catalogue, self.dates, self.stale_after_years = catalogue, dates, stale_after_years
        self._record_digest = record_digest or (lambda agreement, digest: digest(agreement))
        self.environment, self.previous = environment.encode(), previous
        self._entries = {e.agreement.slug: e for e in catalogue.entries}
        self._known: dict[str, bytes] = {}
        self._rows: dict[str, bytes] = {}
        self._mapped: dict[str, bool] = {}
        self._routes: dict[tuple[str, str, tuple[object, ...], str | None], bytes] = {}
        self._by_country: dict[str, list[bytes]] | None = None
        self._sections: dict[str, tuple[Entry, ...]] | None = None
        # What every page shows: the pages of content/pages (navigation), the filters' countries.
        self._every_page = _hash([environment.encode(), pickled(static_pages), pickled(tuple(catalogue.countries))])
        self._static = {page.slug: page for page in static_pages}
        self._kinds: dict[str, Callable[[str], bytes]] = {
            "entry": self._entry,
            "place": self._place,
            "list": self._list,
            "listpage": self._list_page,
            "listshape": self._list_shape,
            "places": self._places_of,
            "page": lambda slug: pickled(self._static[slug]),
        }

    def route(
        self, lang: str, path: str, kind: str, keys: tuple[object, ...], template: str | None, inputs: Iterable[str]
    ) -> str:
        """The digest of one route's output in lang: equal digests, equal bytes."""
        route = (path, kind, keys, template)
        known = self._routes.get(route)  # the same route in every language
        if known is None:
            known = self._routes[route] = _plain_bytes(route)
        parts = [self._every_page, lang.encode(), known]
        parts += [token.encode() + b"\0" + self.of(token) for token in inputs]
        return "inputs:" + _hash(parts).hex()

    def of(self, token: str) -> bytes:
        """The digest of one input (see the module's docstring for the kinds)."""
        known = self._known.get(token)
        if known is None:
            kind, _, key = token.partition(":")
            if not key:
                known = {
                    "rows": self._every_row,
                    "entries": self._every_entry,
                    "order": self._order,
                    "places": self._every_place,
                    "reference": self._reference,
                }[kind]()
            else:
                known = self._kinds[kind](key)
            self._known[token] = known
        return known

    def output(self, path: str, reads: Iterable[bytes], make: Callable[[], bytes]) -> Page | Kept:
        """A file other than a page (data, a feed, map data) made from reads (digests or pickles): Kept,
        without calling make, when the previous site holds it made from the same."""
        digest = "inputs:" + _hash([self.environment, path.encode(), *reads]).hex()
        if self.previous.unchanged(path, digest):
            return Kept(path, digest)
        return Page(path, make(), digest)

    def outputs(self, paths: list[str], reads: Iterable[bytes], make: Callable[[], list[Page]]) -> list[Page | Kept]:
        """Files made together (a sitemap and its parts): all Kept, or all made again."""
        shared = _hash(reads)
        digests = ["inputs:" + _hash([self.environment, path.encode(), shared]).hex() for path in paths]
        if all(self.previous.unchanged(path, digest) for path, digest in zip(paths, digests)):
            return [Kept(path, digest) for path, digest in zip(paths, digests)]
        made = make()
        if [page.path for page in made] != paths:
            raise ValueError(f"expected {paths[:3]}..., made {[page.path for page in made][:3]}...")
        return [Page(page.path, page.content, digest) for page, digest in zip(made, digests)]

    # -- entries --------------------------------------------------------------

    def row(self, entry: Entry) -> bytes:
        """What a list shows of an entry: its record less the body, its places, its freshness."""
        slug = entry.agreement.slug
        known = self._rows.get(slug)
        if known is None:
            fresh = freshness(entry, self.dates.reference, self.stale_after_years)
            fields = self._record_digest(entry.agreement, _row_fields)
            known = _hash([fields, pickled((entry.places, entry.url, fresh))])
            self._rows[slug] = known
        return known

    def rows(self, entries: Iterable[Entry]) -> bytes:
        """The rows of entries, in order (each row's digest is of one length: joined, they tell lists apart)."""
        known, row = self._rows, self.row
        h = hashlib.blake2b(digest_size=20)
        for e in entries:
            digest = known.get(e.agreement.slug)
            h.update(digest if digest is not None else row(e))
        return h.digest()

    def _entry(self, slug: str) -> bytes:
        entry = self._entries[slug]
        rest = (entry.agreement.body, entry.body_html, entry.translations, self.dates.of(slug))
        return _hash([self.row(entry), pickled(rest)])

    def _every_entry(self) -> bytes:
        return _hash(self.of(f"entry:{e.agreement.slug}") for e in self.catalogue.entries)

    def _order(self) -> bytes:
        return pickled(tuple(e.agreement.slug for e in self.catalogue.entries))

    def _every_row(self) -> bytes:
        return self.rows(self.catalogue.entries)

    def _reference(self) -> bytes:
        return pickled(self.dates.reference)

    # -- places ---------------------------------------------------------------

    def _place(self, key: str) -> bytes:
        c = self.catalogue
        group = c.places[key]
        parts = [pickled(group.place), self.rows(group.entries)]
        for area in c.within.get(key, ()):
            parts += [area.encode(), pickled(c.places[area].place), self.rows(c.places[area].entries)]
        return _hash(parts)

    def _place_facts(self) -> dict[str, list[bytes]]:
        """Each country's places as the index and country pages show them: the place, its number of ties, its areas."""
        if self._by_country is None:
            by_country: defaultdict[str, list[bytes]] = defaultdict(list)
            for key, group in self.catalogue.places.items():
                shown = (group.place, len(group.entries), self.catalogue.within.get(key, ()))
                by_country[group.place.country].append(pickled(shown))
            self._by_country = dict(by_country)
        return self._by_country

    def _places_of(self, code: str) -> bytes:
        return _hash(self._place_facts().get(code, []))

    def _every_place(self) -> bytes:
        return _hash(_hash(facts) for _, facts in sorted(self._place_facts().items()))

    # -- lists ----------------------------------------------------------------

    def _members(self, key: str) -> tuple[Sequence[Entry], list[bytes]]:
        """A list's entries (routes.list_input: all, country|JP, term|sectors|health, freshness|stale,
        place|jp/kochi), in order, and the digests of what its kind adds to every page (a freshness
        section's title names the reference year; a hub's list is titled and mapped after the place)."""
        c = self.catalogue
        kind, _, rest = key.partition("|")
        if kind == "all":
            return c.entries, []
        if kind == "country":
            return c.countries[rest], []
        if kind == "term":
            group, term = rest.split("|")
            return {"sectors": c.sectors, "statuses": c.statuses, "kinds": c.kinds}[group][term], []
        if kind == "freshness":
            if self._sections is None:
                self._sections = sections(c, self.dates.reference, self.stale_after_years)
            return self._sections[rest], [self.of("reference")]
        if kind == "place":
            hub = c.places[rest]
            return hub.entries, [pickled(hub.place)]
        raise ValueError(f"no list {key!r}")

    def _list(self, key: str) -> bytes:
        """A list's first page: the rows of all its entries."""
        if key == "all":
            return self.of("rows")
        entries, extra = self._members(key)
        return _hash([*extra, self.rows(entries)])

    def _on_map(self, entry: Entry) -> bool:
        """Whether a party of entry is on the map (so its status is in a map's legend), known once per entry."""
        slug = entry.agreement.slug
        known = self._mapped.get(slug)
        if known is None:
            known = self._mapped[slug] = any(p.on_map for p in entry.places)
        return known

    def _list_shape(self, key: str) -> bytes:
        """What a later page of a list shows of the whole list: its number of pages, and the statuses its map's
        legend names (those of the entries with a party on the map: mapdata.map_records; none, no map)."""
        entries, extra = self._members(key)
        mapped = sorted({e.agreement.status for e in entries if self._on_map(e)})
        return _hash([*extra, pickled((paging.page_count(len(entries)), mapped))])

    def _list_page(self, number_key: str) -> bytes:
        """Page n > 1 of a list (listpage:<n>|<list key>): the rows it shows, and the list's shape."""
        number, _, key = number_key.partition("|")
        n = int(number)
        entries, _ = self._members(key)
        shown = entries[(n - 1) * paging.PAGE_SIZE : n * paging.PAGE_SIZE]
        return _hash([self.of(f"listshape:{key}"), number.encode(), self.rows(shown)])
