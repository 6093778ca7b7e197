"""A contributor's pull request, end to end: one valid new entry added to a copy of the real
catalogue passes the check, builds, and its pages hold; the same entry broken is annotated on
its line for GitHub and fails the check. No figure here depends on what content/ holds today."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogue.cli import main
from catalogue.config import Config
from catalogue.exports import DATA_LICENCE
from catalogue.model import Party
from catalogue.places import default_gazetteer
from catalogue.site import Project, build, check, load_pages
from catalogue.validate import tie_identity
from catalogue import urls
from conftest import REPO, entry_files, html_pages
from test_render import check_links, entry_links, page, text

# Ties a contributor might add, with the source they would cite. The first one the catalogue
# does not hold yet (as the check tells ties apart: validate.tie_identity, whatever the file is
# called) is added, so the test stays meaningful when one of them is entered for real.
CANDIDATES = [
    ("semarang-brisbane", "Semarang", "Jawa Tengah", "Brisbane", "AU", "Queensland", "sister-city"),
    ("medan-ichikawa", "Medan", "Sumatera Utara", "Ichikawa", "JP", "Chiba", "sister-city"),
    ("makassar-lismore", "Makassar", "Sulawesi Selatan", "Lismore", "AU", "New South Wales", "friendship-city"),
]

ENTRY = """\
---
parties:
  - name: {home}
    level: city
    country: ID
    region: {home_region}
  - name: {partner}
    level: city
    country: {country}
    region: {partner_region}
kind: {kind}
status: active
as_of: 2019
sources:
  - title: Sister cities of {partner}
    type: web-page
    publisher: City of {partner}
    url: https://example.org/{slug}
    accessed: 2019-06-01
---
The source lists {home} among {partner}'s sister cities and says the tie is active.
"""


@pytest.fixture(scope="module")
def contributed(tmp_path_factory) -> tuple[Project, str]:
    """A copy of the real catalogue (content, templates, settings) with one new valid entry."""
    root = tmp_path_factory.mktemp("contributed") / "catalogue"
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "catalogue.toml", root / "catalogue.toml")
    entered = {
        tie_identity(e.agreement.kind, e.agreement.parties, default_gazetteer())
        for e in check(Project(root)).catalogue.entries
    }
    taken = {p.stem for p in entry_files(root / "content" / "agreements")}

    def new_tie(candidate: tuple[str, ...]) -> bool:
        slug, home, home_region, partner, country, partner_region, kind = candidate
        parties = [
            Party(name=home, level="city", country="ID", region=home_region),
            Party(name=partner, level="city", country=country, region=partner_region),
        ]
        return slug not in taken and tie_identity(kind, parties, default_gazetteer()) not in entered

    slug, home, home_region, partner, country, partner_region, kind = next(filter(new_tie, CANDIDATES))
    text_ = ENTRY.format(
        slug=slug,
        home=home,
        home_region=home_region,
        partner=partner,
        country=country,
        partner_region=partner_region,
        kind=kind,
    )
    (root / "content" / "agreements" / f"{slug}.md").write_text(text_, encoding="utf-8")
    return Project(root), slug


@pytest.fixture(scope="module")
def contributed_site(contributed) -> Path:
    project, _ = contributed
    out = project.root / "site"
    build(project, out, Config(tiles="none"))
    return out


def test_the_new_entry_passes_the_check(contributed):
    project, slug = contributed
    catalogue = check(project).catalogue
    assert len(catalogue.entries) == len(entry_files(project.agreements))
    assert slug in {e.agreement.slug for e in catalogue.entries}
    result = CliRunner().invoke(main, ["check", "--root", str(project.root), "--format", "github"])
    assert result.exit_code == 0, result.output
    assert "::error" not in result.output


def test_the_site_has_a_page_for_every_entry_and_place(contributed, contributed_site):
    project, slug = contributed
    catalogue = check(project).catalogue
    built = {
        p.relative_to(contributed_site / "en").as_posix()
        for p in (contributed_site / "en" / "agreements").glob("*.html")
    }
    assert built - {"agreements/index.html"} == {urls.agreement(p.stem) for p in entry_files(project.agreements)}
    places = {
        p.relative_to(contributed_site / "en").as_posix() for p in (contributed_site / "en" / "places").rglob("*.html")
    }
    assert places - {"places/index.html"} == {urls.place(key) for key in catalogue.places}

    new = next(e for e in catalogue.entries if e.agreement.slug == slug)
    soup = page(contributed_site, new.url)
    assert text(soup.h1) == new.agreement.display_title
    assert [p.h2.a["href"] for p in soup.select("section.parties .party")] == [
        "../" + urls.place(p.key) for p in new.places
    ]
    for place in new.places:  # both parties' pages list the new tie
        assert "../../" + new.url in entry_links(page(contributed_site, urls.place(place.key)))
    index = page(contributed_site, "agreements/index.html")
    assert "../" + new.url in {a["href"] for a in index.select("a")}


def test_every_page_of_the_grown_site_holds(contributed, contributed_site):
    project, _ = contributed
    catalogue = check(project).catalogue
    soups: dict[Path, object] = {}  # every page, parsed once: for the links, then for its h1
    pages, _ = load_pages(project)
    cited = {s.url for e in catalogue.entries for s in e.agreement.sources if s.url} | {
        s.url for p in pages for s in p.sources if s.url
    }
    checked, external = check_links(
        contributed_site, cited | {"https://www.openstreetmap.org/copyright", DATA_LICENCE.url}, soups
    )
    for path in html_pages(contributed_site):
        assert len(soups[path].find_all("h1")) == 1, path
    assert checked >= 10 * len(html_pages(contributed_site))
    assert external == cited | {DATA_LICENCE.url}


def test_the_new_entry_broken_is_annotated_on_its_line(contributed, tmp_path):
    project, slug = contributed
    root = tmp_path / "broken"
    shutil.copytree(project.root / "content", root / "content")
    shutil.copy2(project.root / "catalogue.toml", root / "catalogue.toml")  # the real catalogue's settings
    path = root / "content" / "agreements" / f"{slug}.md"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("status: "))
    lines[line - 1] = "status: actve\n"
    path.write_text("".join(lines), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"::error file=content/agreements/{slug}.md,line={line},title=status::"
        "'actve' is not one of: active, stalled, exploratory, ended, not-reported (did you mean 'active'?)",
    ]
    assert "Traceback" not in result.output
