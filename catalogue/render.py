"""Catalogue → pages: one function per page kind, each giving its template a small context."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import countries, vocab
from .config import Config
from .index import Catalogue
from .mapping import STATUS_COLOURS, PlacePoint, Tie, TieLine, build_map
from .model import Entry
from .views import Group, country_url, entry_view, place_url, source_view, status_counts, term_url

STATUS_LABELS = {key: term.en for key, term in vocab.STATUSES.items()}


@dataclass(frozen=True)
class Page:
    """One file of the site: its path under site/ and its bytes."""

    path: str
    content: bytes


@dataclass(frozen=True)
class StaticPage:
    """A page written in content/pages/ (About), already rendered and sanitised."""

    slug: str
    title: str
    body_html: str
    sources: tuple = ()


def environment(templates: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_null_translations(newstyle=True)  # interface strings are marked _() for translation
    env.globals.update(status_colours=STATUS_COLOURS, status_labels=STATUS_LABELS)
    return env


def root_of(path: str) -> str:
    """The relative way from a page back to the site root, so the site works from any folder."""
    return "../" * path.count("/")


class Renderer:
    """Renders every page of one catalogue with one template environment."""

    def __init__(self, catalogue: Catalogue, config: Config, templates: Path, static_pages=()):
        self.catalogue = catalogue
        self.config = config
        self.env = environment(templates)
        self.static_pages = tuple(static_pages)
        self.views = {e.agreement.slug: entry_view(e) for e in catalogue.entries}

    def page(self, path: str, template: str, **context) -> Page:
        root = root_of(path)
        context.setdefault("map", None)
        html = self.env.get_template(template).render(
            root=root, path=path, site=self.config, static_pages=self.static_pages, **context
        )
        return Page(path, html.encode("utf-8"))

    def entries(self, entries) -> list:
        return [self.views[e.agreement.slug] for e in entries]

    def map_for(self, path: str, entries, height: str = "100%"):
        points, lines = map_records(entries)
        if not points:
            return None
        return build_map(points, lines, root=root_of(path), tiles=self.config.tiles, labels=STATUS_LABELS, height=height)

    # -- page kinds -----------------------------------------------------------

    def home(self) -> Page:
        c = self.catalogue
        stats = {
            "agreements": len(c.entries),
            "places": sum(1 for p in c.places.values() if vocab.LEVEL_PLACING[p.place.level] != "none"),
            "organisations": sum(1 for p in c.places.values() if vocab.LEVEL_PLACING[p.place.level] == "none"),
            "countries": len(c.countries),
            "on_map": sum(1 for p in c.places.values() if p.place.on_map),
        }
        return self.page(
            "index.html", "home.html", stats=stats, statuses=status_counts(c),
            recent=self.entries(c.recent(self.config.recent)), map=self.map_for("index.html", c.entries),
        )

    def agreement(self, entry: Entry) -> Page:
        path = entry.url
        return self.page(path, "agreement.html", entry=self.views[entry.agreement.slug], map=self.map_for(path, [entry]))

    def place(self, key: str) -> Page:
        group = self.catalogue.places[key]
        path = place_url(key)
        place = group.place
        return self.page(
            path, "place.html", place=place, country=countries.name(place.country), country_url=country_url(place.country),
            level=vocab.LEVELS[place.level].en, entries=self.entries(group.entries), map=self.map_for(path, group.entries),
        )

    def listing(self, path: str, title: str, entries, intro: str = "", extra: dict | None = None) -> Page:
        return self.page(path, "listing.html", title=title, intro=intro, entries=self.entries(entries), **(extra or {}))

    def groups(self, path: str, title: str, groups: list[Group], intro: str = "") -> Page:
        return self.page(path, "groups.html", title=title, intro=intro, groups=groups)

    def static(self, page: StaticPage) -> Page:
        return self.page(f"{page.slug}.html", "page.html", page=page, sources=[source_view(s) for s in page.sources])

    def page_count(self) -> int:
        """How many pages all_pages() yields, for the progress bar."""
        c = self.catalogue
        lists = len(c.countries) + len(c.sectors) + len(c.statuses) + len(c.kinds)
        return 2 + len(c.entries) + 1 + len(c.places) + 1 + lists + 3 + len(self.static_pages)

    def all_pages(self):
        """Every page of the site, in a stable order."""
        c = self.catalogue
        yield self.home()
        yield self.listing("agreements/index.html", "All agreements", c.entries)
        for entry in c.entries:
            yield self.agreement(entry)
        yield self.groups("places/index.html", "Places", [
            Group(f"{g.place.name}", place_url(key), len(g.entries), f"{countries.name(g.place.country)} · {vocab.LEVELS[g.place.level].en}")
            for key, g in sorted(c.places.items(), key=lambda kv: (kv[1].place.name.casefold(), kv[0]))
        ], "Every party to an agreement in the catalogue, both the Indonesian side and its partners.")
        for key in c.places:
            yield self.place(key)
        yield self.groups("countries/index.html", "Countries", [
            Group(countries.name(code), country_url(code), len(entries), code)
            for code, entries in sorted(c.countries.items(), key=lambda kv: countries.name(kv[0]))
        ])
        for code, entries in c.countries.items():
            yield self.listing(country_url(code), countries.name(code), entries, extra={"places": self.places_in(code)})
        for group, title, terms, by_key in (
            ("sectors", "Sectors", vocab.SECTORS, c.sectors),
            ("statuses", "Status", vocab.STATUSES, c.statuses),
            ("kinds", "Kinds of tie", vocab.KINDS, c.kinds),
        ):
            yield self.groups(f"{group}/index.html", title, [
                Group(term.en, term_url(group, key), len(by_key[key]), term.note) for key, term in terms.items()
            ])
            for key, term in terms.items():
                yield self.listing(term_url(group, key), term.en, by_key[key], term.note, extra={"term": term, "group": group})
        for page in self.static_pages:
            yield self.static(page)

    def places_in(self, code: str) -> list[Group]:
        return [
            Group(g.place.name, place_url(key), len(g.entries), vocab.LEVELS[g.place.level].en)
            for key, g in self.catalogue.places.items() if g.place.country == code
        ]


def map_records(entries) -> tuple[list[PlacePoint], list[TieLine]]:
    """Entries → one point per located place and status, one line per tie with both ends located."""
    ties_at: dict[tuple[str, str], list[Tie]] = defaultdict(list)
    places = {}
    lines = []
    for entry in entries:
        a = entry.agreement
        tie = Tie(a.display_title, entry.url, a.status)
        for place in entry.places:
            if place.on_map:
                places[place.key] = place
                ties_at[(place.key, a.status)].append(tie)
        first, second = entry.places
        if first.on_map and second.on_map:
            lines.append(TieLine((first.lat, first.lon), (second.lat, second.lon), tie))
    points = [
        PlacePoint(places[key].lat, places[key].lon, places[key].name, place_url(key), status, tuple(ties))
        for (key, status), ties in sorted(ties_at.items())
    ]
    return points, lines
