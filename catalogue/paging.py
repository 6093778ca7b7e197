"""Long lists split into pages a reader can open: one page size, stable page addresses.

Page 1 keeps the list's own address (countries/jp.html); page n > 1 lives in a folder named after
it (countries/jp/2.html), so links made before the list was paginated still lead to its start. A
list that is a folder's index (agreements/index.html) puts its pages in page/ (agreements/page/2.html):
agreements/2.html could be an agreement's own page, while no file can be named like a folder.
The addresses are made by urls.page and urls.list_data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from . import urls
from .views import EntryView, ListRow

PAGE_SIZE = 100  # agreements per list page: a page stays far below 300 KB at any catalogue size
# Ties a summary page shows of a section before linking to the section's own list of pages
# (each of the freshness page's sections; each area a place lies in, on the place's page).
INLINE = 25
# Places a country shows on the places index and on its own list page before linking to its pages
# of places instead: the index has a heading for every country (about 200 in the world), so at most
# some 2,000 lines however many places there are.
PLACES_INLINE = 10
PLACES_PAGE_SIZE = 200  # places per page of a country's places (a line each: far smaller than an agreement's)


def page_count(items: int, size: int | None = None) -> int:
    """How many pages a list of `items` needs, `size` a page (PAGE_SIZE); an empty list still has its first page."""
    return max(1, -(-items // (size or PAGE_SIZE)))


@dataclass(frozen=True)
class Pager:
    """Where one page sits in its list, for the template's links (URLs relative to the language root)."""

    number: int
    count: int
    first_item: int  # 1-based position of the page's first agreement in the whole list
    last_item: int
    total: int
    prev_url: str | None
    next_url: str | None
    urls: tuple[str, ...]  # every page's address, in order

    def nearby(self) -> list[tuple[int, str] | None]:
        """The pages a pager links to: the first, the last and two either side of this one; None for a gap."""
        keep = {1, self.count, *range(self.number - 2, self.number + 3)}
        out: list[tuple[int, str] | None] = []
        for n in range(1, self.count + 1):
            if n in keep:
                out.append((n, self.urls[n - 1]))
            elif out and out[-1] is not None:
                out.append(None)
        return out


def pagers(path: str, total: int, size: int | None = None) -> list[Pager]:
    """One Pager per page of a list of `total` items whose first page is at `path`, `size` a page (PAGE_SIZE)."""
    size = size or PAGE_SIZE
    count = page_count(total, size)
    addresses = tuple(urls.page(path, n) for n in range(1, count + 1))
    return [
        Pager(
            number=n,
            count=count,
            first_item=min(total, (n - 1) * size + 1),
            last_item=min(total, n * size),
            total=total,
            prev_url=addresses[n - 2] if n > 1 else None,
            next_url=addresses[n] if n < count else None,
            urls=addresses,
        )
        for n in range(1, count + 1)
    ]


def facet_counts(facets: Mapping[str, list[tuple[str, str, int]]]) -> dict[str, list[list[str | int]]]:
    """views.facets without the labels (filters.js has them from the words file): facet → [[key, count], ...],
    in the order the selects show them."""
    return {name: [[key, count] for key, _label, count in values] for name, values in facets.items()}


def list_data(
    views: Iterable[EntryView | ListRow], facets: Mapping[str, list[tuple[str, str, int]]] | None = None
) -> bytes:
    """A whole list as filters.js reads it: one row per agreement, labels left to the page's filter choices.

    Row: [url, title, status, kind, sector keys, country codes, since, as_of, badge text, stale]
    (dates as the page writes them, or null; the badge's words as the page's list shows them, with
    the evidence year). Compact JSON on one line: it is fetched only when a reader filters. With facets
    (views.facets of the list): the whole list's counts, from which filters.js makes the selects.
    """
    rows = [
        [
            v.url,
            v.title,
            v.status,
            v.kind_key,
            list(v.sector_keys),
            list(v.countries),
            v.since,
            v.as_of,
            v.badge_text,
            v.stale,
        ]
        for v in views
    ]
    data: dict[str, object] = {"total": len(rows), "rows": rows}
    if facets is not None:
        data["facets"] = facet_counts(facets)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def list_index(members: list[int], rows_at: str, facets: Mapping[str, list[tuple[str, str, int]]]) -> bytes:
    """A list's filter data as positions in the whole catalogue's rows (list_data of all agreements, at the
    language path rows_at), not a copy of them, with the whole list's facet counts.

    Each agreement is in some eight lists (all, two countries, its sectors, status, kind...): with its
    row copied into each, these files were a tenth of a 25k site. filters.js fetches the list of all
    agreements once (the browser keeps it for every other list) and picks these rows from it, in this order.
    """
    data = {"total": len(members), "facets": facet_counts(facets), "in": rows_at, "of": members}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
