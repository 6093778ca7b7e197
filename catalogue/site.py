"""The pipeline, one line per stage: load → validate → places → index → render → write."""

from __future__ import annotations

import time
from collections import deque
from itertools import chain
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Hashable, Iterable, Iterator

from . import urls
from .evidence import link_markers
from .config import Config, load_config, locale_folders
from .i18n import DEFAULT_LANGUAGES
from .index import Catalogue, build_index
from .load import is_translation, load_file, load_folder, load_translations
from .markup import to_html
from .gazetteer import Gazetteer
from .model import Agreement, Entry, Page, Place, StaticPage
from .places import default_gazetteer, load_places_file, place_all
from .regions import describe
from .plausible import check_plausible, check_reference
from .parsecache import ParseCache
from .problems import CatalogueError, Problem
from .routes import SEARCHED, Route, route_table
from .validate import check_translations, unknown_translation_language, validate_all, validate_page

if TYPE_CHECKING:
    from .incremental import Previous
    from .render import Renderer
    from .write import Kept, Placed


GAZETTEER_ANSWERS = "gazetteer-answers"  # in a build's state folder, beside the site (Gazetteer.save_answers)


@dataclass(frozen=True)
class Project:
    """Where a catalogue's parts live."""

    root: Path

    @property
    def agreements(self) -> Path:
        return self.root / "content" / "agreements"

    @property
    def pages(self) -> Path:
        return self.root / "content" / "pages"

    @property
    def places(self) -> Path:
        return self.root / "content" / "places.yaml"

    @property
    def locales(self) -> tuple[Path, ...]:
        """The catalogue's own gettext catalogues (locale/<code>/LC_MESSAGES/messages.po), if any;
        the package's are looked up after them."""
        return locale_folders(self.root)

    @property
    def templates(self) -> Path:
        """The catalogue's own templates/, else the ones beside this package (the repository's)."""
        own = self.root / "templates"
        return own if own.is_dir() else Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Checked:
    catalogue: Catalogue
    pages: tuple[StaticPage, ...]


@dataclass
class Warm:
    """What a long-lived process (`catalogue serve`) keeps of its last build for the next one, instead of
    reading it again from beside the site: the parse cache as that build left it (its validated records too),
    and the manifest of the site it made, handed back by write_site (read_manifest reads it from beside the site
    when none was). Used only under the environment digest it was made with. A build given one writes no parse
    cache and no gazetteer answers beside the site: the process holds both (the answers in its one gazetteer),
    and a parse cache of another environment would not be used."""

    environment: str = ""
    cache: ParseCache | None = None
    previous: Previous | None = None  # the manifest of the site at out; None: read it from there

    def read_manifest(self, out: Path) -> None:
        from .incremental import read_previous

        if self.environment and self.previous is None:
            self.previous = read_previous(out.resolve(), self.environment)


@dataclass(frozen=True)
class BuildReport:
    entries: int
    pages: int
    files: int
    bytes: int
    seconds: float
    shallow: bool = False  # built from a shallow clone: no dates from git


class Timer:
    """Seconds spent in each stage, for the benchmark; costs nothing when nobody reads it."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started


def check(
    project: Project,
    gazetteer: Gazetteer | None = None,
    timer: Timer | None = None,
    config: Config | None = None,
    cache: ParseCache | None = None,
) -> Checked:
    """Everything up to the index, writing nothing; raises CatalogueError with every problem.

    With a parse cache (build's), entry files and Markdown bodies parsed before are not parsed again."""
    stage = timer or Timer()
    if config is None:
        try:
            config = load_config(project.root)
        except ValueError as err:  # a catalogue.toml that cannot be read is the contributor's to fix, like an entry
            problem = getattr(err, "problem", None) or Problem("catalogue.toml", 0, "", str(err))
            raise CatalogueError([problem]) from None
    with stage("load"):
        raws, problems = load_folder(project.agreements, project.root, cache.load_file if cache else load_file)
        raw_translations, found = load_translations(project.agreements, project.root)
        problems += found
    gazetteer = gazetteer or default_gazetteer()  # read lazily, a country at a time, by validation and places
    with stage("validate"):
        agreements, found = validate_all(raws, config.languages, gazetteer, cache.validate if cache else None)
        problems += found
        translations, found = check_translations(
            raw_translations, agreements, {raw.slug for raw in raws}, config.languages
        )
        problems += found
        by_path = {raw.path: raw for raw in raws}
        problems += check_plausible(
            agreements, config.home_country, check_reference(), lambda path, *f: by_path[path].line(*f)
        )
    with stage("places"):
        overrides, place_notes, place_file_problems = load_places_file(project.places, project.root)
        problems += place_file_problems
        # After validation: only valid parties are looked up.
        placed, found = place_all(agreements, overrides, gazetteer, lambda path, *f: by_path[path].line(*f))
        # A places.yaml that could not be read at all would make every province it lists look
        # missing: report the file's own problem alone, and placing again once it reads.
        if not (place_file_problems and not overrides):
            problems += found
    with stage("load"):
        pages, found = load_pages(project, config.languages, cache.markdown(to_html) if cache else to_html)
        problems += found
    if problems:
        raise CatalogueError(problems)
    with stage("places"):
        placed = describe(placed, agreements, place_notes, gazetteer)  # other names and areas, pooled per place
    with stage("enrich (Markdown)"):
        markdown = cache.markdown(to_html) if cache else to_html
        entries = [enrich(a, placed[a.slug], translations.get(a.slug, ()), markdown) for a in agreements]
    with stage("index"):
        return Checked(build_index(entries), pages)


def enrich(
    agreement: Agreement,
    places: tuple[Place, Place],
    translations: Iterable[tuple[str, str]] = (),
    markdown: Callable[[str], str] = to_html,
) -> Entry:
    """What the build derives for an agreement: its places, its URL, its sanitised body and translations."""
    keys = tuple(s.key for s in agreement.sources)
    return Entry(
        agreement=agreement,
        places=places,
        url=urls.agreement(agreement.slug),
        body_html=link_markers(markdown(agreement.body), keys),
        translations=tuple((lang, link_markers(markdown(body), keys)) for lang, body in translations),
    )


def load_pages(
    project: Project, languages: tuple[str, ...] = DEFAULT_LANGUAGES, markdown: Callable[[str], str] = to_html
) -> tuple[tuple[StaticPage, ...], list[Problem]]:
    pages: list[StaticPage] = []
    if not project.pages.exists():
        return (), []
    raw_translations, problems = load_translations(project.pages, project.root)
    translations: dict[str, list[tuple[str, str]]] = {}
    for t in raw_translations:
        if t.lang not in languages:
            problems.append(unknown_translation_language(t, languages))
            continue
        translations.setdefault(t.slug, []).append((t.lang, markdown(t.body)))
    for file in sorted(project.pages.glob("*.md")):
        if is_translation(file):
            continue
        raw = load_file(file, project.root)
        if isinstance(raw, Problem):
            problems.append(raw)
            continue
        result = validate_page(raw, languages)
        if isinstance(result, list):
            problems += result
            continue
        title, sources = result
        pages.append(
            StaticPage(
                raw.slug, title, markdown(raw.body), sources, "en", tuple(sorted(translations.get(raw.slug, [])))
            )
        )
    return tuple(pages), problems


def build(
    project: Project,
    out: Path,
    config: Config,
    progress: Callable[[Iterable[tuple[int, Placed]], int], Iterable[tuple[int, Placed]]] | None = None,
    search: bool = True,
    timer: Timer | None = None,
    incremental: bool = True,
    jobs: int | None = None,
    warm: Warm | None = None,
) -> BuildReport:
    """check, render every page, write the site atomically; nothing is written if any stage fails.

    Incremental unless told not to: what the site at out says made it (incremental.py) spares
    rendering and writing what has not changed; the site is the same bytes as a full build's.
    jobs: how many worker processes render and write the pages (default: one per core; 1: in this process).
    warm: what a long-lived process kept of its last build into out (Warm), used instead of reading it again."""
    from .incremental import NOTHING, environment_digest, read_previous, source_digest, state_folder
    from .write import Linking, Rendered, refuse_to_replace, write_site

    # A wrong --out is refused before minutes of rendering, not after (write_site checks again).
    refuse_to_replace(out.resolve())
    stage = timer or Timer()
    started = time.perf_counter()
    with stage("previous build (manifest)"):
        # What made the site at out (incremental.py): the same environment lets its parse cache and pages be reused.
        environment = environment_digest(project.templates, config, project.locales)
        kept = warm if warm is not None and warm.environment == environment else None
        if not incremental:
            previous = NOTHING
        elif kept is not None and kept.previous is not None:
            previous = kept.previous
        else:
            previous = read_previous(out.resolve(), environment)
        # What the build reads besides the environment: content/, the git commit, SOURCE_DATE_EPOCH.
        read: dict[str, bytes] = {}  # the content files' bytes, read once: by the digest, then parsed
        source = source_digest(project.root, search, read)
        made = previous.same_site(source)
    if made is not None:
        # The same environment and source made the site at out: it is this build's site, left untouched.
        return BuildReport(
            made["entries"], made["pages"], made["files"], made["bytes"], time.perf_counter() - started, made["shallow"]
        )
    # Imported here, not at the top: `catalogue check` (the pull-request gate) imports this module
    # and must not load Jinja, folium or the exporters (tests/test_layers.py holds it to that).
    from jinja2 import TemplateError

    from .assets import asset_pages
    from .dates import read_dates
    from .exports import export_pages
    from .feeds import Feeds
    from .i18n import table as locale_table
    from .inputs import Inputs
    from .mapdata import map_page, maps
    from .parsecache import read_cache
    from .render import COMPILED, Renderer, compiled_folder, template_error
    from .search import BUNDLE, index_site, searched_pattern
    from .sitemap import page_dates, sitemap
    from .words import words_pages
    from .workers import default_jobs, settled

    # A rebuild's new folder is begun now, while the catalogue loads: one `cp -al` of the old site runs meanwhile
    # (write.Linking; write_site awaits it). It holds the site's lock until the build ends.
    linking = Linking(out.resolve(), previous, (BUNDLE,)) if previous.folder == out.resolve() else None
    try:
        jobs = jobs or default_jobs()
        # What a build keeps beside the site it made, never deployed (incremental.state_folder): the manifest,
        # the parse cache, compiled templates, the gazetteer's answers.
        state = state_folder(out.resolve())
        gazetteer = default_gazetteer()
        with stage("previous build (manifest)"):
            if not incremental:
                cache = ParseCache(environment)
            elif kept is not None and kept.cache is not None:
                last = kept.cache  # what the last build parsed is what this one may take without parsing
                versions: dict[str, object] = {b: list(v) for b, v in last.versions.items()}
                cache = ParseCache(environment, last.entries, last.html, versions, last.records, last.digests)
            else:
                cache = read_cache(state, environment)
            if incremental and kept is None:  # a warm process has them in memory
                gazetteer.read_answers(state / GAZETTEER_ANSWERS)  # the places of unchanged entries, without the index
        cache.given = read
        checked = check(project, gazetteer, timer=stage, config=config, cache=cache)
        catalogue = checked.catalogue
        with stage("dates (git)"):
            # Before rendering: pages, exports, feeds and the sitemap read these records, never git.
            dates = read_dates(project.root, catalogue, cache.versions)
            cache.keep_versions({v.commit.blob for known in dates.entries.values() for v in known.versions})
        table = route_table(catalogue, checked.pages, dates.reference, config.stale_after_years)
        # The locale table: the configured languages, their catalogues looked up in the catalogue's own locale/ first.
        languages = locale_table(config.languages, project.locales)
        with stage("digests (entries)"):
            # What each route reads, digested (inputs.py): a page made from the same inputs is kept, not made.
            inputs = Inputs(
                catalogue, dates, checked.pages, config.stale_after_years, environment, previous, cache.record_digest
            )
            # Every entry's, once, before the workers fork: else each digests again the entries of the agreement pages
            # it renders, and the data files and feeds (later) read them all.
            inputs.of("entries")
        with stage("renderers (views, templates)"):
            renderers = [
                Renderer(catalogue, config, project.templates, checked.pages, lang, dates, languages, inputs, previous)
                for lang in languages
            ]
            COMPILED.keep_in(compiled_folder(state) if incremental else None)  # render.CompiledTemplates
            try:
                for renderer in renderers:
                    renderer.compile()  # before the workers fork, so none compiles them again
            except TemplateError as err:
                raise template_error(err) from None

        pages = len(table) * len(renderers)
        map_files = list(maps(catalogue))  # (page, its entries): made by the workers too, after the pages
        feeds = Feeds(catalogue, dates, config, languages, inputs)  # the place feeds too, after the map data
        shared = pages + len(map_files)

        def render(index: int) -> Page | Kept:
            if index >= shared:
                return feeds.place_feed(index - shared)
            if index >= pages:
                return map_page(*map_files[index - pages], inputs)
            renderer, route = renderers[index // len(table)], table[index % len(table)]
            try:
                return renderer.render(route)
            except TemplateError as err:  # the same message from a worker as from this process
                raise template_error(err, renderer.output_path(route.path)) from None

        def later() -> Iterator[Page | Kept]:
            """Every other output, made by this process while its workers render (workers.py), or after the pages
            in a one-process build; each kind is let go once written (at 25k pairs the exports alone are some
            300 MB)."""
            with stage("export (data, feeds, sitemap)"):
                made = deque(export_pages(catalogue, dates, config, inputs))
            yield from _taken(made)
            with stage("export (data, feeds, sitemap)"):
                made = deque(feeds.catalogue_feed(lang) for lang in languages)
            yield from _taken(made)
            with stage("export (data, feeds, sitemap)"):
                indexable = [urls.in_language(r.path, lang) for lang in languages for r in table if r.indexable]
                dated = page_dates(catalogue, dates, languages)
                made = deque(sitemap(indexable, config.base_url, dated, inputs))
            yield from _taken(made)
            yield from asset_pages(project.templates)
            yield from words_pages(languages, catalogue.countries)

        def index(folder: Path, outputs: dict[str, str]) -> None:
            with stage("search index (Pagefind)"):
                # Shards whose pages the old site made from the same digests are linked from it, not indexed
                # again; the others are indexed by `jobs` Pagefind processes at once.
                searched = searched_pattern(tuple(lang.prefix for lang in languages), SEARCHED)
                codes = tuple((str(lang), lang.prefix) for lang in languages)
                old = previous.folder if previous.search else None
                index_site(folder, codes, searched, outputs, old, previous.outputs, jobs=jobs)

        with stage("unchanged outputs (digests)"):
            # In a rebuild, what the old site holds made from the same inputs is known here, before any worker is
            # forked: only the outputs to make again go to the workers (none for a few), and the workers inherit
            # every input's digest, computed once. A first or full build makes every output.
            todo, ready = _to_make(shared + len(feeds.places), pages, render, renderers, table, previous)
        group = work_group(table, len(renderers))
        # Pages are written as they are rendered, by `jobs` worker processes forked here (workers.py): each
        # renders and writes its share of the outputs to make, and no page is held in memory.
        handed: list[Previous] = []  # the site made, as the next build would read it (for warm)
        rendered = Rendered(len(todo), lambda i: render(todo[i]), lambda i: group(todo[i]), jobs, progress)
        with stage("render and write (pages, map data, place feeds; then exports, search index)"), settled():
            files, size = write_site(
                out,
                chain(ready, later()),
                finish=index if search else None,
                previous=previous,
                environment=environment,
                finished=BUNDLE,
                cache=None if warm is not None else cache.to_bytes(),  # a warm process keeps it (Warm)
                rendered=rendered,
                linking=linking,
                made=handed.append,
                source={
                    "digest": source,
                    "entries": len(catalogue.entries),
                    "pages": shared + len(feeds.places),
                    "shallow": dates.shallow,
                },
            )
        # With the site it made, not before: a failed build leaves nothing new beside the old site.
        COMPILED.save()
        if warm is None:  # a warm process keeps them, and its parse cache, in memory
            gazetteer.save_answers(state / GAZETTEER_ANSWERS)
        if warm is not None:  # the site at out is now this build's: its parse cache is this one, its manifest new
            # What the next build reads of this site, handed back by write_site, not read from disk again.
            warm.environment, warm.cache, warm.previous = environment, cache, handed[0] if handed else None
        return BuildReport(len(catalogue.entries), pages, files, size, time.perf_counter() - started, dates.shallow)
    finally:
        if linking is not None:
            linking.close()


def _to_make(
    count: int,
    pages: int,
    render: Callable[[int], Page | Kept],
    renderers: list[Renderer],
    table: tuple[Route, ...],
    previous: Previous,
) -> tuple[list[int], list[Page | Kept]]:
    """The outputs (by render index) still to make, and those decided here: Kept where the previous site holds the
    output made from the same inputs (Renderer.digested, as Renderer.render decides), and map data or place
    feeds made again here (their digest is known only by asking for them: few change). Without a previous site
    every output is to make."""
    from .write import Kept

    if not previous.outputs:
        return list(range(count)), []
    todo: list[int] = []
    ready: list[Page | Kept] = []
    routes = len(table)
    for index in range(count):
        if index < pages:
            out, digest = renderers[index // routes].digested(table[index % routes])
            if previous.unchanged(out, digest):
                ready.append(Kept(out, digest))
            else:
                todo.append(index)
        else:
            ready.append(render(index))
    return todo, ready


def _taken(outputs: deque[Page | Kept]) -> Iterator[Page | Kept]:
    """Each output in turn, no longer held here once given (the writer drops it once written)."""
    while outputs:
        yield outputs.popleft()


def work_group(table: tuple[Route, ...], languages: int) -> Callable[[int], Hashable]:
    """What an output shares work with (render index i < len(table) * languages is language i // len(table),
    route i % len(table); the map data files and the places' feeds come after): a list's pages and filter data
    share its views and filters (Renderer.list_of), so one worker makes them."""

    def group(index: int) -> Hashable:
        route = table[index % len(table)]
        if index < len(table) * languages and route.kind in ("list_page", "list_data"):
            return (index // len(table), route.keys[0])
        return index

    return group
