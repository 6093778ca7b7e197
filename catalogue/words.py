"""The words the site's scripts show, one file per language (assets/words.<lang>.js), loaded once.

Every page with list filters or a map used to carry these words itself (in the filter form's
attributes and the map's config), and every page the search box's: the same few kilobytes on tens
of thousands of pages, the filters' country names growing with the catalogue. Now every page names
its language's file and the scripts (filters, map, copy buttons, search box) read
window.CATALOGUE_WORDS. The words are gettext's, as
the templates' were (the same msgids), filled with {placeholders} the scripts fill in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from . import cite, i18n, urls, vocab
from .model import Page


def path(lang: str) -> str:
    """The site path of a language's words file."""
    return urls.asset(f"words.{lang}.js")


def filter_words(lang: str, countries: Iterable[str]) -> dict[str, object]:
    """What assets/filters.js says and the valid value of each facet, with its label.

    choices: every value a filter accepts (the vocabularies and the catalogue's countries), so a
    value this list lacks shows an empty list and a misspelt one is named as unknown."""
    _ = i18n.gettext_for(lang)
    return {
        "count": _("Agreements shown: %(shown)s of %(total)s") % {"shown": "{shown}", "total": "{total}"},
        "facets": {"status": _("Status"), "kind": _("Kind"), "sector": _("Sector"), "country": _("Country")},
        "unknown": _("“%(value)s” is not a known %(facet)s, so it filters nothing. Choose one of:")
        % {"value": "{value}", "facet": "{facet}"},
        "empty": _("No agreement in this list matches these filters."),
        "clear": _("Clear the filters"),
        "all": _("all"),
        "more": _("Show %(n)s more") % {"n": "{n}"},
        "since": _("since %(date)s") % {"date": "{date}"},
        "noSince": _("start date not stated"),
        "unavailable": _("The whole list could not be loaded, so it is not filtered here."),
        "choices": {
            "status": labels(vocab.STATUSES, lang),
            "kind": labels(vocab.KINDS, lang),
            "sector": labels(vocab.SECTORS, lang),
            "country": {code: i18n.country(code, lang) for code in sorted(countries)},
        },
    }


def copy_words(lang: str) -> dict[str, str]:
    """What assets/copy.js says: each copy button of the cite box, and what it did; the notes a source's
    BibTeX and CSL-JSON carry (cite.SOURCE_WORDS, as cite.py says them), and why they are missing."""
    _ = i18n.gettext_for(lang)
    return {
        "text": _("Copy the citation"),
        "bibtex": _("Copy the BibTeX entry"),
        "csl": _("Copy the CSL-JSON"),
        "copied": _("Copied."),
        "selected": _("Selected: press Ctrl+C (⌘C on a Mac) to copy."),
        **{key: _(text) for key, text in cite.SOURCE_WORDS.items()},
        "unavailable": _(
            "BibTeX and CSL-JSON are made from the entry's data, which a page opened as a file cannot load: "
            "serve the site over http(s), for example by “catalogue serve”."
        ),
    }


def search_words(lang: str) -> dict[str, str]:
    """What assets/search.js says: the box's name, and how to search a site opened as a file (where it cannot)."""
    _ = i18n.gettext_for(lang)
    return {
        "label": _("Search the catalogue"),
        "file": _(
            "Search works when the site is served over http(s), for example by “catalogue serve”, not opened as a "
            "file; the lists under Agreements, Places and Countries work either way."
        ),
    }


def map_words(lang: str) -> dict[str, object]:
    """The map's words (assets/map.js): {n}, {places}, {name}, {ties} and {mix} are filled in there.

    labels: each status's word, in vocabulary order (the map data's status indexes); legend: what
    the map draws, added after a map's status counts once the map is drawn."""
    _, ngettext = i18n.gettext_for(lang), i18n.translations(lang).ngettext
    return {
        "labels": list(labels(vocab.STATUSES, lang).values()),
        "placeOne": ngettext("{n} place", "{n} places", 1),
        "placeOther": ngettext("{n} place", "{n} places", 2),
        "tieOne": ngettext("{n} tie", "{n} ties", 1),
        "tieOther": ngettext("{n} tie", "{n} ties", 2),
        "cluster": _("{places}, with ties: {mix}"),
        "place": _("{name}, {ties}: {mix}"),
        "partner": _("partner"),
        "statuses": _("Statuses"),
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        "close": _("Close"),
        "lines": _("Select a place to see the lines to its partners."),
        "offline": _("Map tiles could not be loaded: showing the built-in outline of the land and borders."),
        "unavailable": _("The map data could not be loaded; every tie is also in the lists."),
        "file": _(
            "The map works when the site is served over http(s), for example by “catalogue serve”, not opened as "
            "a file."
        ),
        "legend": _(
            "Each circle is a place: the number is its ties, the ring their statuses. A circle with a thick border "
            "holds several places: the number is its places, the ring the statuses of their ties. A line joins the "
            "places of a tie, or all the ties of one status between two such groups, thicker the more it holds. Use "
            "the box on the map to show or hide each status."
        ),
    }


def labels(terms: Mapping[str, vocab.Term], lang: str) -> dict[str, str]:
    """A vocabulary's keys → their labels in lang, in vocabulary order (the one way pages and scripts label terms)."""
    return {key: i18n.label(term, lang) for key, term in terms.items()}


def words_script(lang: str, countries: Iterable[str]) -> bytes:
    """A language's words file: one assignment of plain JSON, the same bytes for the same words."""
    words = {
        "filters": filter_words(lang, countries),
        "map": map_words(lang),
        "copy": copy_words(lang),
        "search": search_words(lang),
    }
    text = json.dumps(words, ensure_ascii=False, sort_keys=True, indent=None, separators=(",", ":"))
    return f"window.CATALOGUE_WORDS = {text};\n".encode("utf-8")


def words_pages(languages: Iterable[str], countries: Iterable[str]) -> list[Page]:
    """One words file per language the site is built in."""
    codes = sorted(countries)
    return [Page(path(lang), words_script(lang, codes)) for lang in languages]
