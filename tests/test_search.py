"""Search: Pagefind indexes a written site in shards, one index per <html lang>, the same bytes each run.

Errors are clear; a rebuild indexes again only the shards one of whose pages changed, and gives the
bytes of a full index."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, StrictUndefined

from catalogue.search import BUNDLE, SHARD_LIST, SearchIndexError, bundles, index_site, languages, shard_name
from catalogue.render import url_for
from conftest import REPO, html_pages, parse

PAGE = """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<link rel="icon" href="data:,">
</head>
<body>
<header data-pagefind-ignore="all">
<a href="{{ root }}index.html">Katalog</a>
{% include "partials/search_box.html" %}
</header>
<main id="main" data-pagefind-body>
<h1>{{ title }}</h1>
<p>{{ text }}</p>
</main>
<footer data-pagefind-ignore="all">footer</footer>
</body>
</html>
"""

# path → (lang, title, text). Indonesian at the root, English under en/, as catalogue.i18n lays them out.
PAGES = {
    "index.html": ("id", "Kota kembar Indonesia", "Katalog terbuka kerja sama kota kembar."),
    "places/index.html": ("id", "Tempat", "Semua tempat dalam katalog."),
    "places/jp/kyoto.html": ("id", "Kyoto", "Kota di Jepang, mitra Yogyakarta."),
    "countries/jp.html": ("id", "Jepang", "Negara kepulauan di Asia Timur."),
    "agreements/yogyakarta-kyoto.html": (
        "id",
        "Yogyakarta – Kyoto",
        "Kerja sama bidang pendidikan dan kebudayaan sejak 1985.",
    ),
    "en/index.html": ("en", "Sister cities of Indonesia", "An open catalogue of sister-city ties."),
    "en/places/jp/kyoto.html": ("en", "Kyoto", "A city in Japan, partner of Yogyakarta."),
    "en/countries/jp.html": ("en", "Japan", "An island country in East Asia."),
    "en/agreements/yogyakarta-kyoto.html": (
        "en",
        "Yogyakarta – Kyoto",
        "Cooperation in education and culture since 1985.",
    ),
}


def environment() -> Environment:
    """The real templates/ (for the partials) with the i18n extension and null translations, as render.py has."""
    env = Environment(
        loader=ChoiceLoader([DictLoader({"page.html": PAGE}), FileSystemLoader(REPO / "templates")]),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)
    env.globals["url_for"] = url_for  # as render.environment installs it: partials link through it
    return env


def write_search_site(folder: Path) -> Path:
    """A small two-language site with the real search box on every page; not indexed yet."""
    page = environment().get_template("page.html")
    for path, (lang, title, text) in PAGES.items():
        depth = "../" * path.count("/")
        context = {"lang": lang, "title": title, "text": text, "root": depth}
        if lang == "en":  # as the lead's pages do: root is the language's root, site_root the site's
            context.update(root="../" * (path.count("/") - 1), site_root=depth)
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.render(context), encoding="utf-8")
    (folder / "assets").mkdir(exist_ok=True)  # the box's own script, as the build copies it from templates/assets
    shutil.copy(REPO / "templates" / "assets" / "search.js", folder / "assets" / "search.js")
    return folder


LANGUAGES = (("id", ""), ("en", "en/"))  # (code, prefix), as catalogue.i18n lays them out


def fragment_urls(bundle: Path) -> set[str]:
    """The URL of every page a bundle indexes, read from Pagefind's fragments (gzip, 'pagefind_dcd' + JSON)."""
    urls = set()
    for file in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(file.read_bytes())
        urls.add(json.loads(data[len(b"pagefind_dcd") :])["url"])
    return urls


def fragment_texts(site: Path) -> list[str]:
    """The text Pagefind kept of every page a site's bundles index."""
    texts = []
    for bundle in bundles(site):
        for file in (bundle / "fragment").glob("*.pf_fragment"):
            texts.append(json.loads(gzip.decompress(file.read_bytes())[len(b"pagefind_dcd") :])["content"])
    return texts


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory) -> Path:
    site = write_search_site(tmp_path_factory.mktemp("search") / "site")
    index_site(site, LANGUAGES, shard_from=0)  # in shards, few as its pages are
    return site


def test_one_index_per_page_language(indexed):
    assert languages(indexed) == {"en": 4, "id": 5}
    entry = json.loads((indexed / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    # Each language gets its own search module: Indonesian with its Snowball stemmer, not the 'unknown' fallback.
    assert {lang: info["wasm"] for lang, info in entry["languages"].items()} == {"en": "en", "id": "id"}
    assert (indexed / "pagefind" / "wasm.id.pagefind").is_file()


def test_bundle_holds_the_default_ui_with_indonesian(indexed):
    bundle = indexed / "pagefind"
    for file in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js", "pagefind-worker.js"):
        assert (bundle / file).is_file(), file
    assert 'placeholder:"Cari"' in (bundle / "pagefind-ui.js").read_text(encoding="utf-8")


def test_results_keep_index_html_so_any_static_host_serves_them(indexed):
    assert set().union(*(fragment_urls(bundle) for bundle in bundles(indexed))) == {"/" + path for path in PAGES}


def test_two_runs_give_the_same_bytes_whatever_the_number_of_pagefind_processes(tmp_path):
    first = write_search_site(tmp_path / "one")
    second = tmp_path / "elsewhere" / "two"
    shutil.copytree(first, second)
    index_site(first, LANGUAGES, shard_from=0, jobs=1)
    index_site(second, LANGUAGES, shard_from=0, jobs=3)
    assert tree(first) == tree(second)


def test_languages_are_listed_in_sorted_order(indexed):
    text = (indexed / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert text.index('"en"') < text.index('"id"')


def test_search_box_loads_the_bundle_relatively(indexed):
    for path in ("agreements/yogyakarta-kyoto.html", "en/agreements/yogyakarta-kyoto.html", "index.html"):
        page = parse(indexed / path)
        depth = "../" * path.count("/")
        assert page.select_one("script[src$='search.js']")["src"] == f"{depth}assets/search.js"
        # Search reads only the marked main element: the header's box is outside it.
        assert (
            page.select_one("#site-search").find_parent("header").find_parent(attrs={"data-pagefind-body": True})
            is None
        )


def test_missing_binary_names_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(SearchIndexError) as caught:
        index_site(write_search_site(tmp_path / "site"), LANGUAGES)
    assert str(caught.value.problems[0]) == (
        f"search: no Pagefind binary found at {tmp_path / 'no-such-pagefind'}; install it with: python -m pip install "
        "'pagefind[extended]'"
    )
    assert str(caught.value) == "the search index was not built; the previous site was left as it was."


def test_a_failed_run_reports_what_pagefind_said(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(SearchIndexError) as caught:
        index_site(tmp_path / "empty", LANGUAGES)
    message = str(caught.value.problems[0])
    assert message.startswith(
        "search: Pagefind failed to index the site: Error: Pagefind was not able to build an index."
    )
    assert message.count("not able to build") == 1  # Pagefind prints it twice; once is enough


def test_the_built_fixture_site_gets_an_index_for_each_language_it_has(built):
    # The build itself must have indexed the site: nothing here indexes it in its place.
    assert (built / "pagefind" / "pagefind-entry.json").is_file()
    pages = [parse(page) for page in html_pages(built)]
    indexed_pages = [page for page in pages if page.select_one("[data-pagefind-body]")]
    assert set(languages(built)) == {page.html["lang"] for page in indexed_pages}


def test_pagefind_reads_every_page_search_indexes_and_few_others(built):
    """The build's searched pattern (routes.SEARCHED under each language's prefix) takes in every page
    marked data-pagefind-body, and leaves out the later pages of lists: so it can spare reading them
    and still index all it should. Pagefind's count per language is the count of marked pages."""
    import re

    from catalogue.i18n import table
    from catalogue.routes import SEARCHED
    from catalogue.search import searched_pattern

    matcher = searched_pattern(tuple(lang.prefix for lang in table()), SEARCHED)
    marked, read = {}, set()
    for page in html_pages(built):
        path = page.relative_to(built).as_posix()
        if matcher.fullmatch(path):
            read.add(path)
        soup = parse(page)
        if soup.select_one("[data-pagefind-body]"):
            marked[path] = soup.html["lang"]
    assert set(marked) <= read
    assert not any(re.search(r"/(page/)?\d+\.html$", path) for path in read)  # no list's later page
    counts = {lang: sum(1 for lang_ in marked.values() if lang_ == lang) for lang in set(marked.values())}
    assert languages(built) == counts


# -- shards ----------------------------------------------------------------------


def entry_of(bundle: Path) -> dict:
    return json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))


def test_agreements_and_places_are_spread_over_shards_of_one_language_each(indexed):
    listed = json.loads((indexed / BUNDLE / SHARD_LIST).read_text(encoding="utf-8"))
    assert sorted(listed) == ["en", "id"]
    for lang, names in listed.items():
        assert names and names == sorted(names)
        for name in names:
            assert name.startswith(f"{lang}-")
            assert set(entry_of(indexed / BUNDLE / name)["languages"]) == {lang}
    # The primary holds the other searched pages (here the home pages, the places index and the countries).
    assert fragment_urls(indexed / BUNDLE) == {
        "/" + path for path in PAGES if not path.removeprefix("en/").startswith(("agreements/", "places/jp/"))
    }
    # The agreement and the place fall in different shards here, so a search must merge them to find both.
    shard = {path: shard_name(path, LANGUAGES) for path in PAGES}
    assert shard["places/jp/kyoto.html"] != shard["agreements/yogyakarta-kyoto.html"]
    assert shard["en/places/jp/kyoto.html"] == "en-" + shard["places/jp/kyoto.html"].removeprefix("id-")


def test_a_shard_holds_its_index_and_the_primary_the_search_code(indexed):
    for bundle in bundles(indexed)[1:]:
        names = {p.name for p in bundle.iterdir()}
        assert names <= {"pagefind-entry.json", "index", "fragment", "filter"} | {
            n for n in names if n.endswith(".pf_meta")
        }, bundle
    for file in ("pagefind.js", "pagefind-worker.js", "wasm.en.pagefind", "wasm.id.pagefind"):
        assert (indexed / BUNDLE / file).is_file()


def test_a_pages_shard_depends_on_its_path_alone():
    """Not on the catalogue's size or order: the same path is in the same shard whatever else is indexed."""
    paths = [f"agreements/a-{i}.html" for i in range(300)] + [f"places/jp/p{i}.html" for i in range(300)]
    alone = {path: shard_name(path, LANGUAGES) for path in paths}
    assert len(set(alone.values())) > 16  # spread, not all in one
    assert all(shard_name("en/" + path, LANGUAGES) == "en-" + name.removeprefix("id-") for path, name in alone.items())
    assert shard_name("countries/jp.html", LANGUAGES) == shard_name("en/about.html", LANGUAGES) == ""


def digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in html_pages(site)}


def test_an_edit_indexes_its_shards_again_and_links_the_rest_to_the_bytes_of_a_full_index(tmp_path):
    old = write_search_site(tmp_path / "old")
    index_site(old, LANGUAGES, shard_from=0)
    new = tmp_path / "new"
    shutil.copytree(old, new, ignore=shutil.ignore_patterns(BUNDLE))
    for path in ("agreements/yogyakarta-kyoto.html", "en/agreements/yogyakarta-kyoto.html"):
        page = new / path
        page.write_text(page.read_text(encoding="utf-8").replace("1985", "1985 and 2024"), encoding="utf-8")
    made = index_site(new, LANGUAGES, outputs=digests(new), previous=old, previous_outputs=digests(old), shard_from=0)
    edited = shard_name("agreements/yogyakarta-kyoto.html", LANGUAGES).removeprefix("id-")
    assert made == (f"en-{edited}", f"id-{edited}")
    kept = new / BUNDLE / shard_name("places/jp/kyoto.html", LANGUAGES) / "pagefind-entry.json"
    assert kept.stat().st_ino == (old / kept.relative_to(new)).stat().st_ino  # linked, not made again
    full = tmp_path / "full"
    shutil.copytree(new, full, ignore=shutil.ignore_patterns(BUNDLE))
    index_site(full, LANGUAGES, shard_from=0)
    assert tree(new) == tree(full)


def test_an_edit_pagefind_reads_as_before_links_the_old_shards_to_the_bytes_of_a_full_index(tmp_path):
    """A place's row for a tie whose status changed, a list's count: the page's bytes changed, not what search
    reads of it (search.EXCLUDE, data-pagefind-ignore), so its shard is linked from the old site, not made."""
    old = write_search_site(tmp_path / "old")
    rows = '<ul class="entries"><li>Yogyakarta – Kyoto · aktif</li></ul><p class="count">1 kerja sama</p>'
    for path in ("places/jp/kyoto.html", "countries/jp.html"):
        page = old / path
        page.write_text(page.read_text(encoding="utf-8").replace("</h1>", "</h1>" + rows), encoding="utf-8")
    index_site(old, LANGUAGES, shard_from=0)
    assert "aktif" not in json.dumps(sorted(fragment_texts(old)))  # the rows are not read at all
    new = tmp_path / "new"
    shutil.copytree(old, new, ignore=shutil.ignore_patterns(BUNDLE))
    for path, before, after in (
        ("places/jp/kyoto.html", "aktif", "mandek"),
        ("countries/jp.html", "1 kerja sama", "2 kerja sama"),
        (
            "en/places/jp/kyoto.html",
            '<footer data-pagefind-ignore="all">footer',
            '<footer data-pagefind-ignore="all">new',
        ),
    ):
        page = new / path
        page.write_text(page.read_text(encoding="utf-8").replace(before, after), encoding="utf-8")
    assert digests(new) != digests(old)
    made = index_site(new, LANGUAGES, outputs=digests(new), previous=old, previous_outputs=digests(old), shard_from=0)
    assert made == ()
    for bundle in ("", shard_name("places/jp/kyoto.html", LANGUAGES), shard_name("en/places/jp/kyoto.html", LANGUAGES)):
        kept = new / BUNDLE / bundle / "pagefind-entry.json"
        assert kept.stat().st_ino == (old / kept.relative_to(new)).stat().st_ino  # linked, not made again
    full = tmp_path / "full"
    shutil.copytree(new, full, ignore=shutil.ignore_patterns(BUNDLE))
    index_site(full, LANGUAGES, shard_from=0)
    assert tree(new) == tree(full)
    # A word that search reads, in the same place: that shard is made again, not the other place's shard, whose
    # page changed where search does not read (the pages of a kind are compared together, then shard by shard).
    newer = tmp_path / "newer"
    shutil.copytree(new, newer, ignore=shutil.ignore_patterns(BUNDLE))
    page = newer / "places/jp/kyoto.html"
    page.write_text(page.read_text(encoding="utf-8").replace("mitra Yogyakarta", "mitra Yogya"), encoding="utf-8")
    page = newer / "en/places/jp/kyoto.html"
    page.write_text(page.read_text(encoding="utf-8").replace(">new<", ">newer<"), encoding="utf-8")
    assert ">newer<" in page.read_text(encoding="utf-8")
    made = index_site(
        newer, LANGUAGES, outputs=digests(newer), previous=new, previous_outputs=digests(new), shard_from=0
    )
    assert made == (shard_name("places/jp/kyoto.html", LANGUAGES),)


def test_a_rebuild_after_an_edit_gives_the_search_index_of_a_full_build(project, tmp_path, monkeypatch):
    from catalogue import search
    from catalogue.config import Config
    from catalogue.site import build

    monkeypatch.setattr(search, "SHARD_FROM", 0)  # the fixture catalogue in shards, few as its pages are

    site, full = tmp_path / "site", tmp_path / "full"
    build(project, site, Config(tiles="none"))
    before = {p: p.stat().st_ino for p in (site / BUNDLE).rglob("pagefind-entry.json")}
    file = project.agreements / "sragen-usaid.md"
    file.write_text(file.read_text(encoding="utf-8") + "\nA new sentence about irrigation.\n", encoding="utf-8")
    build(project, site, Config(tiles="none"))
    build(project, full, Config(tiles="none"), incremental=False)
    index = {p: b for p, b in tree(site).items() if p.startswith(BUNDLE + "/")}
    assert index == {p: b for p, b in tree(full).items() if p.startswith(BUNDLE + "/")}
    made = [p for p, ino in before.items() if ino != (site / p.relative_to(site)).stat().st_ino]
    assert 0 < len(made) < len(before) / 2  # the edited entry's shards, not every bundle


def test_a_small_catalogue_keeps_each_languages_agreements_and_its_places_in_a_shard_each(tmp_path):
    """Below SHARD_FROM pages to spread, shards of one kind would be too small to rank side by side: a shard per
    kind and language, apart from the primary (the lists and the search code), so an edit of an agreement
    re-indexes its language's agreements, not its places or the lists."""
    site = write_search_site(tmp_path / "site")
    index_site(site, LANGUAGES)
    assert json.loads((site / BUNDLE / SHARD_LIST).read_text(encoding="utf-8")) == {
        "en": ["en-agreements", "en-places"],
        "id": ["id-agreements", "id-places"],
    }
    spread = ("agreements/", "places/jp/")
    assert fragment_urls(site / BUNDLE) == {
        "/" + path for path in PAGES if not path.removeprefix("en/").startswith(spread)
    }
    for code, prefix in LANGUAGES:
        for kind in ("agreements", "places"):
            assert fragment_urls(site / BUNDLE / f"{code}-{kind}") == {
                "/" + path
                for path in PAGES
                if path.startswith(prefix)
                and path.removeprefix(prefix).startswith(spread)
                and path.removeprefix(prefix).startswith(kind)
            }
            assert set(entry_of(site / BUNDLE / f"{code}-{kind}")["languages"]) == {code}
    assert len(bundles(site)) == 5
    # An edit of an agreement indexes its language's agreements again; the places and the primary are linked.
    new = tmp_path / "new"
    shutil.copytree(site, new, ignore=shutil.ignore_patterns(BUNDLE))
    page = new / "agreements/yogyakarta-kyoto.html"
    page.write_text(page.read_text(encoding="utf-8").replace("1985", "1985 and 2024"), encoding="utf-8")
    made = index_site(new, LANGUAGES, outputs=digests(new), previous=site, previous_outputs=digests(site))
    assert made == ("id-agreements",)
