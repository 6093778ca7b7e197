"""The route table is the set of pages: what the build writes, counts and lists in the sitemap comes from it."""

from __future__ import annotations

import pytest

from catalogue import urls
from catalogue.config import Config
from catalogue.i18n import table as locale_table
from catalogue.problems import CatalogueError
from catalogue.routes import PLACES, ROWS, entry_input, list_input, place_input, places_input, route_table
from catalogue.site import Project, build, check
from conftest import FIXTURES, make_project


@pytest.fixture(scope="module")
def fixture():
    checked = check(Project(FIXTURES / "site"))
    return checked, route_table(checked.catalogue, checked.pages)


def test_the_table_is_every_page_and_list_file_the_build_writes(fixture, built):
    _, table = fixture
    written = {
        p.relative_to(built).as_posix()
        for p in built.rglob("*")
        if p.suffix == ".html" or p.relative_to(built).parts[0] in ("lists", "en") and p.suffix == ".json"
    }
    written = {p for p in written if "/lists/" in f"/{p}" or p.endswith(".html")}
    assert written == {urls.in_language(r.path, lang) for lang in locale_table() for r in table}
    assert len({r.path for r in table}) == len(table)  # no two routes write one file


def test_each_route_names_what_it_depends_on(fixture):
    checked, table = fixture
    c = checked.catalogue
    by_path = {r.path: r for r in table}
    for entry in c.entries:
        slug = entry.agreement.slug
        assert by_path[urls.agreement(slug)].inputs == (entry_input(slug),)
        for alias in entry.agreement.aliases:
            assert by_path[urls.agreement(alias)].inputs == (entry_input(slug),)
            assert not by_path[urls.agreement(alias)].indexable  # a redirect is not in the sitemap
    for key in c.places:
        assert place_input(key) in by_path[urls.place(key)].inputs
    assert by_path[urls.HOME].inputs == (ROWS, PLACES)
    for code in c.countries:
        assert by_path[urls.country(code)].inputs == (list_input(("country", code)), places_input(code))


def test_the_sitemap_lists_the_indexable_routes(tmp_path):
    project = make_project(tmp_path)
    out = tmp_path / "site"
    build(project, out, Config(tiles="none", base_url="https://example.org/"), search=False)
    checked = check(project)
    table = route_table(checked.catalogue, checked.pages)
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    for route in table:
        listed = f"<loc>https://example.org/{route.path}</loc>" in sitemap
        assert listed == (route.indexable and route.path.endswith(".html")), route.path


def test_a_page_may_not_take_the_address_of_the_site_s_own(tmp_path):
    project = make_project(tmp_path)
    (project.pages / "statistics.md").write_text("---\ntitle: Our numbers\n---\nText.\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as raised:
        check(project)
    (problem,) = raised.value.problems
    assert problem.path == "content/pages/statistics.md"
    assert "'statistics.html' is a page the build makes itself" in problem.message
