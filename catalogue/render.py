"""Catalogue → pages in one language: one function per page kind, each giving its template a small context."""

from __future__ import annotations

import hashlib
import marshal
import os
import shutil
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from types import BuiltinFunctionType, CodeType, FunctionType, MethodType
from typing import Any, TypeVar

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    pass_context,
)
from jinja2.bccache import Bucket
from jinja2.runtime import Context, Macro
import markupsafe
from markupsafe import Markup, escape

from . import i18n, urls, vocab
from .cite import plain_citation
from .config import Config
from .dates import Dates
from .incremental import NOTHING, Previous, code_digest
from .inputs import Inputs
from .licence import DATA_LICENCE, SCHEMA_VERSION
from . import paging
from .freshness import freshness, sections
from .stats import statistics
from .index import Catalogue
from .mapdata import data_page, shared_maps
from .mapping import MapParts, build_map
from .model import Entry, Page, StaticPage
from .problems import RenderError
from .paging import Pager, list_data, list_index, pagers
from .placelists import area_ties, places_index
from .report import agreement_report, place_report
from .rows import Rows
from .routes import NAVIGATION, ListKey, Route
from .words import labels
from .write import Kept
from .xmlout import escape_text
from .views import (
    Group,
    ListRow,
    entry_view,
    facets,
    off_map_reason,
    source_view,
    status_counts,
)

T = TypeVar("T")

STATUS_LABELS = {key: term.labels["en"] for key, term in vocab.STATUSES.items()}


def text_escape(value: object) -> Markup:
    """Text for an element's content: only &, < and > escaped (xmlout's rule), since quotes need no escaping
    there: the cite box's citation, full of quotes, reads as written in the page's source. Never for an
    attribute's value."""
    return Markup(escape_text(str(value)))


def escaped_gettext(lang: str) -> tuple[Callable[..., Markup], Callable[..., Markup]]:
    """gettext and ngettext for templates: the text escaped, then its %(name)s placeholders filled in escaped.

    Jinja's own marks the translation safe as it stands, so a message such as
    'places/<country>/<name>.xml' lost its placeholders as tags, and site settings passed to
    _() (the title, the tagline) went out as raw HTML; a '%' in them broke the build.
    """
    catalogue = i18n.translations(lang)

    known: dict[str, Markup] = {}  # a page calls _() for the same few hundred messages again and again

    def gettext(message: str, **variables: object) -> Markup:
        text = known.get(message)
        if text is None:
            text = known[message] = escape(catalogue.gettext(message))
        return text % variables if variables else text

    def ngettext(singular: str, plural: str, num: int, **variables: object) -> Markup:
        return escape(catalogue.ngettext(singular, plural, num)) % {"num": num, **variables}

    return gettext, ngettext


class CompiledTemplates(BytecodeCache):
    """Templates Jinja has compiled, kept for the life of the process by name and source checksum,
    and between builds in a folder of the build's state (`keep_in`, `save`).

    Every build made a new environment per language, so each compiled all templates again
    (about a third of a rebuild in `catalogue serve` on the shipped catalogue). Compiled code
    does not depend on the language (translations and globals are looked up when a page
    renders), and an edited template has a new checksum, so it is compiled afresh.

    A build process compiling the templates again was a third of a one-entry rebuild of the shipped
    catalogue, so the code is also kept on disk, beside the site (never in it): one file per
    template, holding the checksum of the source it was compiled from, in a folder named by what
    else shapes compiled code (`compiled_key`: Python, Jinja and MarkupSafe versions, this package's
    code, where the environment's options and filters are set). A file that does not match is
    compiled again, as is one that cannot be read.
    """

    def __init__(self) -> None:
        self.code: dict[str, tuple[str, CodeType | None]] = {}
        self.folder: Path | None = None  # where compiled templates are kept between builds
        self.kept: dict[str, str] = {}  # key → checksum of what the folder holds, as far as known here
        self.used: set[str] = set()  # keys this build asked for, kept by save()

    def keep_in(self, folder: Path | None) -> None:
        """Read compiled templates from folder, and save() there the ones asked for; None: only in memory."""
        if folder != self.folder:
            self.folder, self.kept = folder, {}
        self.used = set()

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.code.get(bucket.key)
        if (found is None or found[0] != bucket.checksum) and self.folder is not None:
            found = _read_compiled(self.folder / bucket.key)
            if found is not None:
                self.code[bucket.key] = found
                self.kept[bucket.key] = found[0]
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]
            self.used.add(bucket.key)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = (bucket.checksum, bucket.code)
        self.used.add(bucket.key)

    def save(self) -> None:
        """Write the templates asked for since keep_in that the folder does not hold as compiled, each file
        whole (renamed into place); the folders of other keys (an older Python, Jinja or package) go. A folder
        that cannot be written is left: the templates are compiled again next time."""
        folder = self.folder
        if folder is None:
            return
        try:
            for key in sorted(self.used):
                checksum, code = self.code[key]
                if code is None or self.kept.get(key) == checksum:
                    continue
                folder.mkdir(parents=True, exist_ok=True)
                temporary = folder / f".{key}.new-{os.getpid()}"
                temporary.write_bytes(marshal.dumps((COMPILED_FORMAT, checksum, code)))
                os.replace(temporary, folder / key)
                self.kept[key] = checksum
            for other in folder.parent.iterdir() if folder.is_dir() else ():
                if other != folder and other.is_dir() and not other.is_symlink():
                    shutil.rmtree(other, ignore_errors=True)
        except OSError:
            return


COMPILED_FORMAT = 1  # bump when the layout of a compiled template's file changes


def _read_compiled(path: Path) -> tuple[str, CodeType] | None:
    """(checksum, code) from a file CompiledTemplates.save wrote; None if it is missing or not such a file."""
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if (
        isinstance(data, tuple)
        and len(data) == 3
        and data[0] == COMPILED_FORMAT
        and isinstance(data[1], str)
        and isinstance(data[2], CodeType)
    ):
        return data[1], data[2]
    return None


def compiled_key() -> str:
    """What compiled template code depends on besides each template's source: Python (the code's format),
    Jinja and MarkupSafe, and this package's code (the environment's options and filters, which
    Jinja's optimiser may call on constants while compiling)."""
    h = hashlib.sha256(f"{sys.version} {sys.implementation.cache_tag}".encode())
    h.update(f" jinja2 {metadata.version('jinja2')} markupsafe {metadata.version('markupsafe')} ".encode())
    h.update(code_digest().encode())
    return h.hexdigest()[:32]


def compiled_folder(state: Path) -> Path:
    """Where compiled templates are kept in a build's state folder (beside the site it made)."""
    return state / "templates" / compiled_key()


COMPILED = CompiledTemplates()


# What a page's rendering spends in Jinja's runtime rather than in the page (a profile at 5k pairs: a third of
# rendering): every {{ value }} goes through markupsafe.escape, every call in a template (_(), url_for, a macro)
# through Context.call, and every render copies the template's globals out of a ChainMap. The three below do
# the same work with less Python around it; the pages are the same bytes (tests/test_render.py compares them
# with Jinja's own runtime).

# markupsafe's escaping of a str (its C speedup), as escape calls it; escape itself where a version lacks it.
_escape_inner: Callable[[str], str] = getattr(markupsafe, "_escape_inner", None) or (lambda text: str(escape(text)))
_markup = str.__new__  # str.__new__(Markup, text): the Markup Markup(text) makes, without its __html__ check


def fast_escape(value: object) -> Markup:
    """markupsafe.escape, the same result: text is escaped, Markup passes as it is, anything else as escape does."""
    kind = type(value)
    if kind is str:
        return _markup(Markup, _escape_inner(value))  # type: ignore[arg-type]  # kind is str
    if kind is Markup:
        return value  # type: ignore[return-value]  # kind is Markup
    return escape(value)


# Callables whose own __call__ cannot carry Jinja's pass_context mark (Context.call looks there first): for
# these, the mark is on the object itself or nowhere.
_PLAIN_CALLABLES = frozenset({FunctionType, MethodType, BuiltinFunctionType, Macro})
# What url_for reads of the context: a loop or block variable of another name does not change its answer.
_URL_FOR_READS = frozenset({"site_root", "root", "lang", "languages"})


class PageContext(Context):
    """Jinja's Context with a shorter way through call() for what templates call most (_(), url_for, macros,
    methods): the same callable called with the same arguments, the same context passed to what asks for it.

    Jinja derives a new context (a copy of every variable) for each call of a pass_context function inside a
    loop or block, so the function sees the loop's variables; url_for reads four names, so a context is
    derived for it only when the loop or block sets one of them."""

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805  # Jinja's names
        if type(__obj) not in _PLAIN_CALLABLES:
            return Context.call(__self, __obj, *args, **kwargs)
        pass_arg = getattr(__obj, "jinja_pass_arg", None)
        loop_vars = kwargs.pop("_loop_vars", None) if kwargs else None
        block_vars = kwargs.pop("_block_vars", None) if kwargs else None
        if pass_arg is not None:
            if (
                __obj is not url_for
                or (loop_vars and not _URL_FOR_READS.isdisjoint(loop_vars))
                or (block_vars and not _URL_FOR_READS.isdisjoint(block_vars))
            ):
                if loop_vars:
                    kwargs["_loop_vars"] = loop_vars
                if block_vars:
                    kwargs["_block_vars"] = block_vars
                return Context.call(__self, __obj, *args, **kwargs)
            args = (__self, *args)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


class PageTemplate(Template):
    """A template whose {{ value }} is escaped by fast_escape (its compiled code looks `escape` up in its module)."""

    @classmethod
    def _from_namespace(cls, environment: Environment, namespace: Any, globals: Any) -> Template:
        namespace["escape"] = fast_escape
        return super()._from_namespace(environment, namespace, globals)


class PageEnvironment(Environment):
    """The environment pages are rendered with: PageContext, PageTemplate, and each template's globals one plain
    dict (every global is set before the first template loads; a ChainMap was copied key by key at every render
    and every import of macros.html)."""

    context_class = PageContext
    template_class = PageTemplate

    def make_globals(self, d: Any) -> Any:
        return {**self.globals, **(d or {})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loaded: dict[str, Template] = {}

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> Template:
        """The template called name, as Jinja's get_template gives it (its cache, with auto_reload off, gives the same
        template every time), from a dict: a page asks for some seven (its own, base.html, the partials it includes
        and the macros it imports), and Jinja's cache takes a lock and a weak reference each time."""
        if globals is None and type(name) is str:
            found = self.loaded.get(name)
            if found is None:
                found = self.loaded[name] = super().get_template(name, parent)
            return found
        return super().get_template(name, parent, globals)


def environment(templates: Path, lang: str = "en", languages: tuple[i18n.Language, ...] | None = None) -> Environment:
    env = PageEnvironment(
        loader=FileSystemLoader(templates),
        bytecode_cache=COMPILED,
        auto_reload=False,  # templates do not change during a build, and each build makes a new environment
        autoescape=True,  # every template, and strings: decided once, not at each render (select_autoescape)
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    gettext, ngettext = escaped_gettext(lang)
    # Added to the environment by the jinja2.ext.i18n extension, so Environment's type does not know it.
    env.install_gettext_callables(gettext, ngettext, newstyle=False)  # type: ignore[attr-defined]  # they escape and format themselves
    env.globals["_"] = gettext  # not the extension's alias, which looks gettext up and calls it again on every _()
    env.filters["text"] = text_escape
    env.globals.update(
        lang=lang,
        # The locale table, for the language switcher and url_for: each language → its own name for itself.
        languages={language: language.name for language in languages or i18n.table()},
        # The page's language as a sentence names it ("no version in English yet").
        language_in_text=i18n.name_in_text(lang),
        licence=DATA_LICENCE,
        url_for=url_for,
        navigation=NAVIGATION,
    )
    return env


@pass_context
def url_for(context: Context, kind: str, *keys: str | int, lang: str | None = None) -> str:
    """A link from the page being rendered to `kind` made from keys (urls.site_path), in the page's language unless lang
    says.

    Relative, through the page's site_root (the way back to the site root), so the site works from any folder.
    """
    site_root: str | None = context.get("site_root")
    if site_root is None:  # a page at its language's root, or a partial rendered alone
        site_root = context["root"]
    if kind not in urls.LANGUAGE_PATHS:  # a site path (or a kind site_path names the choices for)
        return site_root + urls.site_path(kind, *keys)
    if lang in (None, context["lang"]):
        root: str = context["root"]  # read only here: a partial rendered alone may have only site_root
        return root + urls.LANGUAGE_PATHS[kind](*keys)  # within the page's language: from its root
    # A code from the template is read as the site's row of the locale table, which knows its prefix.
    row = next((language for language in context["languages"] if language == lang), lang)
    return site_root + urls.site_path(kind, *keys, lang=row)


root_of = urls.root_of


@dataclass(frozen=True)
class AgreementList:
    """One list of agreements as its pages show it: made once, shared by every page of the list.

    Only the first page shows what the whole list is (its count, its map's legend with counts, a country's
    places): a later page shows its own rows, where it is among the pages and the map with a legend of
    statuses alone, so an edit re-renders the first page and the pages whose rows it changes (inputs.py)."""

    key: ListKey
    path: str  # its first page
    title: str
    intro: str
    entries: tuple[Entry, ...]
    pagers: list[Pager]
    data: str | None  # its filter data (a language path), when it has more than one page
    extra: dict[str, Any]  # for the first page only (a country's places)
    search_kind: str | None
    map_of: str | None  # the page whose map data its map shows (mapdata.maps); None: no map


class _Made(dict[str, T]):
    """slug → what make(slug) makes (an EntryView, a ListRow), each made when first asked for."""

    def __init__(self, make: Callable[[str], T]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, slug: str) -> T:
        made = self[slug] = self.make(slug)
        return made


class Renderer:
    """Renders every page of one catalogue in one language with one template environment."""

    def __init__(
        self,
        catalogue: Catalogue,
        config: Config,
        templates: Path,
        static_pages: tuple[StaticPage, ...] = (),
        lang: str = "en",
        dates: Dates | None = None,
        languages: tuple[i18n.Language, ...] | None = None,
        inputs: Inputs | None = None,
        previous: Previous = NOTHING,
    ) -> None:
        self.catalogue = catalogue
        self.config = config
        # The site's locale table (site.build finds catalogues in the catalogue's own locale/ too).
        self.languages = languages or i18n.table(config.languages)
        self.lang = next(language for language in self.languages if language == lang)
        self.dates = dates or Dates()
        # Incremental builds: with inputs (inputs.py), every page carries the digest of what it reads,
        # and a route whose page the previous site holds with the same digest is Kept, not made.
        self.inputs, self.previous = inputs, previous
        self.reference = self.dates.reference  # "now" for freshness: deterministic, never the clock
        self.env = environment(templates, self.lang, self.languages)
        self._ = i18n.gettext_for(lang)
        self.labels = labels(vocab.STATUSES, lang)
        self.static_pages = tuple(static_pages)
        self._lists: dict[ListKey, AgreementList] = {}
        self._list_maps: dict[tuple[str, str], MapParts | None] = {}
        self._positions: dict[str, int] | None = None  # each entry's row in the list of all agreements
        self._shared_maps: dict[str, tuple[str, str]] | None = None  # mapdata.shared_maps, made when first asked
        self._located: dict[str, str | None] = {}  # slug → its status when a party is on the map, else None (map_for)
        self._entries = {e.agreement.slug: e for e in catalogue.entries}
        # Each entry's view, made when a page first shows it (a rebuild makes few pages).
        self.views = _Made(lambda slug: entry_view(self._entries[slug], lang, self.reference, config.stale_after_years))
        # Each entry as a list row shows it, and its markup: far cheaper than its view, for the thousands of rows.
        # (its words as a view's, in lang; its phrases with the templates' escaping _() of the page's language)
        gettext = escaped_gettext(self.lang)[0]
        self.rows = Rows(self._entries, lang, gettext, self.reference, config.stale_after_years)
        self.env.globals["entry_row"] = self.rows.markup  # macros.html entry_list

    def compile(self) -> None:
        """Compile every page template and partial now (templates/*.html, not assets), as worker processes
        forked after this inherit them: none compiles a template again, and a template's syntax error
        stops the build before any page is rendered."""
        for name in self.env.list_templates(filter_func=lambda name: name.endswith(".html")):
            if not name.startswith("assets/"):
                self.env.get_template(name)

    def output_path(self, path: str) -> str:
        return urls.in_language(path, self.lang)

    def render(self, route: Route) -> Page | Kept:
        """The output of one route of the table (routes.py) in this language; Kept, without making its
        context, when the previous site holds it made from inputs with the same digests."""
        if self.inputs is None:
            whole: Page = getattr(self, route.kind)(*route.keys)
            return whole
        out, digest = self.digested(route)
        if self.previous.unchanged(out, digest):
            return Kept(out, digest)
        made = getattr(self, route.kind)(*route.keys)
        if made.path != out:
            raise ValueError(f"route {route.path} made {made.path}")
        return Page(out, made.content, digest)

    def digested(self, route: Route) -> tuple[str, str]:
        """Where the route's output goes in this language, and the digest of what it reads (inputs.Inputs.route):
        the previous site's output at that path with that digest is this build's (Previous.unchanged)."""
        assert self.inputs is not None
        out = self.output_path(route.path)
        return out, self.inputs.route(str(self.lang), route.path, route.kind, route.keys, route.template, route.inputs)

    def page(self, path: str, template: str, **context: Any) -> Page:  # a template's context: any values
        """Render a page at path (relative to this language's root)."""
        out = self.output_path(path)
        context.setdefault("map", None)
        context.setdefault("facets", None)
        context.setdefault("search_kind", None)  # the label search results give this page; None: not indexed
        # (language, link from this page, address in head: absolute when the site knows where it lives)
        alternates = [
            (
                lang,
                root_of(out) + urls.in_language(path, lang),
                self.config.base_url + urls.in_language(path, lang)
                if self.config.base_url
                else root_of(out) + urls.in_language(path, lang),
            )
            for lang in self.languages
        ]
        context = dict(
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
        html = self.env.get_template(template).render(context)
        return Page(out, html.encode("utf-8"))

    def list_rows(self, entries: Iterable[Entry]) -> list[ListRow]:
        return [self.rows.record(e.agreement.slug) for e in entries]

    def map_for(
        self, path: str, entries: Sequence[Entry], filters: bool = False, data_of: str | None = None
    ) -> MapParts | None:
        """The map of a page's entries (None when none is on the map); its data is in map/ (catalogue.mapdata),
        in the file of page data_of when the page shows another page's map (a list's later pages), or the part
        of another page's file that mapdata.shared_maps names."""
        # mapping.statuses_present of mapdata.map_records(entries), without making a record of every tie
        # (a list's map counts the whole list: 25k ties for all agreements); none on the map: no map (has_map).
        mapped: dict[str, int] = {}
        located = self._located
        for e in entries:
            status = located.get(e.agreement.slug, "")
            if status is None:
                continue
            if not status:  # not seen yet: its status when a party is on the map, else None
                status = located[e.agreement.slug] = (
                    e.agreement.status if e.places[0].lat is not None or e.places[1].lat is not None else None
                )
                if status is None:
                    continue
            mapped[status] = mapped.get(status, 0) + 1
        if not mapped:
            return None
        if self._shared_maps is None:
            self._shared_maps = shared_maps(self.catalogue)
        data_of, only = self._shared_maps.get(data_of or path, (data_of or path, None))
        site = root_of(self.output_path(path))
        parts = build_map(
            (),  # the ties are in the map's data file; the page shows only the legend, counted here
            data_url=site + urls.map_data(data_of),
            root=root_of(path),
            asset_root=site,
            tiles=self.config.tiles,
            labels=self.labels,
            filters=filters,
            only=only,
        )
        return replace(
            parts, statuses=tuple((key, self.labels[key], mapped[key]) for key in vocab.STATUSES if key in mapped)
        )

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
            urls.HOME,
            "home.html",
            stats=stats,
            statuses=status_counts(c, self.lang),
            recent=self.list_rows(c.recent(self.config.recent)),
            map=self.map_for(urls.HOME, c.entries),
        )

    def agreement(self, entry: Entry | str) -> Page:
        if isinstance(entry, str):
            entry = self.entry(entry)
        path = entry.url
        out = self.output_path(path)
        updated = self.dates.of(entry.agreement.slug).updated
        citation = plain_citation(
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
        return self.page(urls.STATISTICS, "statistics.html", statistics=stats)

    def freshness_sections(self) -> dict[str, tuple[Entry, ...]]:
        if not hasattr(self, "_freshness"):
            self._freshness = sections(self.catalogue, self.reference, self.config.stale_after_years)
        return self._freshness

    def freshness_titles(self) -> dict[str, str]:
        """Each section's heading, on the freshness page and as its list's title."""
        _, n = self._, self.config.stale_after_years
        since = self.reference.year - n if self.reference else None
        return {
            "stale": _("Ties whose status nobody has confirmed since %(year)s") % {"year": since}
            if since
            else _("Ties whose status has not been confirmed recently"),
            "expired": _("Documents whose term has run out with no renewal recorded"),
            "unconfirmed": _("Ties whose source does not say when the status was observed"),
        }

    def freshness_page(self) -> Page:
        """Each section's count and its first ties (paging.INLINE, oldest first), linking to the whole section's list
        when longer.
        """
        n = self.config.stale_after_years
        reference_year = self.reference.year if self.reference else None
        shown = {
            section: (self.list_rows(entries[: paging.INLINE]), len(entries), urls.freshness_list(section))
            for section, entries in self.freshness_sections().items()
        }
        return self.page(
            urls.FRESHNESS,
            "freshness.html",
            stale_after_years=n,
            confirmed_since=reference_year - n if reference_year else None,
            sections=shown,
            reference=i18n.date_text(self.reference, self.lang),
        )

    def redirect(self, alias: str, entry: Entry | str) -> Page:
        """An old address of a renamed or merged entry: a page that sends readers on, marked canonical."""
        slug = entry if isinstance(entry, str) else entry.agreement.slug
        path, view = urls.agreement(alias), self.views[slug]
        new_address = (
            self.config.base_url + self.output_path(view.url) if self.config.base_url else root_of(path) + view.url
        )
        return self.page(path, "redirect.html", entry=view, new_address=new_address)

    def entry(self, slug: str) -> Entry:
        return self._entries[slug]

    def place(self, key: str) -> Page:
        group = self.catalogue.places[key]
        path = urls.place(key)
        place = group.place
        # A hub's page shows its first paging.PAGE_SIZE ties and links to all of them in pages (routes.py);
        # each area's first paging.INLINE, with a link to the area's page. The filters cover what is shown.
        views = self.list_rows(group.entries[: paging.PAGE_SIZE])
        areas = [
            (area, self.list_rows(area.entries[: paging.INLINE])) for area in area_ties(self.catalogue, key, self.lang)
        ]
        every = views + [view for _, shown in areas for view in shown]
        return self.page(
            path,
            "place.html",
            place=place,
            country=i18n.country(place.country, self.lang),
            country_url=urls.country(place.country),
            level=i18n.label(vocab.LEVELS[place.level], self.lang),
            entries=views,
            ties_total=len(group.entries),
            ties_url=urls.place_ties(key) if len(group.entries) > len(views) else None,
            facets=facets(every, self.lang),
            areas=areas,
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

    def list_of(self, key: ListKey) -> AgreementList:
        """The list a list route names: ("all",), ("country", code) or ("term", group, key); made once per list.

        The filters cover the whole list on every page (from its data, list_data). Only the first page
        carries the list's count and extras (a country's places) and is indexed for search: it is the one
        a reader looks for.
        """
        if key in self._lists:
            return self._lists[key]
        c, _, lang = self.catalogue, self._, self.lang
        extra: dict[str, Any] = {}
        intro, search_kind, map_of = "", None, None
        if key[0] == "all":
            path, title, entries = urls.AGREEMENTS, _("All agreements"), c.entries
        elif key[0] == "freshness":
            path, entries = urls.freshness_list(key[1]), self.freshness_sections()[key[1]]
            title = self.freshness_titles()[key[1]]
            if key[1] == "stale":
                intro = i18n.translations(lang).ngettext(
                    "Observed more than %(num)d year before the reference date; oldest first.",
                    "Observed more than %(num)d years before the reference date; oldest first.",
                    self.config.stale_after_years,
                ) % {"num": self.config.stale_after_years}
        elif key[0] == "place":
            hub = c.places[key[1]]
            map_of = urls.place(key[1]) if hub.place.on_map else None  # the place page's map
            path, title, entries = (
                urls.place_ties(key[1]),
                _("Ties of %(place)s") % {"place": hub.place.name},
                hub.entries,
            )
        elif key[0] == "country":
            code = key[1]
            path, title, entries = urls.country(code), i18n.country(code, lang), c.countries[code]
            places = self.places_in(code)
            # Few places: listed on the first page; many: their count and a link to their own pages.
            many = len(places) > paging.PLACES_INLINE
            extra = {"places": [] if many else places, "places_count": len(places)}
            extra["places_url"] = urls.country_places(code) if many else None
            search_kind = _("Country")
        else:
            group, term_key = key[1], key[2]
            terms, by_key, kind = {
                "sectors": (vocab.SECTORS, c.sectors, _("Sector")),
                "statuses": (vocab.STATUSES, c.statuses, _("Status")),
                "kinds": (vocab.KINDS, c.kinds, _("Kind of tie")),
            }[group]
            term = terms[term_key]
            path, title, entries = urls.term(group, term_key), i18n.label(term, lang), by_key[term_key]
            intro, search_kind = i18n.note(term, lang), kind
        paged = pagers(path, len(entries))
        made = AgreementList(
            key,
            path,
            title,
            intro,
            tuple(entries),
            paged,
            urls.list_data(path) if len(paged) > 1 else None,
            extra,
            search_kind,
            map_of if key[0] in ("freshness", "place") else data_page(path),  # freshness lists: no map, as their page
        )
        self._lists[key] = made
        return made

    def list_page(self, key: ListKey, number: int) -> Page:
        """Page `number` of a list, in pages of paging.PAGE_SIZE: views are made of its own rows only."""
        listed = self.list_of(key)
        pager = listed.pagers[number - 1]
        first = number == 1
        return self.page(
            urls.page(listed.path, number),
            "listing.html",
            title=listed.title,
            intro=listed.intro,
            entries=self.list_rows(listed.entries[pager.first_item - 1 : pager.last_item]),
            total=len(listed.entries) if first else None,  # what the whole list is: said on its first page only
            pager=pager,
            list_data=listed.data,
            facets=True,  # it has filters (base.html loads filters.js); filters.js counts from the rows or list_data
            map=self.list_map(listed, urls.page(listed.path, number)),
            search_kind=listed.search_kind if first else None,
            **(listed.extra if first else {}),
        )

    def list_map(self, listed: AgreementList, page_path: str) -> MapParts | None:
        """The whole list's map on each of its pages, following its filters; pages 2.. sit one folder
        deeper than the first, so there are at most two versions of it (made once each)."""
        if listed.map_of is None:
            return None
        depth = (listed.path, root_of(page_path))
        if depth not in self._list_maps:
            self._list_maps[depth] = self.map_for(page_path, listed.entries, filters=True, data_of=listed.map_of)
        return self._list_maps[depth]

    def list_data(self, key: ListKey) -> Page:
        """A paged list's filter data, which its pages fetch to filter the whole list (and count it)."""
        listed = self.list_of(key)
        if listed.data is None:
            raise ValueError(f"the list at {listed.path} has one page and no filter data")
        rows = self.list_rows(listed.entries)
        counts = facets(rows, self.lang)
        if key == ("all",):
            return Page(self.output_path(listed.data), list_data(rows, counts))
        # Every list is part of all agreements, so when one is paged that one is too, and its rows are there
        # (routes.py gives this route the order of every entry as an input: the positions move with it).
        everything = self.list_of(("all",))
        if everything.data is None:
            raise ValueError(f"the list at {listed.path} is paged but the list of all agreements is not")
        if self._positions is None:
            self._positions = {e.agreement.slug: i for i, e in enumerate(everything.entries)}
        members = [self._positions[e.agreement.slug] for e in listed.entries]
        return Page(self.output_path(listed.data), list_index(members, everything.data, counts))

    def groups(self, name: str) -> Page:
        """The index of countries, sectors, statuses or kinds: each with its list and how many ties."""
        c, _, lang = self.catalogue, self._, self.lang
        if name == "countries":
            title = _("Countries")
            groups = [
                Group(i18n.country(code, lang), urls.country(code), len(entries), code)
                for code, entries in sorted(c.countries.items(), key=lambda kv: (i18n.country(kv[0], lang), kv[0]))
            ]
        else:
            title, terms, by_key = {
                "sectors": (_("Sectors"), vocab.SECTORS, c.sectors),
                "statuses": (_("Status"), vocab.STATUSES, c.statuses),
                "kinds": (_("Kinds of tie"), vocab.KINDS, c.kinds),
            }[name]
            groups = [
                Group(i18n.label(term, lang), urls.term(name, key), len(by_key[key]), i18n.note(term, lang))
                for key, term in terms.items()
            ]
        return self.page(urls.group(name), "groups.html", title=title, intro="", groups=groups)

    def places(self) -> Page:
        return self.page(
            urls.PLACES,
            "places.html",
            index=places_index(self.catalogue, self.lang, self._, self.config.home_country),
        )

    def country_places(self, code: str, number: int) -> Page:
        """Page `number` of a country's places (a country with more than paging.PLACES_INLINE), by name."""
        places = sorted(self.places_in(code), key=lambda g: (g.title.casefold(), g.url))
        path = urls.country_places(code)
        pager = pagers(path, len(places), paging.PLACES_PAGE_SIZE)[number - 1]
        country = i18n.country(code, self.lang)
        return self.page(
            urls.page(path, number),
            "places-list.html",
            title=self._("Places in %(country)s") % {"country": country},
            country=country,
            country_url=urls.country(code),
            places=places[pager.first_item - 1 : pager.last_item],
            total=len(places),
            pager=pager,
        )

    def open_data(self) -> Page:
        c = self.catalogue
        return self.page(
            urls.OPEN_DATA,
            "open-data.html",
            schema_version=SCHEMA_VERSION,
            example=c.entries[0].agreement.slug if c.entries else None,
        )

    def static(self, which: StaticPage | str) -> Page:
        page = next(p for p in self.static_pages if p.slug == which) if isinstance(which, str) else which
        body_lang, body_html = page.body_in(self.lang)
        return self.page(
            urls.static(page.slug),
            "page.html",
            page=page,
            body_html=body_html,
            body_lang=body_lang,
            sources=[source_view(s, self.lang) for s in page.sources],
            search_kind=self._("Page"),
        )

    def places_in(self, code: str) -> list[Group]:
        """A country's places, in catalogue order (grouped once: each of its list pages asks, and each
        scanned every place of the catalogue)."""
        if not hasattr(self, "_places_by_country"):
            self._places_by_country: dict[str, list[Group]] = {}
            for key, g in self.catalogue.places.items():
                level = i18n.label(vocab.LEVELS[g.place.level], self.lang)
                self._places_by_country.setdefault(g.place.country, []).append(
                    Group(g.place.name, urls.place(key), len(g.entries), level)
                )
        return list(self._places_by_country.get(code, []))


def template_error(err: TemplateError, page: str | None = None) -> RenderError:
    """A template's error as the person editing the templates reads it: the template, its line, what went wrong,
    the page being rendered (Jinja puts each template line in the traceback it raises)."""
    where = f"{err.filename}:{err.lineno}" if isinstance(err, TemplateSyntaxError) and err.filename else ""
    for frame, line in traceback.walk_tb(err.__traceback__):
        if frame.f_code.co_filename.endswith(".html"):
            where = f"{frame.f_code.co_filename}:{line}"  # the innermost template line is the last
    what = f"{type(err).__name__}: {err.message or err}"
    rendering = f" (rendering {page})" if page else ""
    return RenderError(
        f"{where + ': ' if where else ''}{what}{rendering}; nothing was written, the previous site is unchanged. "
        "Fix the template, then build again"
    )
