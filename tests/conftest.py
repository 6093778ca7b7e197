"""Shared fixtures: a small valid catalogue copied into tmp_path, builds of it made once per run, and one
Chromium per test process."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from catalogue import paging, render
from catalogue.config import Config, load_config
from catalogue.index import Catalogue
from catalogue.site import Project, build, check
from chromium import ENV, NotFound, find_chromium

HERE = Path(__file__).parent
REPO = HERE.parent
FIXTURES = HERE / "fixtures"
# A frozen copy of the shipped content: figures counted by hand are asserted on it, never on content/.
SHIPPED = FIXTURES / "shipped"
# A real-sized catalogue: 300 pairs frozen from the corpus in tests/data/bench (its README says how).
CORPUS = FIXTURES / "corpus"
CORPUS_PAGE_SIZE = 40  # its lists split at 40, so that lists of every kind (status, country, ...) have pages


# The test files that cost more than about two seconds of CPU (Chromium's included, as `python
# benchmarks/bench_suite.py --per-file` measured them; seconds in the comments), costliest first.
# pytest-xdist hands each worker a whole file at a time (--dist loadfile) in the order collected;
# its own reordering put the files with the most tests first, which left the costly browser files
# (few tests each) to the end, run by one worker while the other had finished. Costliest first
# keeps the two workers' ends close. The second file needs no site the first is building (the
# shipped content's, which the browser files share), so neither worker starts by waiting. Files not
# named follow in their usual order.
COSTLIEST_FIRST = [
    "test_browser_map.py",  # 21
    "test_incremental.py",  # 11
    "test_browser_a11y.py",  # 20
    "test_findcity_browser.py",  # 12
    "test_scale.py",  # 9
    "test_workers.py",  # 8
    "test_build.py",  # 8
    "test_browser.py",  # 6
    "test_determinism.py",  # 5
    "test_preview.py",  # 5
    "test_browser_search.py",  # 4
    "test_paging.py",  # 4
    "test_search.py",  # 4
    "test_hardening.py",  # 4
    "test_browser_cite.py",  # 4
    "test_render.py",  # 4
    "test_contribute.py",  # 3
    "test_yamlread.py",  # 3
    "test_fuzz.py",  # 3
    "test_swap.py",  # 2.5
    "test_browser_filters.py",  # 2.5
    "test_import.py",  # 2.4
    "test_cli_check.py",  # 2.3
]


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config.option, "loadscopereorder"):  # pytest-xdist: keep the order made below
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The costliest test files first (COSTLIEST_FIRST), each file's tests in their own order."""
    rank = {name: i for i, name in enumerate(COSTLIEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


# render.COMPILED keeps each compiled template for the life of the process by the template's name and
# file (Jinja's key) and the checksum of its source. Every fixture catalogue holds its own copy of the
# templates (make_project), so every build of one compiled all of them again: two thirds of the CPU
# of a small catalogue's build, in some hundred builds a run. A copy whose source is the repository's
# template is kept under the repository's file instead, compiled once per process. Only those: an
# error a template meets while rendering is named by the file its code was compiled from, and the
# tests that edit a template to break it expect their own copy's name (its source differs, so it
# keeps its own key).
SHIPPED_TEMPLATES = {
    path.relative_to(REPO / "templates").as_posix(): path.read_text(encoding="utf-8")
    for path in (REPO / "templates").rglob("*.html")
}


def _shared_bucket(environment, name, filename, source, _own=render.COMPILED.get_bucket):
    if SHIPPED_TEMPLATES.get(name) == source:
        filename = str(REPO / "templates" / name)
    return _own(environment, name, filename, source)


render.COMPILED.get_bucket = _shared_bucket  # type: ignore[method-assign]


def make_project(tmp_path: Path, source: Path = FIXTURES / "site") -> Project:
    """A copy of a fixture catalogue, with the real templates, in tmp_path."""
    root = tmp_path / "catalogue"
    shutil.copytree(source, root)
    shutil.copytree(REPO / "templates", root / "templates")
    return Project(root)


def observed_entry(observations: str, *, partner: str = "Fort Worth", country: str = "US", extra: str = "") -> str:
    """An entry (Bandung and a partner) whose status comes from observations, citing sources P004 and P000.

    observations: the YAML list items, e.g. "  - {date: 2015, kind: activity, source: P004}\n";
    extra: more front-matter lines (each ending in a newline). For tests of the dated record.
    """
    return (
        "---\nparties:\n  - name: Bandung\n    level: city\n    country: ID\n"
        f"  - name: {partner}\n    level: city\n    country: {country}\n"
        "kind: sister-city\n" + extra + "observations:\n" + observations + "sources:\n"
        "  - title: Efektivitas Sister City dalam Perspektif Keamanan Non-Tradisional\n    key: P004\n"
        '  - title: "[Untitled article on regional cooperation]"\n    key: P000\n    title_supplied: true\n'
        "---\nBody.\n"
    )


def project_with(tmp_path: Path, entries: dict[str, str]) -> Project:
    """The fixture catalogue with these entry files written into it (file name -> text)."""
    project = make_project(tmp_path)
    for name, text in entries.items():
        (project.agreements / name).write_text(text, encoding="utf-8")
    return project


def quick_build(project: Project) -> Path:
    """A build of project into its site/ folder, without tiles or a search index; returns the site."""
    out = project.root / "site"
    build(project, out, Config(tiles="none"), search=False)
    return out


@pytest.fixture
def project(tmp_path) -> Project:
    return make_project(tmp_path)


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder that make(folder) fills once per test run, whichever process asks first; returns it.

    Under pytest-xdist every worker asks for the session fixtures it needs, and each used to build its
    own copy. The workers of one run share the parent of their base temporary folders: the first to
    take the lock there builds, the others wait for it and read the same folder. A run without xdist
    builds in its own base temporary folder. A build that fails leaves no folder marked done, so the
    next worker to ask builds again (and fails the same way, with the same error)."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "once-per-run"
    shared.mkdir(exist_ok=True)
    folder, done = shared / name, shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The fixture catalogue built once per run without map tiles; returns the site folder.

    Shared by every test that asks for it, in every worker: read it, never change it (copy it, or
    build your own from make_project, to change something)."""

    def make(folder: Path) -> None:
        project = make_project(folder)
        build(project, project.root / "site", Config(tiles="none"))

    return once_per_run(tmp_path_factory, "built", make) / "catalogue" / "site"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The shipped content built once per run, without tiles. Read it, never change it."""
    return (
        once_per_run(
            tmp_path_factory, "real", lambda folder: build(Project(REPO), folder / "site", Config(tiles="none"))
        )
        / "site"
    )


@pytest.fixture(scope="session")
def real_catalogue():
    """The shipped content checked once per session: what the real site's pages should list."""
    return check(Project(REPO)).catalogue


@dataclass(frozen=True)
class CorpusSite:
    project: Project
    site: Path
    catalogue: Catalogue  # what check() made of it: the pages should show exactly this


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory) -> CorpusSite:
    """The real-sized fixture catalogue (tests/fixtures/corpus) built once per run, in one process
    (jobs=1: test_workers compares its workers' build with this one), with its own settings (no
    tiles, no home country), lists of CORPUS_PAGE_SIZE, and no search index (no test of it
    searches); checked once per test process. Read it, never change it."""

    def make(folder: Path) -> None:
        project = make_project(folder, CORPUS)
        with corpus_paging():
            build(project, project.root / "site", load_config(project.root), search=False, jobs=1)

    project = Project(once_per_run(tmp_path_factory, "corpus", make) / "catalogue")
    with corpus_paging():
        catalogue = check(project).catalogue
    return CorpusSite(project, project.root / "site", catalogue)


@contextmanager
def corpus_paging() -> Iterator[None]:
    """Lists split at CORPUS_PAGE_SIZE while the block runs, as the corpus fixture is built."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(paging, "PAGE_SIZE", CORPUS_PAGE_SIZE)
    try:
        yield
    finally:
        monkeypatch.undo()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium per test process (each xdist worker), shared by every browser test file:
    each test opens its own context (tab, storage, viewport) in it and closes it. Found as
    tests/chromium.py says; missing, the browser tests are skipped, except under CI or when
    CATALOGUE_CHROMIUM names one, where they fail."""
    try:
        found = find_chromium()
    except NotFound as err:
        if os.environ.get("CI") or os.environ.get(ENV):  # asked for a browser test: a skip would hide the mistake
            pytest.fail(f"{err}; CI must run the browser tests")
        pytest.skip(str(err))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        executable = {} if found.path is None else {"executable_path": str(found.path)}
        chromium = playwright.chromium.launch(args=CHROMIUM_ARGS, **executable)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def tabs(browser):
    """One browser context per test module, 1280 by 900: each test opens its own tabs in it (see
    `visit`), so the scripts every page loads (Leaflet, Pagefind's interface) are compiled once per
    module, not once per test. The site's scripts keep nothing in cookies or storage; what a test
    leaves there is cleared after it all the same."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def entry_files(folder: Path) -> list[Path]:
    """The entry files of an agreements folder: translations of a body (x.id.md) are not entries."""
    return sorted(p for p in folder.glob("*.md") if "." not in p.stem)


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site, in a stable order."""
    return sorted(site.rglob("*.html"))


def parse(page: Path):
    """A built page parsed for selectors."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
