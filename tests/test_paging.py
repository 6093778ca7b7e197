"""Long lists in pages: stable addresses, prev/next links, filters and counts over the whole list."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from catalogue import paging, urls
from catalogue.config import Config
from catalogue.site import build
from conftest import FIXTURES, make_project
from test_browser import serve, visit  # noqa: F401 (fixtures)
from test_mapping import shown_part


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_page_addresses_are_stable_and_never_an_agreements_own():
    assert urls.page("countries/jp.html", 1) == "countries/jp.html"
    assert urls.page("countries/jp.html", 2) == "countries/jp/2.html"
    assert urls.page("sectors/education.html", 12) == "sectors/education/12.html"
    # agreements/2.html could be an entry named 2.md: a folder's index puts its pages in page/
    assert urls.page("agreements/index.html", 3) == "agreements/page/3.html"
    assert urls.list_data("countries/jp.html") == "lists/countries/jp.json"


def test_pagers_cover_every_item_once_and_link_their_neighbours(monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 10)
    pages = paging.pagers("kinds/sister-city.html", 95)
    assert len(pages) == paging.page_count(95) == 10
    assert [(p.first_item, p.last_item) for p in pages[:2]] == [(1, 10), (11, 20)]
    assert pages[-1].first_item == 91 and pages[-1].last_item == 95
    assert pages[0].prev_url is None and pages[-1].next_url is None
    assert all(
        a.next_url == b.urls[b.number - 1] and b.prev_url == a.urls[a.number - 1] for a, b in zip(pages, pages[1:])
    )
    assert paging.pagers("kinds/x.html", 0)[0].count == 1  # an empty list keeps its one page
    assert pages[5].nearby() == [
        (1, pages[0].urls[0]),
        None,
        *[(n, pages[0].urls[n - 1]) for n in range(4, 9)],
        None,
        (10, pages[0].urls[9]),
    ]


@pytest.fixture(scope="module")
def paged(tmp_path_factory):
    """The findcity fixture (four agreements) built with two agreements a page."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    try:
        project = make_project(tmp_path_factory.mktemp("paged"), FIXTURES / "findcity")
        out = project.root / "site"
        build(project, out, Config(tiles="none"))
    finally:
        monkeypatch.undo()
    return out


def entry_links(page: BeautifulSoup) -> list[str]:
    return [a["href"] for a in page.select("ul.entries > li > a")]


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_whole_list_is_split_over_linked_pages(paged, prefix):
    first = parse(paged / prefix / "agreements/index.html")
    second = parse(paged / prefix / "agreements/page/2.html")
    data = json.loads((paged / prefix / "lists/agreements/index.json").read_text(encoding="utf-8"))
    assert data["total"] == 4
    assert len(entry_links(first)) == 2 and len(entry_links(second)) == 2
    assert not set(entry_links(first)) & set(entry_links(second))
    here, there = paged / prefix / "agreements", paged / prefix / "agreements/page"
    assert (here / first.select_one('link[rel="next"]')["href"]).resolve() == (there / "2.html").resolve()
    assert first.select_one('link[rel="prev"]') is None
    assert (there / second.select_one('link[rel="prev"]')["href"]).resolve() == (here / "index.html").resolve()
    assert (there / second.select_one('nav.pager a[rel="prev"]')["href"]).resolve() == (here / "index.html").resolve()
    # every link from page 2 leads to a file that exists (it lives one folder deeper)
    for href in entry_links(second) + [a["href"] for a in second.select("nav.pager a")]:
        assert (paged / prefix / "agreements/page" / href).resolve().is_file(), href


def test_every_page_filters_the_whole_list_and_the_first_counts_it(paged):
    data = json.loads((paged / "lists/agreements/index.json").read_text(encoding="utf-8"))
    for path in ("agreements/index.html", "agreements/page/2.html"):
        page = parse(paged / path)
        form = page.select_one("form.filters")
        # The selects and the count are made by filters.js from the list's data, not repeated on every page.
        assert form.select("select") == [] and not form.has_attr("data-total")
        statuses = [count for _key, count in data["facets"]["status"]]
        assert sum(statuses) == data["total"] == 4  # the options count the whole list, not this page
        assert (paged / path).parent.joinpath(form["data-list"]).resolve() == (
            paged / "lists/agreements/index.json"
        ).resolve()
    # The whole list's count is on its first page; a later page says which rows it holds, and the title which page.
    first, second = parse(paged / "agreements/index.html"), parse(paged / "agreements/page/2.html")
    assert first.select_one("p.count").get_text() == "4 perjanjian"
    assert first.select_one("p.pager-place").get_text() == "Perjanjian 1 sampai 2 dari 4."
    assert second.select("p.count") == [] and second.select_one("p.pager-place").get_text() == "Perjanjian 3 sampai 4."
    assert "halaman 2 dari 2" in second.select_one("title").get_text()
    urls = sorted(row[0] for row in data["rows"])
    pages = [(paged / "agreements" / h).resolve() for h in entry_links(first)]
    pages += [(paged / "agreements/page" / h).resolve() for h in entry_links(second)]
    assert sorted(pages) == sorted((paged / url).resolve() for url in urls)


def test_only_a_lists_first_page_is_searched_and_short_lists_stay_whole(paged):
    first, second = parse(paged / "countries/id.html"), parse(paged / "countries/id/2.html")
    assert first.select_one("main").has_attr("data-pagefind-body")
    assert not second.select_one("main").has_attr("data-pagefind-body")
    assert first.select("ul.groups") and not second.select("ul.groups")  # the country's places: on its first page
    one_page = parse(paged / "countries/cn.html")  # a single tie: one page, no pager, filtered in the page itself
    assert one_page.select("nav.pager") == [] and not one_page.select_one("form.filters").has_attr("data-list")
    assert not (paged / "lists/countries/cn.json").exists()


# -- in the browser ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def paged_base(paged):
    with serve(paged) as url:
        yield url


def shown(page) -> list[str]:
    return [a.get_attribute("href") for a in page.locator("ul.entries > li > a").all() if a.is_visible()]


@pytest.mark.browser
def test_a_filter_on_one_page_finds_matches_on_every_page(visit, paged, paged_base):
    data = json.loads((paged / "en/lists/agreements/index.json").read_text(encoding="utf-8"))
    status = data["rows"][-1][2]  # the last agreement's status: it is on the last page
    expected = sorted("../" + row[0] for row in data["rows"] if row[2] == status)  # links from en/agreements/
    v = visit(paged_base)
    v.open("en/agreements/index.html")
    # filters.js fills the count once it has fetched the list's data: wait for it, do not read it at once.
    expect(v.page.locator(".filters-count")).to_have_text("Agreements shown: 2 of 4")
    v.page.select_option("select[name=status]", status)
    v.page.wait_for_selector(".filter-results li")
    assert sorted(shown(v.page)) == expected
    # Rows drawn by filters.js carry the badge the page's own list would: status, evidence year, stale in words.
    badges = v.page.locator(".filter-results li > span").all_inner_texts()
    assert sorted(b.strip() for b in badges) == sorted(row[8] for row in data["rows"] if row[2] == status)
    assert all(" · " in b for b in badges)
    assert not v.page.locator("nav.pager").is_visible()
    expect(v.page.locator(".filters-count")).to_have_text(f"Agreements shown: {len(expected)} of 4")
    assert v.page.url.endswith(f"?status={status}")
    assert v.page.get_attribute("nav.languages a[hreflang=id]", "href").endswith(f"?status={status}")
    v.page.click(".filters-reset")
    assert v.page.locator("nav.pager").is_visible() and len(shown(v.page)) == 2
    v.assert_clean()


@pytest.mark.browser
def test_a_filter_in_the_address_of_a_later_page_and_an_unknown_value(visit, paged_base):
    v = visit(paged_base)
    v.open("en/agreements/page/2.html?kind=twin-town")
    # The notice is written by filters.js once its data has arrived: wait for it, do not read it at load.
    expect(v.page.locator(".filters-notice")).to_contain_text("is not a known kind")
    assert len(shown(v.page)) == 2  # an unknown value filters nothing: the page stands
    v.open("en/agreements/page/2.html?status=ended&country=ZZ")
    v.page.wait_for_selector(".filters-empty, .filter-results li")
    v.assert_clean()


@pytest.mark.browser
def test_a_page_whose_list_data_cannot_be_fetched_stands_whole_and_says_so(visit, paged_base):
    """A page of a long list filters from the list's data, not from its rows (they carry no keys: rows.py):
    without the data (a site opened as files), a filter in the address leaves the page as built, and says why."""
    v = visit(paged_base)
    v.page.route("**/lists/**", lambda route: route.abort())
    v.open("en/agreements/page/2.html?status=active")
    expect(v.page.locator(".filters-notice")).to_contain_text("could not be loaded, so it is not filtered here")
    assert len(shown(v.page)) == 2 and v.page.locator("nav.pager").is_visible()
    assert v.page.locator(".filters-empty").count() == 0


@pytest.mark.browser
def test_without_javascript_the_pages_are_plain_linked_lists(browser, paged_base):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(paged_base + "en/agreements/index.html")
        assert not page.locator("form.filters").is_visible()
        first = [a.get_attribute("href") for a in page.locator("ul.entries > li > a").all()]
        page.click("nav.pager a[rel=next]")
        assert page.url.endswith("en/agreements/page/2.html")
        second = [a.get_attribute("href") for a in page.locator("ul.entries > li > a").all()]
        assert len(first) == len(second) == 2
    finally:
        context.close()


def test_shared_scripts_are_files_loaded_once_not_repeated_in_every_page(paged):
    for path in ("index.html", "agreements/index.html", "agreements/page/2.html", "en/agreements/surakarta-xian.html"):
        page = parse(paged / path)
        inline = [s.get_text() for s in page.select("script:not([src])")]
        assert not any("PagefindUI" in text or "clipboard" in text for text in inline), path
        search = page.select_one("script[src$='assets/search.js']")
        assert (paged / path).parent.joinpath(search["src"]).resolve() == (paged / "assets/search.js").resolve()
        words = page.select_one(f"script[src$='assets/words.{page.html['lang']}.js']")  # the box's words
        assert words and page.find_all("script").index(words) < page.find_all("script").index(search)


# -- a list's map: the whole list, on each of its pages, following its filters --------------------------


def map_data_of(site: Path, path: str) -> dict:
    """What the map on page `path` shows of the data file it fetches (its div's data-map names both)."""
    (div,) = parse(site / path).select("div.map-canvas[data-map]")
    config = json.loads(div["data-map"])
    data = json.loads((site / path).parent.joinpath(config["data"]).read_text(encoding="utf-8"))
    return shown_part(data, config.get("only"))


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_every_page_of_a_list_maps_the_whole_list(paged, prefix):
    rows = json.loads((paged / prefix / "lists/agreements/index.json").read_text(encoding="utf-8"))["rows"]
    first, second = (map_data_of(paged, prefix + p) for p in ("agreements/index.html", "agreements/page/2.html"))
    assert first == second == map_data_of(paged, prefix + "index.html")  # all agreements: the home page's map
    assert sorted(t[5] for t in first["ties"]) == sorted(
        r[0].removeprefix("agreements/").removesuffix(".html") for r in rows
    )
    # The legend names the statuses on the map; their counts, the whole list's, are on the first page only.
    legend = [
        {
            item["class"][1].removeprefix("badge-"): item.get_text()
            for item in parse(paged / prefix / p).select(".legend-item")
        }
        for p in ("agreements/index.html", "agreements/page/2.html")
    ]
    counted = collections.Counter(first["statuses"][t[2]] for t in first["ties"])
    assert {key: text.rsplit(" (", 1)[1] for key, text in legend[0].items()} == {k: f"{n})" for k, n in counted.items()}
    assert legend[1] == {key: text.rsplit(" (", 1)[0] for key, text in legend[0].items()}
    status_page = parse(paged / prefix / "statuses/active.html")
    active = [a["href"] for a in status_page.select("ul.entries > li > a")]
    assert sorted(
        "../agreements/" + t[5] + ".html" for t in map_data_of(paged, prefix + "statuses/active.html")["ties"]
    ) == sorted(active)


@pytest.mark.browser
def test_a_later_pages_map_follows_the_filter_in_its_address(visit, paged, paged_base):
    data = map_data_of(paged, "en/agreements/page/2.html")
    status = data["statuses"][data["ties"][0][2]]  # the first agreement's status: it is on page 1, not 2
    v = visit(paged_base)
    v.open(f"en/agreements/page/2.html?status={status}")
    v.page.wait_for_function(
        "() => { const m = window[document.querySelector('div.map-canvas').id]; return m.catalogue && "
        "m.catalogue.ready; }"
    )
    shown = v.page.evaluate("() => window[document.querySelector('div.map-canvas').id].catalogue.shownTies()")
    assert sorted(shown) == sorted(t[5] for t in data["ties"] if data["statuses"][t[2]] == status)
    assert v.page.locator(".map-skip a").get_attribute("href") == "#list"
    v.assert_clean()


# -- what an edit re-renders: a list's first page and the pages whose rows change ------------------------


def test_a_status_edit_rewrites_a_lists_first_page_and_the_page_of_its_row_only(tmp_path, monkeypatch):
    from test_incremental import stamps, tree

    monkeypatch.setattr(paging, "PAGE_SIZE", 1)  # findcity's four agreements, one a page, in slug order
    project = make_project(tmp_path, FIXTURES / "findcity")
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    build(project, site, Config(tiles="none"), search=False)
    before, old = stamps(site), tree(site)
    second = "en/agreements/page/2.html"
    assert "jawa-barat-penang.html" in old[second].decode()  # the second agreement in slug order, active
    file = project.agreements / "jawa-barat-penang.md"
    file.write_text(file.read_text(encoding="utf-8").replace("status: active", "status: stalled"), encoding="utf-8")
    build(project, site, Config(tiles="none"), search=False)
    build(project, fresh, Config(tiles="none"), search=False, incremental=False)
    assert tree(site) == tree(fresh)
    after = tree(site)
    for prefix in ("", "en/"):
        for first in ("agreements/index.html", "countries/id.html"):
            later = urls.page(first, 2)
            # The first page counts the whole list (its map's legend); the second holds the row: both change.
            assert after[prefix + first] != old[prefix + first] and after[prefix + later] != old[prefix + later]
            for n in (3, 4):  # the rest of the list: left on disk as they were
                path = prefix + urls.page(first, n)
                assert stamps(site)[path] == before[path], path
    # A status list loses it and another gains it: its first page (count, legend), and the pages after its row.
    assert "statuses/active/2.html" in old and "statuses/active/2.html" not in after
    stalled = parse(site / "en/statuses/stalled.html")
    assert stalled.select_one("p.count").get_text() == "2 agreements"


def test_a_ties_row_is_the_same_markup_on_every_page_that_lists_it(paged):
    def row(path: str) -> str:
        page = parse(paged / path)
        (link,) = [a for a in page.select("ul.entries > li > a") if a["href"].endswith("/surakarta-xian.html")]
        return str(link.parent)

    # Pages at the same depth (a list's later page, a place page) show the same row, with the keys filters.js
    # reads where it filters the page's own rows (a place's page, a list of one page); a list's first page's
    # differs only in the way back to the language root.
    deep = [row(p) for p in ("en/countries/id/2.html", "en/places/cn/xian.html", "en/statuses/stalled.html")]
    keys = deep[1][: deep[1].index("><a") + 1]
    assert keys.startswith('<li data-f="stalled|') and deep[0].startswith("<li><a") and "Stalled" in deep[0]
    assert deep[1] == deep[0].replace("<li>", keys, 1) and deep[2] == deep[1].replace('href="../../', 'href="../')


def test_untrusted_text_in_a_row_is_escaped(tmp_path, monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    project = make_project(tmp_path, FIXTURES / "findcity")
    file = project.agreements / "surakarta-xian.md"
    hostile = '<script>alert(1)</script> "q" & <b>'
    text = file.read_text(encoding="utf-8")
    file.write_text(
        text.replace("kind: sister-city", f"title: {json.dumps(hostile)}\nkind: sister-city"), encoding="utf-8"
    )
    site = tmp_path / "site"
    build(project, site, Config(tiles="none"), search=False)
    for path in ("en/agreements/page/4.html", "en/countries/cn.html", "en/places/cn/xian.html"):
        raw = (site / path).read_text(encoding="utf-8")
        assert (
            "<script>alert(1)" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt; &#34;q&#34; &amp; &lt;b&gt;" in raw
        )
        (title,) = [a.get_text() for a in parse(site / path).select("ul.entries > li > a") if "alert" in a.get_text()]
        assert title == hostile
