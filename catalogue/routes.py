"""The route table: the set of pages of the site, as data.

Each Route names one output in every language: its language path (catalogue/urls.py), the
page kind that makes it (a Renderer method, render.py), what that kind is given (keys), the
template it renders and the inputs it depends on:

- ``entry:<slug>``: one agreement (its file, its translations, its places, its dates),
- ``place:<key>``: one place page (the place, its ties, the areas it lies in and their ties),
- ``list:<key>``: the first page of a list of agreements (every entry it holds, as a list shows it),
- ``listpage:<n>|<key>``: a later page of a list (the entries it shows; the list's number of pages and map statuses),
- ``places:<code>``, ``places``: the places of a country, every place,
- ``rows``: every entry as a list shows it (counts, charts, the home page); ``order``: every entry's slug, in order,
- ``reference``: the date freshness is judged against; ``page:<slug>``: one page of content/pages.

catalogue/inputs.py gives each a digest; a page whose inputs' digests are those of the page the
previous build made is not made again (render.Renderer.render). Every page also reads the
navigation's pages and the filters' countries; inputs.py adds those to every route.
A page kind that comes to read something new (a template showing another entry's field, a
count) must name it here, or a rebuild keeps its old page: tests/test_incremental.py's random
edits compare rebuilt sites with full builds to catch that.

The build renders the table (site.build), counts it (the progress bar), takes the sitemap from
it (indexable routes) and the navigation (NAVIGATION); validation asks it which slugs are
taken (reserved_slugs). Nothing here imports Jinja: `catalogue check` loads this module.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import datetime

from . import paging, urls, vocab
from .freshness import STALE_AFTER_YEARS, sections
from .index import Catalogue
from .model import PartialDate, StaticPage
from .paging import page_count

ROWS, ORDER, PLACES, REFERENCE = "rows", "order", "places", "reference"

# A list of agreements: ("all",), ("country", code), ("term", group, key), ("freshness", section) or
# ("place", key); see Renderer.list_of.
ListKey = tuple[str, ...]


def entry_input(slug: str) -> str:
    return f"entry:{slug}"


def place_input(key: str) -> str:
    return f"place:{key}"


def page_input(slug: str) -> str:
    return f"page:{slug}"


def list_input(key: ListKey) -> str:
    return "list:" + "|".join(key)


def list_page_input(key: ListKey, number: int) -> str:
    return f"listpage:{number}|" + "|".join(key)


def places_input(code: str) -> str:
    return f"places:{code}"


@dataclass(frozen=True)
class Route:
    """One output of the site, the same in every language (under each language's prefix)."""

    path: str  # the language path it is written to
    kind: str  # the Renderer method that makes it
    keys: tuple[object, ...] = ()  # what that method is given: a slug, a place key, a list and a page number...
    inputs: tuple[str, ...] = (ROWS,)  # what it reads (see the module's docstring)
    template: str | None = None  # None: not a page (a list's filter data)
    indexable: bool = True  # listed in the sitemap (not a redirect, not data)


# The pages every site has, each with its template (the first page of a list is a list route).
FIXED = {
    urls.HOME: ("home", "home.html"),
    urls.PLACES: ("places", "places.html"),
    urls.STATISTICS: ("statistics", "statistics.html"),
    urls.FRESHNESS: ("freshness_page", "freshness.html"),
    urls.OPEN_DATA: ("open_data", "open-data.html"),
}

# The site's navigation, in order: (url_for's arguments, label as written in English for gettext).
NAVIGATION: tuple[tuple[tuple[str, ...], str], ...] = (
    (("agreements",), "Agreements"),
    (("places",), "Places"),
    (("countries",), "Countries"),
    (("group", "sectors"), "Sectors"),
    (("group", "statuses"), "Status"),
    (("group", "kinds"), "Kinds of tie"),
    (("statistics",), "Statistics"),
)


# The pages search indexes (base.html marks them data-pagefind-body, through the search_kind their
# Renderer method gives): agreements, places, the first page of each country, sector, status and kind
# list, and the pages of content/pages (About). As globs of language paths (a * never crosses a /), so
# Pagefind does not even read the rest: later list pages, a country's places, freshness sections, hubs' ties.
SEARCHED = (
    urls.agreement("*"),
    urls.place("*/*"),
    urls.country("*"),
    *(urls.term(group, "*") for group in urls.TERM_GROUPS),
    urls.static("*"),  # also the home, statistics, freshness and open-data pages: read, not indexed
)


def list_routes(path: str, key: ListKey, items: int, inputs: tuple[str, ...] = ()) -> list[Route]:
    """The pages of a list of `items` agreements whose first page is at path, and its filter data when paged.

    inputs: what the first page reads besides the list (a country's places). The first page shows the whole
    list (its count); a later page only its own rows and where it is (inputs.py, listpage)."""
    count = page_count(items)
    first = (list_input(key), *inputs)
    out = [Route(path, "list_page", (key, 1), first, "listing.html")]
    out += [
        Route(urls.page(path, n), "list_page", (key, n), (list_page_input(key, n),), "listing.html")
        for n in range(2, count + 1)
    ]
    if count > 1:
        # A list's filter data is positions in the list of all agreements (paging.list_index): they move with its order.
        data_inputs = (list_input(key),) if key == ("all",) else (list_input(key), ORDER)
        out.append(Route(urls.list_data(path), "list_data", (key,), data_inputs, None, indexable=False))
    return out


def place_list_routes(code: str, places: int) -> list[Route]:
    """The pages of a country's places, when it has more than the places index shows inline (paging.PLACES_INLINE)."""
    if places <= paging.PLACES_INLINE:
        return []
    path = urls.country_places(code)
    return [
        Route(urls.page(path, n), "country_places", (code, n), (places_input(code),), "places-list.html")
        for n in range(1, page_count(places, paging.PLACES_PAGE_SIZE) + 1)
    ]


def route_table(
    catalogue: Catalogue,
    static_pages: tuple[StaticPage, ...] = (),
    reference: PartialDate | datetime.date | None = None,
    stale_after_years: int = STALE_AFTER_YEARS,
) -> tuple[Route, ...]:
    """Every output the renderer makes for one language, in a stable order.

    reference and stale_after_years: what freshness is judged by (Dates.reference, the settings),
    which decides how long the freshness page's sections are."""
    c = catalogue
    table = [Route(urls.HOME, "home", (), (ROWS, PLACES), "home.html")]
    table += list_routes(urls.AGREEMENTS, ("all",), len(c.entries))
    for entry in c.entries:
        slug = entry.agreement.slug
        table.append(Route(urls.agreement(slug), "agreement", (slug,), (entry_input(slug),), "agreement.html"))
    for entry in c.entries:
        slug = entry.agreement.slug
        for alias in entry.agreement.aliases:
            table.append(
                Route(urls.agreement(alias), "redirect", (alias, slug), (entry_input(slug),), "redirect.html", False)
            )
    table.append(Route(urls.PLACES, "places", (), (PLACES,), "places.html"))
    for key, at in c.places.items():
        # A place page lists its ties and those of the areas it lies in (place:<key> covers both).
        table.append(Route(urls.place(key), "place", (key,), (place_input(key),), "place.html"))
        if len(at.entries) > paging.PAGE_SIZE:  # a hub: its page shows the first ties, its list all
            table += list_routes(urls.place_ties(key), ("place", key), len(at.entries))
    table.append(Route(urls.COUNTRIES, "groups", ("countries",), template="groups.html"))
    places_in = Counter(at.place.country for at in c.places.values())
    for code, entries in c.countries.items():
        table += list_routes(urls.country(code), ("country", code), len(entries), (places_input(code),))
        table += place_list_routes(code, places_in[code])
    for group, terms, by_key in (
        ("sectors", vocab.SECTORS, c.sectors),
        ("statuses", vocab.STATUSES, c.statuses),
        ("kinds", vocab.KINDS, c.kinds),
    ):
        table.append(Route(urls.group(group), "groups", (group,), template="groups.html"))
        for key in terms:
            table += list_routes(urls.term(group, key), ("term", group, key), len(by_key[key]))
    for path in (urls.STATISTICS, urls.FRESHNESS, urls.OPEN_DATA):
        kind, template = FIXED[path]
        reads = {urls.STATISTICS: (ROWS, REFERENCE), urls.FRESHNESS: (ROWS, REFERENCE), urls.OPEN_DATA: (ROWS,)}[path]
        table.append(Route(path, kind, (), reads, template))
        if path == urls.FRESHNESS:  # a long section whole, as a list; the page shows its first ties
            for section, entries in sections(c, reference, stale_after_years).items():
                if len(entries) > paging.INLINE:
                    table += list_routes(urls.freshness_list(section), ("freshness", section), len(entries))
    for page in static_pages:
        table.append(Route(urls.static(page.slug), "static", (page.slug,), (page_input(page.slug),), "page.html"))
    return tuple(table)


def reserved_slugs() -> tuple[frozenset[str], frozenset[str]]:
    """(agreement slugs, page slugs) the site's own pages use: no entry or page of content/ may take them."""
    agreements = {p.removeprefix("agreements/").removesuffix(".html") for p in (urls.AGREEMENTS,)}
    pages = {p.removesuffix(".html") for p in FIXED if "/" not in p}
    return frozenset(agreements), frozenset(pages)
