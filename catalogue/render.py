"""Catalogue → pages in one language: one function per page kind, each giving its template a small context."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from . import i18n, vocab
from .cite import citations
from .config import Config
from .licence import DATA_LICENCE, SCHEMA_VERSION
from .freshness import expired_entries, freshness, stale_entries, unconfirmed_entries
from .history import History
from .model import PartialDate
from .stats import statistics
from .index import Catalogue
from .mapdata import data_page, data_path, has_map, map_records
from .mapping import STATUS_COLOURS, build_map
from .model import Entry, Page, StaticPage
from .paging import list_data, list_data_path, page_count, page_url, pagers
from .placelists import area_ties, places_index
from .report import agreement_report, place_report
from .views import (
    Group,
    agreement_url,
    country_url,
    entry_view,
    facets,
    off_map_reason,
    place_url,
    source_view,
    status_counts,
    term_url,
)

STATUS_LABELS = {key: term.en for key, term in vocab.STATUSES.items()}


def escaped_gettext(lang: str):
    """gettext and ngettext for templates: the text escaped, then its %(name)s placeholders filled in escaped.

    Jinja's own marks the translation safe as it stands, so a message such as
    'places/<country>/<name>.xml' lost its placeholders as tags, and site settings passed to
    _() (the title, the tagline) went out as raw HTML; a '%' in them broke the build.
    """
    catalogue = i18n.translations(lang)

    def gettext(message: str, **variables) -> Markup:
        text = escape(catalogue.gettext(message))
        return text % variables if variables else text

    def ngettext(singular: str, plural: str, num: int, **variables) -> Markup:
        return escape(catalogue.ngettext(singular, plural, num)) % {"num": num, **variables}

    return gettext, ngettext


def environment(templates: Path, lang: str = "en") -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    gettext, ngettext = escaped_gettext(lang)
    # Added to the environment by the jinja2.ext.i18n extension, so Environment's type does not know it.
    env.install_gettext_callables(gettext, ngettext, newstyle=False)  # type: ignore[attr-defined]  # they escape and format themselves
    env.globals.update(
        status_colours=STATUS_COLOURS,
        status_labels=labels(vocab.STATUSES, lang),
        lang=lang,
        languages=i18n.NAMES,
        licence=DATA_LICENCE,
    )
    return env


def labels(terms: Mapping[str, vocab.Term], lang: str) -> dict[str, str]:
    """A vocabulary's keys → their labels in lang, in vocabulary order (the one way pages label terms)."""
    return {key: i18n.label(term, lang) for key, term in terms.items()}


def root_of(path: str) -> str:
    """The relative way from a page back to the folder its path is relative to."""
    return "../" * path.count("/")


class Renderer:
    """Renders every page of one catalogue in one language with one template environment."""

    def __init__(
        self,
        catalogue: Catalogue,
        config: Config,
        templates: Path,
        static_pages=(),
        lang: str = "en",
        history: History | None = None,
        reference: PartialDate | None = None,
    ):
        self.catalogue = catalogue
        self.config = config
        self.lang = lang
        self.history = history or History()
        self.reference = reference  # "now" for freshness: deterministic, never the clock
        self.env = environment(templates, lang)
        self._ = i18n.gettext_for(lang)
        self.labels = labels(vocab.STATUSES, lang)
        self.static_pages = tuple(static_pages)
        self.views = {
            e.agreement.slug: entry_view(e, lang, reference, config.stale_after_years) for e in catalogue.entries
        }
        # Every value a list filter accepts, so the page can tell a misspelt one from one this list lacks.
        self.filter_choices = {
            "status": self.labels,
            "kind": labels(vocab.KINDS, lang),
            "sector": labels(vocab.SECTORS, lang),
            "country": {code: i18n.country(code, lang) for code in catalogue.countries},
        }

    def output_path(self, path: str) -> str:
        return i18n.prefix(self.lang) + path

    def page(self, path: str, template: str, **context) -> Page:
        """Render a page at path (relative to this language's root)."""
        out = self.output_path(path)
        context.setdefault("map", None)
        context.setdefault("facets", None)
        context.setdefault("filter_choices", self.filter_choices)
        context.setdefault("search_kind", None)  # the label search results give this page; None: not indexed
        # (language, link from this page, address in head: absolute when the site knows where it lives)
        alternates = [
            (
                lang,
                root_of(out) + i18n.prefix(lang) + path,
                self.config.base_url + i18n.prefix(lang) + path
                if self.config.base_url
                else root_of(out) + i18n.prefix(lang) + path,
            )
            for lang in i18n.LANGUAGES
        ]
        html = self.env.get_template(template).render(
            root=root_of(path),
            site_root=root_of(out),
            path=path,
            out_path=out,
            site=self.config,
            static_pages=self.static_pages,
            alternates=alternates,
            canonical=self.config.base_url + out if self.config.base_url else None,
            **context,
        )
        return Page(out, html.encode("utf-8"))

    def entries(self, entries) -> list:
        return [self.views[e.agreement.slug] for e in entries]

    def map_for(self, path: str, entries, height: str = "100%", filters: bool = False, data_of: str | None = None):
        """The map of a page's entries (None when none is on the map); its data is in map/ (catalogue.mapdata),
        in the file of page data_of when the page shows another page's map (a list's later pages)."""
        if not has_map(entries):
            return None
        site = root_of(self.output_path(path))
        return build_map(
            map_records(entries),
            data_url=site + data_path(data_of or path),
            root=root_of(path),
            asset_root=site,
            tiles=self.config.tiles,
            labels=self.labels,
            text=self.map_text(),
            height=height,
            filters=filters,
        )

    def map_text(self) -> dict[str, str]:
        """The map's words in this page's language; {n}, {places} and {mix} are filled in by map.js."""
        _, ngettext = self._, i18n.translations(self.lang).ngettext
        return {
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
                "The map works when the site is served over http(s), for example by “catalogue serve”, not opened as a file."
            ),
        }

    # -- page kinds -----------------------------------------------------------

    def home(self) -> Page:
        c = self.catalogue
        stats = {
            "agreements": len(c.entries),
            "places": sum(1 for p in c.places.values() if vocab.LEVEL_PLACING[p.place.level] != "none"),
            "organisations": sum(1 for p in c.places.values() if vocab.LEVEL_PLACING[p.place.level] == "none"),
            "countries": len(c.countries),
        }
        return self.page(
            "index.html",
            "home.html",
            stats=stats,
            statuses=status_counts(c, self.lang),
            recent=self.entries(c.recent(self.config.recent)),
            map=self.map_for("index.html", c.entries),
        )

    def agreement(self, entry: Entry) -> Page:
        path = entry.url
        out = self.output_path(path)
        updated = self.history.updated(entry.agreement.path)
        citation = citations(
            entry,
            permalink=self.config.base_url + out if self.config.base_url else out,
            version_date=updated.date().isoformat() if updated else None,
            lang=self.lang,
            site_title=self._(self.config.title),
        )
        return self.page(
            path,
            "agreement.html",
            entry=self.views[entry.agreement.slug],
            map=self.map_for(path, [entry]),
            citation=citation,
            freshness=freshness(entry, self.reference, self.config.stale_after_years),
            search_kind=self._("Agreement"),
            report_url=agreement_report(self.config.repository, entry, self.address(out))
            if self.config.repository
            else "",
        )

    def address(self, out: str) -> str:
        """A page as a reader names it in a report: its full address when base_url is set."""
        return self.config.base_url + out if self.config.base_url else out

    def statistics(self) -> Page:
        stats = statistics(
            self.catalogue,
            self.lang,
            self.reference.year if self.reference else None,
            self.config.stale_after_years,
        )
        return self.page("statistics.html", "statistics.html", statistics=stats)

    def freshness_page(self) -> Page:
        c, n = self.catalogue, self.config.stale_after_years
        reference_year = self.reference.year if self.reference else None
        return self.page(
            "freshness.html",
            "freshness.html",
            stale_after_years=n,
            confirmed_since=reference_year - n if reference_year else None,
            stale=self.entries(stale_entries(c, self.reference, n)),
            expired=self.entries(expired_entries(c, self.reference)),
            unconfirmed=self.entries(unconfirmed_entries(c)),
            reference=i18n.date_text(self.reference, self.lang),
        )

    def redirect(self, alias: str, entry: Entry) -> Page:
        """An old address of a renamed or merged entry: a page that sends readers on, marked canonical."""
        return self.page(agreement_url(alias), "redirect.html", entry=self.views[entry.agreement.slug])

    def place(self, key: str) -> Page:
        group = self.catalogue.places[key]
        path = place_url(key)
        place = group.place
        views = self.entries(group.entries)
        areas = area_ties(self.catalogue, key, self.lang)
        every = views + [view for area in areas for view in self.entries(area.entries)]
        return self.page(
            path,
            "place.html",
            place=place,
            country=i18n.country(place.country, self.lang),
            country_url=country_url(place.country),
            level=i18n.label(vocab.LEVELS[place.level], self.lang),
            entries=views,
            facets=facets(every, self.lang),
            areas=[(area, self.entries(area.entries)) for area in areas],
            filtered_count=len(every),
            off_map_reason=off_map_reason(place, self.lang) if not place.on_map else "",
            map=self.map_for(path, group.entries, filters=True) if place.on_map else None,
            search_kind=self._("Place"),
            report_url=place_report(
                self.config.repository, place, self.config.home_country, self.address(self.output_path(path))
            )
            if self.config.repository
            else "",
        )

    def listing(
        self, path: str, title: str, entries, intro: str = "", extra: dict | None = None, search_kind: str | None = None
    ) -> list[Page]:
        """A list of agreements in pages of paging.PAGE_SIZE, with its filter data when it has more than one.

        The filters' counts cover the whole list on every page. Only the first page carries the
        list's extras (a country's places) and is indexed for search: it is the one a reader looks for.
        """
        views = self.entries(entries)
        whole = facets(views, self.lang)
        pages = pagers(path, len(views))
        data = list_data_path(path) if len(pages) > 1 else None
        # The whole list's map on each of its pages, following its filters; pages 2.. sit one folder
        # deeper than the first, so there are at most two versions of it.
        maps: dict[str, object] = {}

        def list_map(page_path: str):
            depth = root_of(page_path)
            if depth not in maps:
                maps[depth] = self.map_for(page_path, entries, filters=True, data_of=data_page(path))
            return maps[depth]

        out = [
            self.page(
                page_url(path, pager.number),
                "listing.html",
                title=title,
                intro=intro,
                entries=views[pager.first_item - 1 : pager.last_item],
                total=len(views),
                facets=whole,
                pager=pager,
                list_data=data,
                map=list_map(page_url(path, pager.number)),
                search_kind=search_kind if pager.number == 1 else None,
                **((extra or {}) if pager.number == 1 else {}),
            )
            for pager in pages
        ]
        if data:
            out.append(Page(self.output_path(data), list_data(views)))
        return out

    def groups(self, path: str, title: str, groups: list[Group], intro: str = "") -> Page:
        return self.page(path, "groups.html", title=title, intro=intro, groups=groups)

    def static(self, page: StaticPage) -> Page:
        body_lang, body_html = page.body_in(self.lang)
        return self.page(
            f"{page.slug}.html",
            "page.html",
            page=page,
            body_html=body_html,
            body_lang=body_lang,
            sources=[source_view(s, self.lang) for s in page.sources],
            search_kind=self._("Page"),
        )

    def all_pages(self):
        """Every page of the site in this language, in a stable order."""
        c, _, lang = self.catalogue, self._, self.lang
        yield self.home()
        yield from self.listing("agreements/index.html", _("All agreements"), c.entries)
        for entry in c.entries:
            yield self.agreement(entry)
        for entry in c.entries:
            for alias in entry.agreement.aliases:
                yield self.redirect(alias, entry)
        yield self.page("places/index.html", "places.html", home=places_index(c, lang, self._))
        for key in c.places:
            yield self.place(key)
        yield self.groups(
            "countries/index.html",
            _("Countries"),
            [
                Group(i18n.country(code, lang), country_url(code), len(entries), code)
                for code, entries in sorted(c.countries.items(), key=lambda kv: (i18n.country(kv[0], lang), kv[0]))
            ],
        )
        for code, entries in c.countries.items():
            yield from self.listing(
                country_url(code),
                i18n.country(code, lang),
                entries,
                extra={"places": self.places_in(code)},
                search_kind=_("Country"),
            )
        for group, title, terms, by_key, kind in (
            ("sectors", _("Sectors"), vocab.SECTORS, c.sectors, _("Sector")),
            ("statuses", _("Status"), vocab.STATUSES, c.statuses, _("Status")),
            ("kinds", _("Kinds of tie"), vocab.KINDS, c.kinds, _("Kind of tie")),
        ):
            yield self.groups(
                f"{group}/index.html",
                title,
                [
                    Group(i18n.label(term, lang), term_url(group, key), len(by_key[key]), i18n.note(term, lang))
                    for key, term in terms.items()
                ],
            )
            for key, term in terms.items():
                yield from self.listing(
                    term_url(group, key), i18n.label(term, lang), by_key[key], i18n.note(term, lang), search_kind=kind
                )
        yield self.statistics()
        yield self.freshness_page()
        yield self.page(
            "open-data.html",
            "open-data.html",
            schema_version=SCHEMA_VERSION,
            example=c.entries[0].agreement.slug if c.entries else None,
        )
        for page in self.static_pages:
            yield self.static(page)

    def page_count(self) -> int:
        """How many pages all_pages() yields, for the progress bar."""
        c = self.catalogue
        groups = [c.entries, *c.countries.values(), *c.sectors.values(), *c.statuses.values(), *c.kinds.values()]
        lists = sum(page_count(len(g)) + (page_count(len(g)) > 1) for g in groups)  # its pages and its filter data
        aliases = sum(len(e.agreement.aliases) for e in c.entries)
        return 1 + len(c.entries) + aliases + 1 + len(c.places) + 1 + lists + 3 + 3 + len(self.static_pages)

    def places_in(self, code: str) -> list[Group]:
        return [
            Group(g.place.name, place_url(key), len(g.entries), i18n.label(vocab.LEVELS[g.place.level], self.lang))
            for key, g in self.catalogue.places.items()
            if g.place.country == code
        ]
