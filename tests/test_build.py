"""The whole build: one page per thing, nothing loaded from elsewhere, the same bytes twice, inert input, atomic
writes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xstatic.pkg.leaflet as leaflet
from bs4 import BeautifulSoup, SoupStrainer

from catalogue.cli import NO_BASE_URL
from catalogue.config import Config
from catalogue.problems import CatalogueError
from catalogue.model import Page
from catalogue.render import Renderer
from catalogue.site import Project, build
from catalogue import urls
from catalogue.incremental import CACHE, MANIFEST
from catalogue.write import MARKER, UnsafePath, write_site
from conftest import REPO, entry_files, html_pages, make_project, parse
from test_mapping import shown_part

VENDOR_FILES = {
    "assets/vendor/leaflet/leaflet.js": Path(leaflet.BASE_DIR) / "leaflet.js",
    "assets/vendor/leaflet/leaflet.css": Path(leaflet.BASE_DIR) / "leaflet.css",
}


def files_of(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name not in (MARKER, MANIFEST, CACHE)  # the build's own bookkeeping, not the site's
    }


@pytest.fixture(scope="module")
def real_site_with_tiles(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiles") / "site"
    build(Project(REPO), out, Config(tiles="openstreetmap"))
    return out


# -- what the site holds ------------------------------------------------------


def test_one_page_per_agreement_and_per_place(real_site, real_catalogue):
    agreements = sorted(p.name for p in (real_site / "agreements").glob("*.html") if p.name != "index.html")
    assert agreements == sorted(f"{p.stem}.html" for p in entry_files(REPO / "content" / "agreements"))
    assert agreements == sorted(f"{e.agreement.slug}.html" for e in real_catalogue.entries)
    places = sorted(
        p.relative_to(real_site).as_posix() for p in (real_site / "places").rglob("*.html") if p.name != "index.html"
    )
    assert places == sorted(urls.place(key) for key in real_catalogue.places)
    assert len(places) == len(real_catalogue.places)


def test_vendor_files_are_shipped_with_the_site(real_site):
    for path, source in VENDOR_FILES.items():
        built = (real_site / path).read_bytes()
        expected = source.read_bytes()
        if path.endswith(".js"):
            expected = b"\n".join(
                line for line in expected.split(b"\n") if not line.startswith(b"//# sourceMappingURL=")
            )
        assert built == expected, path
        assert b"sourceMappingURL" not in built  # the maps are not shipped, so browsers must not ask for them


def test_images_named_by_leaflet_css_are_shipped(real_site):
    css = (real_site / "assets/vendor/leaflet/leaflet.css").read_text(encoding="utf-8")
    images = sorted(set(re.findall(r"url\((images/[^)]+)\)", css)))
    assert images == ["images/layers-2x.png", "images/layers.png", "images/marker-icon.png"]
    for image in images:
        assert (real_site / "assets/vendor/leaflet" / image).is_file(), image


@pytest.mark.parametrize("tiles", ["none", "openstreetmap"])
def test_no_page_loads_a_script_or_stylesheet_from_elsewhere(tiles, real_site, real_site_with_tiles):
    site = real_site if tiles == "none" else real_site_with_tiles
    pages = html_pages(site)
    assert len(pages) == len(html_pages(real_site))
    # Only the elements that load something, or could (iframe, base), are built into trees.
    loaders = SoupStrainer(["script", "link", "iframe", "base"])
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser", parse_only=loaders)
        loaded = [s["src"] for s in soup.find_all("script", src=True)]
        loaded += [link["href"] for link in soup.find_all("link", href=True) if "stylesheet" in link.get("rel", [])]
        loaded += [
            link["href"]
            for link in soup.find_all("link", href=True)
            if {"preload", "modulepreload", "icon"} & set(link.get("rel", []))
        ]
        for url in loaded:
            assert not re.match(r"^([a-z][a-z0-9+.-]*:|//)", url, re.IGNORECASE), f"{path}: loads {url}"
            assert (path.parent / url).resolve().is_file(), f"{path}: {url} is missing"
        assert soup.find_all("iframe") == [] and soup.find_all("base") == []


def test_tiles_are_the_only_difference_openstreetmap_makes(real_site, real_site_with_tiles):
    home = (real_site_with_tiles / "index.html").read_text(encoding="utf-8")
    assert home.count('"tiles":"openstreetmap"') == 1  # the page's map names them; map.js holds their address
    assert "openstreetmap" not in (real_site / "index.html").read_text(encoding="utf-8")
    assert files_of(real_site).keys() == files_of(real_site_with_tiles).keys()


def test_two_builds_are_byte_identical(real_site, tmp_path):
    again = tmp_path / "elsewhere" / "public"
    build(Project(REPO), again, Config(tiles="none"))
    first, second = files_of(real_site), files_of(again)
    assert first.keys() == second.keys()
    different = [path for path in first if first[path] != second[path]]
    assert different == []


# -- hostile input --------------------------------------------------------------

EVIL_URL = 'https://example.org/"><script>alert(10)</script>'
EVIL = {
    "name_id": "<script>alert(1)</script>",
    "region": "<img src=x onerror=alert(2)>",
    "name_jp": "</script><svg onload=alert(3)>",
    "body": "<b onclick=alert(5)>Office</b>",
    "document": "<iframe src=javascript:alert(6)>",
    "note": "<img src=x onerror=alert(8)>",
    "source": "<script>alert(9)</script>",
}
EVIL_ENTRY = f"""---
parties:
  - name: {json.dumps(EVIL["name_id"])}
    level: city
    country: ID
    region: {json.dumps(EVIL["region"])}
    coordinates: [-7.5, 110.8]
  - name: {json.dumps(EVIL["name_jp"])}
    level: city
    country: JP
    region: '" onmouseover="alert(4)'
    body: {json.dumps(EVIL["body"])}
    coordinates: [35.0, 135.7]
kind: sister-city
status: active
as_of: 2020
sectors: [culture]
documents:
  - type: mou
    title: {json.dumps(EVIL["document"])}
    renewal: "<script>alert(7)</script>"
progress:
  culture:
    state: done
    note: {json.dumps(EVIL["note"])}
sources:
  - title: {json.dumps(EVIL["source"])}
    url: {json.dumps(EVIL_URL)}
    publisher: "<style>*{{display:none}}</style>"
    note: "</li><script>alert(11)</script>"
---
<script>alert(12)</script>

[click](javascript:alert(13)) and <img src=x onerror=alert(14)> and <a href="JaVaScRiPt:alert(15)">this</a>.
"""
TITLE = f"{EVIL['name_id']} – {EVIL['name_jp']}"
RUNS = re.compile(r"alert\(\d+\)")


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("evil"))
    (project.agreements / "evil.md").write_text(EVIL_ENTRY, encoding="utf-8")
    out = project.root / "site"
    build(project, out, Config(tiles="openstreetmap"))
    return out


def test_hostile_entry_is_accepted_and_shown_as_text(evil_site):
    soup = parse(evil_site / "en" / "agreements/evil.html")
    assert soup.h1.get_text() == TITLE
    parties = soup.select("section.parties .party")
    assert [p.h2.get_text() for p in parties] == [EVIL["name_id"], EVIL["name_jp"]]
    assert EVIL["region"] in parties[0].get_text()
    assert f"Signed by: {EVIL['body']}" in parties[1].get_text()
    assert EVIL["document"] in soup.select_one("ul.documents").get_text()
    assert soup.select_one("table.progress tbody td:last-child").get_text() == EVIL["note"]
    source = soup.select_one("ol.sources li a")
    assert source["href"] == EVIL_URL
    assert source.get_text() == f"“{EVIL['source']}”"
    body = soup.select_one("section.body")
    assert [a.get("href") for a in body.find_all("a")] == [None, None]
    assert " ".join(body.get_text().split()) == "What is known click and and this."


def test_hostile_url_is_attribute_escaped(evil_site):
    raw = (evil_site / "agreements/evil.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/&#34;&gt;&lt;script&gt;alert(10)&lt;/script&gt;"' in raw


@pytest.mark.parametrize(
    "path, reached",
    [
        ("index.html", ["name_id", "name_jp"]),  # recent list and the map
        ("agreements/index.html", ["name_id", "name_jp"]),
        ("agreements/evil.html", list(EVIL)),
        ("places/index.html", ["name_id", "name_jp"]),
        ("places/id/script-alert-1-script.html", ["name_id", "region", "name_jp"]),
        ("places/jp/script-svg-onload-alert-3.html", ["name_jp", "name_id"]),
        ("countries/id.html", ["name_id"]),
        ("countries/jp.html", ["name_jp"]),
        ("sectors/culture.html", ["name_id"]),
        ("statuses/active.html", ["name_id"]),
        ("kinds/sister-city.html", ["name_id"]),
    ],
)
def test_hostile_text_reaches_these_pages_as_text(evil_site, path, reached):
    shown = parse(evil_site / path).get_text()
    for key in reached:
        assert EVIL[key] in shown, (path, key)


def map_data_of(site: Path, page: Path) -> dict | None:
    """What a built page's map shows of the data file it fetches, parsed; None for a page without a map."""
    for div in parse(page).select("div.map-canvas[data-map]"):
        config = json.loads(div["data-map"])
        data = json.loads((page.parent / config["data"]).read_text(encoding="utf-8"))
        return shown_part(data, config.get("only"))
    return None


def test_hostile_names_are_data_in_the_map(evil_site):
    data = map_data_of(evil_site, evil_site / "agreements/evil.html")
    assert [p[2] for p in data["places"]] == [EVIL["name_id"], EVIL["name_jp"]]
    ((first, second, _status, _kind, _sectors, slug, title),) = data["ties"]
    assert (first, second, slug) == (0, 1, "evil")
    assert (
        title is None and TITLE == f"{EVIL['name_id']} – {EVIL['name_jp']}"
    )  # the title is the two names: map.js joins them
    home = map_data_of(evil_site, evil_site / "index.html")
    assert {p[2] for p in home["places"]} >= {EVIL["name_id"], EVIL["name_jp"]}
    assert map_data_of(evil_site, evil_site / "en/agreements/evil.html") == data  # one file for both languages


def test_nothing_hostile_can_run_on_any_page(evil_site):
    vendor = {
        "assets/vendor/leaflet/leaflet.js",
        "assets/map.js",
        "assets/land-110m.js",
        "assets/filters.js",
        "assets/copy.js",
        "assets/search.js",
        "assets/words.en.js",
        "assets/words.id.js",
        "pagefind/pagefind-ui.js",
    }
    pages = html_pages(evil_site)
    assert (
        len(pages) == 2 * 65
    )  # in each language: the fixture's 61 (one listing per status), the tie, its two places and Japan
    for path in pages:
        soup = parse(path)
        root = "../" * len(path.relative_to(evil_site).parts[:-1])
        for script in soup.find_all("script"):
            if script.has_attr("src"):
                assert script["src"].removeprefix(root) in vendor, path
            else:
                assert "<" not in script.string, path  # nothing can close the script or open another
                ours = 'new PagefindUI({element: "#site-search"' in script.string
                assert ours, path
        for element in soup.find_all(True):
            if element.name == "form":
                assert element.get("class") == ["filters"] and element.get("action") is None, (
                    path
                )  # the list filters, ours
                continue
            if element.name == "svg" and element.get("class") == ["chart"]:
                continue  # the statistics charts, drawn by charts.py; their labels are escaped (test_stats.py)
            assert element.name not in {"img", "svg", "iframe", "style", "object", "embed", "base"}, (path, element)
            handlers = [name for name in element.attrs if name.lower().startswith("on")]
            assert handlers == [], (path, element.name, handlers)
            for name in ("href", "src", "action", "formaction"):
                value = element.get(name)
                assert value is None or not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (
                    path,
                    value,
                )
        # Every "alert(n)" on the page is text a reader sees or an attribute's value: names are in the map's data file,
        # not the page.
        inert = soup.get_text() + "".join(str(v) for e in soup.find_all(True) for v in e.attrs.values())
        for match in RUNS.finditer(path.read_text(encoding="utf-8")):
            assert match.group() in inert, (path, match.group())


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil.example/x"],
)
def test_source_url_that_is_not_a_web_link_is_refused(project, url):
    entry = project.agreements / "sragen-usaid.md"
    text = entry.read_text(encoding="utf-8")
    entry.write_text(
        text.replace("sources:\n  - title:", f"sources:\n  - url: {json.dumps(url)}\n    title:"), encoding="utf-8"
    )
    out = project.root / "site"
    with pytest.raises(CatalogueError) as caught:
        build(project, out, Config(tiles="none"))
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.field) == ("content/agreements/sragen-usaid.md", 16, "sources.0.url")
    assert repr(url) in problem.message and "http" in problem.message
    assert not out.exists()


# -- the writer -------------------------------------------------------------


@pytest.mark.parametrize("path", ["../x.html", "/abs.html", "a/../../x.html", "a/..", "a\\b.html", "", "."])
def test_write_site_refuses_paths_outside_the_site(tmp_path, path):
    out = tmp_path / "site"
    with pytest.raises(UnsafePath):
        write_site(out, [Page("index.html", b"ok"), Page(path, b"bad")])
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # nothing half-written beside it
    assert not (tmp_path.parent / "x.html").exists() and not Path("/abs.html").exists()


def test_write_site_refuses_two_pages_at_one_path(tmp_path):
    out = tmp_path / "site"
    with pytest.raises(UnsafePath, match="two pages want the same path 'a/b.html'"):
        write_site(out, [Page("a/b.html", b"1"), Page("a/b.html", b"2")])
    assert list(tmp_path.iterdir()) == []


def test_write_site_replaces_the_old_site_whole(tmp_path):
    out = tmp_path / "site"
    write_site(out, [Page("index.html", b"old"), Page("old.html", b"old"), Page("keep/x.html", b"x")])
    assert write_site(out, [Page("index.html", b"new"), Page("a/b.html", b"bb")]) == (2, 5)
    assert files_of(out) == {"a/b.html": b"bb", "index.html": b"new"}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert out.stat().st_mode & 0o777 == 0o755


def test_failed_render_leaves_the_old_site_untouched(project, monkeypatch):
    out = project.root / "site"
    build(project, out, Config(tiles="none"))
    before = files_of(out)
    calls = []

    def broken(self, key):
        calls.append(key)
        if len(calls) == 3:
            raise RuntimeError("template broke midway")
        return original(self, key)

    original = Renderer.place
    monkeypatch.setattr(Renderer, "place", broken)
    with pytest.raises(RuntimeError, match="template broke midway"):
        build(project, out, Config(tiles="openstreetmap"))
    assert len(calls) == 3
    assert files_of(out) == before
    assert sorted(p.name for p in project.root.iterdir()) == [".site-state", "content", "site", "templates"]


def test_invalid_content_leaves_the_old_site_untouched(project):
    out = project.root / "site"
    build(project, out, Config(tiles="none"))
    before = files_of(out)
    entry = project.agreements / "surakarta-xian.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("status: stalled", "status: actve"), encoding="utf-8")
    with pytest.raises(CatalogueError):
        build(project, out, Config(tiles="none"))
    assert files_of(out) == before


# -- the command ----------------------------------------------------------------


def test_build_py_builds_the_site_and_prints_one_line(tmp_path, real_site):
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("build.py", "catalogue.toml"):
        shutil.copy2(REPO / name, copy / name)
    for name in ("catalogue", "content", "templates"):
        shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(
        [sys.executable, "build.py"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # The shipped settings have no base_url: one warning, naming the fix, and nothing else.
    assert result.stderr == NO_BASE_URL + "\n"
    site = copy / "site"
    pages = len(html_pages(site))
    files = len(files_of(site))
    size = sum(len(b) for b in files_of(site).values())
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    match = re.fullmatch(
        r"Built site: (\d+) entries, (\d+) pages, (\d+) files \((\d+\.\d) MB\) in (\d+\.\d\d) s\.", lines[0]
    )
    assert match, lines[0]
    assert (int(match[1]), int(match[2]), int(match[3]), match[4]) == (
        len(entry_files(copy / "content" / "agreements")),
        pages,
        files,
        f"{size / 1e6:.1f}",
    )

    # The same site the library builds. Outside git (this copy) citations carry no version date, so
    # pages differ in text, and Pagefind's fragment files are named by a hash of that text.
    def outside_search(files):
        return {path for path in files if not path.startswith("pagefind/")}

    assert outside_search(files_of(site)) == outside_search(files_of(real_site))
    for path in VENDOR_FILES:
        assert (site / path).is_file(), path


def test_a_build_with_base_url_does_not_warn(project):
    """The warning is for builds whose links cannot be absolute; with base_url there is nothing to say."""
    from click.testing import CliRunner

    from catalogue.cli import main

    args = ["build", "--root", str(project.root), "--out", str(project.root / "site"), "--tiles", "none", "--quiet"]
    assert NO_BASE_URL not in CliRunner().invoke(main, [*args, "--base-url", "https://example.org/"]).output
    assert NO_BASE_URL not in CliRunner().invoke(main, args).output  # --quiet prints problems only
    assert NO_BASE_URL in CliRunner().invoke(main, args[:-1]).output


@pytest.mark.parametrize("folder", ["content", "templates", "."])
def test_build_refuses_to_replace_a_folder_that_is_not_a_site(project, folder, monkeypatch):
    monkeypatch.chdir(project.root)
    before = sorted(p.relative_to(project.root).as_posix() for p in project.root.rglob("*"))
    with pytest.raises(UnsafePath) as refused:
        build(project, project.root / folder, Config(tiles="none"))
    assert "refusing to" in str(refused.value) and "--out site" in str(refused.value)
    assert sorted(p.relative_to(project.root).as_posix() for p in project.root.rglob("*")) == before
