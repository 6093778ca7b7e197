"""Every path of the site is made here, and only here: pages, lists and their pages, data, feeds, assets.

Two kinds of path:

- a *language path* is relative to a language's root ('' for the first of the site's languages,
  '<code>/' for the others: 'en/' for English; see i18n.Language.prefix):
  agreements/x.html, places/jp/kochi.xml. Pages, lists, list data and feeds are language paths.
- a *site path* is relative to the site root, the same for every language: assets/site.css,
  data/catalogue.json, agreements/x.json, map/index.json, pagefind/...

`site_path(kind, *keys, lang=...)` gives either from the site root. Templates call `url_for`
(render.url_for, which asks site_path) and never join a path by hand; tests/test_urls.py
holds them to that. Nothing here imports Jinja: `catalogue check` loads this module.
"""

from __future__ import annotations

from typing import Callable

from .i18n import Language, prefix, table

# -- language paths ---------------------------------------------------------------

HOME = "index.html"
AGREEMENTS = "agreements/index.html"
PLACES = "places/index.html"
COUNTRIES = "countries/index.html"
STATISTICS = "statistics.html"
FRESHNESS = "freshness.html"
OPEN_DATA = "open-data.html"
FEED = "feed.xml"
TERM_GROUPS = ("sectors", "statuses", "kinds")  # a vocabulary's lists live under its group's folder


def agreement(slug: str) -> str:
    return f"agreements/{slug}.html"


def place(key: str) -> str:
    return f"places/{key}.html"


def place_feed(key: str) -> str:
    """A place's Atom feed: places/jp/kochi.xml beside places/jp/kochi.html."""
    return f"places/{key}.xml"


def country(code: str) -> str:
    return f"countries/{code.lower()}.html"


def group(name: str) -> str:
    """The index of a vocabulary's lists: sectors/index.html."""
    return f"{name}/index.html"


def term(group: str, key: str) -> str:
    return f"{group}/{key}.html"


def static(slug: str) -> str:
    """A page of content/pages (about.html)."""
    return f"{slug}.html"


def freshness_list(section: str) -> str:
    """A section of the freshness page as a list of its own (freshness/stale.html); its pages in freshness/stale/."""
    return f"freshness/{section}.html"


def country_places(code: str) -> str:
    """Every place of a country, in pages (countries/jp/places.html; its pages in countries/jp/places/):
    a list's numbered pages (countries/jp/2.html) never take a name that is not a number."""
    return f"countries/{code.lower()}/places.html"


def place_ties(key: str) -> str:
    """Every tie of a place with more than a page of them, in pages (places/jp/kochi/ties.html):
    a place key is <country>/<slug>, so no place's own page is named like this."""
    return f"places/{key}/ties.html"


def page(path: str, number: int) -> str:
    """Page `number` (1-based) of the list whose first page is `path` (see catalogue/paging.py).

    Page 1 keeps the list's own address; page n > 1 lives in a folder named after it
    (countries/jp/2.html), or in page/ for a list that is a folder's index (agreements/page/2.html).
    """
    if number == 1:
        return path
    if path == "index.html" or path.endswith("/index.html"):
        return f"{path.removesuffix('index.html')}page/{number}.html"
    return f"{path.removesuffix('.html')}/{number}.html"


def list_data(path: str) -> str:
    """The filter data of the list whose first page is `path`."""
    return "lists/" + path.removesuffix(".html") + ".json"


# -- site paths ---------------------------------------------------------------------

CATALOGUE_JSON = "data/catalogue.json"
CATALOGUE_CSV = "data/catalogue.csv"
CATALOGUE_GEOJSON = "data/catalogue.geojson"
SITEMAP = "sitemap.xml"


def agreement_json(slug: str) -> str:
    """One agreement's data, beside its Indonesian page; one file for every language."""
    return f"agreements/{slug}.json"


def map_data(page_path: str) -> str:
    """The data of the map on the page at page_path (a language path); shared by every language."""
    return "map/" + page_path.removesuffix(".html") + ".json"


def asset(name: str) -> str:
    return f"assets/{name}"


def search(name: str) -> str:
    """A file of the search bundle Pagefind writes."""
    return f"pagefind/{name}"


def sitemap_part(number: int) -> str:
    return f"sitemap-{number}.xml"


# -- languages ----------------------------------------------------------------------


def in_language(path: str, lang: str) -> str:
    """A language path from the site root (lang: a row of the site's locale table, or a default language's code)."""
    return prefix(lang) + path


def without_language(site: str, languages: tuple[Language, ...] | None = None) -> str:
    """The language path of a page's path from the site root (en/x.html → x.html)."""
    for lang in languages or table():
        if lang.prefix and site.startswith(lang.prefix):
            return site.removeprefix(lang.prefix)
    return site


def root_of(path: str) -> str:
    """The relative way from a file back to the folder its path is relative to."""
    return "../" * path.count("/")


# -- by name, for templates ---------------------------------------------------------

_FIXED = {
    "home": HOME,
    "agreements": AGREEMENTS,
    "places": PLACES,
    "countries": COUNTRIES,
    "statistics": STATISTICS,
    "freshness": FRESHNESS,
    "open_data": OPEN_DATA,
    "feed": FEED,
}
LANGUAGE_PATHS: dict[str, Callable[..., str]] = {
    **{name: (lambda path=path: path) for name, path in _FIXED.items()},
    "agreement": agreement,
    "place": place,
    "place_feed": place_feed,
    "country": country,
    "group": group,
    "term": term,
    "static": static,
    "freshness_list": freshness_list,
    "country_places": country_places,
    "place_ties": place_ties,
    "page": page,
    "list_data": list_data,
    "path": lambda path: path,  # a language path a view record already holds (EntryView.url)
}
SITE_PATHS: dict[str, Callable[..., str]] = {
    "catalogue_json": lambda: CATALOGUE_JSON,
    "catalogue_csv": lambda: CATALOGUE_CSV,
    "catalogue_geojson": lambda: CATALOGUE_GEOJSON,
    "agreement_json": agreement_json,
    "map_data": map_data,
    "asset": asset,
    "search": search,
}


def site_path(kind: str, *keys: str | int, lang: str | None = None) -> str:
    """The path from the site root of `kind` (a name in LANGUAGE_PATHS or SITE_PATHS) made from keys;
    a language path in lang, by default the language at the site root."""
    if kind in LANGUAGE_PATHS:
        return in_language(LANGUAGE_PATHS[kind](*keys), table()[0] if lang is None else lang)
    if kind in SITE_PATHS:
        return SITE_PATHS[kind](*keys)
    raise KeyError(f"no kind of path named {kind!r}; the kinds are {', '.join(sorted({*LANGUAGE_PATHS, *SITE_PATHS}))}")
