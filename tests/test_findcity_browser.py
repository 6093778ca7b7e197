"""A citizen finding their city, in a real browser: search by the names people use, a city's page with
its province's ties, filters that say what they do, in both languages. On the findcity fixture catalogue."""

from __future__ import annotations

import pytest

from catalogue.config import Config
from catalogue.site import build, check
from catalogue import urls
from conftest import FIXTURES, make_project
from test_browser import serve, visit  # noqa: F401 (fixtures)
from test_browser_search import RESULT_LINKS, search

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def findcity(tmp_path_factory):
    """The findcity fixture built with its search index, served; and its catalogue."""
    project = make_project(tmp_path_factory.mktemp("findcity"), FIXTURES / "findcity")
    out = project.root / "site"
    build(project, out, Config(tiles="none"))
    with serve(out) as base:
        yield base, check(project).catalogue


# -- names people use ---------------------------------------------------------------


@pytest.mark.parametrize("root, name", [("", "Tempat"), ("en/", "Place")])
def test_solo_finds_surakarta_and_its_ties_in_both_languages(visit, findcity, root, name):
    base, catalogue = findcity
    v = visit(base)
    v.open(root + "index.html")
    hrefs = search(v.page, "Solo")
    ties = {"/" + root + e.url for e in catalogue.places["id/surakarta"].entries}
    assert hrefs[0] == "/" + root + urls.place("id/surakarta")  # the place first: "Solo" is one of its names
    assert set(hrefs) == {"/" + root + urls.place("id/surakarta")} | ties
    # Each result says what it is.
    assert v.page.locator(RESULT_LINKS).first.inner_text() == f"Surakarta · {name}"
    v.assert_clean()


def test_the_other_names_of_places_are_searchable(visit, findcity):
    base, _ = findcity
    v = visit(base)
    v.open("en/index.html")
    assert search(v.page, "Kōchi")[0] == "/en/places/jp/kochi.html"  # from places.yaml
    assert search(v.page, "West Java")[0] == "/en/places/id/jawa-barat.html"
    found = search(v.page, "Soerakarta")  # a GeoNames spelling, in the place's script: the place, and its ties
    assert found[0] == "/en/places/id/surakarta.html" and "/en/agreements/surakarta-xian.html" in found
    found = search(v.page, "Xian")
    assert "/en/places/cn/xian.html" in found and "/en/agreements/surakarta-xian.html" in found
    # A place's page is found by its own names, not by the ties it lists (search.EXCLUDE): each has its own page.
    assert "/en/places/id/surakarta.html" not in found
    v.assert_clean()


def test_search_finds_countries_sectors_statuses_kinds_and_about(visit, findcity):
    base, _ = findcity
    v = visit(base)
    v.open("index.html")
    assert search(v.page, "Jepang")[0] == "/countries/jp.html"
    assert v.page.locator(RESULT_LINKS).first.inner_text() == "Jepang · Negara"
    assert search(v.page, "pendidikan")[0] == "/sectors/education.html"
    assert search(v.page, "Mandek")[0] == "/statuses/stalled.html"
    assert "/kinds/sister-province.html" in search(v.page, "Provinsi kembar")
    v.open("en/index.html")
    assert search(v.page, "Japan")[0] == "/en/countries/jp.html"
    assert search(v.page, "About")[0] == "/en/about.html"
    v.assert_clean()


# -- your city within its region ----------------------------------------------------------


def test_bandungs_page_lists_jawa_barats_ties(visit, findcity):
    base, catalogue = findcity
    # The relation is the index's, from the gazetteer's admin1 code mapped in places.yaml (the entry names no region).
    assert catalogue.within["id/bandung"] == ("id/jawa-barat",)
    province = [e.url for e in catalogue.places["id/jawa-barat"].entries]
    assert province
    for root, heading in (
        ("", "Kerja sama Jawa Barat, provinsi tempat Bandung berada"),
        ("en/", "Ties of Jawa Barat, the province Bandung lies in"),
    ):
        v = visit(base)
        v.open(root + "places/id/bandung.html")
        section = v.page.locator("section.area-ties")
        assert section.locator("h2").inner_text() == f"{heading} ({len(province)})"
        assert section.locator("ul.entries > li > a").evaluate_all("as => as.map(a => a.getAttribute('href'))") == [
            "../../" + url for url in province
        ]
        own = v.page.locator("#ties + ul.entries > li > a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert own == ["../../" + e.url for e in catalogue.places["id/bandung"].entries]
        v.assert_clean()


# -- filters a reader can trust -------------------------------------------------------------


def test_the_language_switch_keeps_the_filter(visit, findcity):
    base, _ = findcity
    v = visit(base)
    v.open("agreements/index.html?status=stalled")
    assert v.page.input_value("select[name=status]") == "stalled"
    with v.page.expect_navigation():
        v.page.click("nav.languages a[hreflang=en]")
    assert v.page.url == base + "en/agreements/index.html?status=stalled"
    assert v.page.input_value("select[name=status]") == "stalled"
    # A filter chosen on the page goes along too.
    v.page.select_option("select[name=status]", "active")
    with v.page.expect_navigation():
        v.page.click("nav.languages a[hreflang=id]")
    assert v.page.url == base + "agreements/index.html?status=active"
    v.assert_clean()


def visible_titles(page) -> list[str]:
    return [a.inner_text() for a in page.locator("ul.entries > li > a").all() if a.is_visible()]


def test_an_unknown_filter_value_is_named_with_the_valid_choices(visit, findcity):
    base, catalogue = findcity
    v = visit(base)
    v.open("en/agreements/index.html?status=actve")
    unknown = v.page.locator(".filters-unknown")
    assert unknown.inner_text().startswith(
        "“actve” is not a known status, so it filters nothing. Choose one of: Active, "
    )
    choices = unknown.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert "?status=stalled" in choices and len(choices) == len(
        catalogue.statuses
    )  # every status, not only those listed
    assert len(visible_titles(v.page)) == len(catalogue.entries)
    with v.page.expect_navigation():
        unknown.locator("a", has_text="Stalled").click()
    assert visible_titles(v.page) == [e.agreement.display_title for e in catalogue.statuses["stalled"]]
    assert v.page.locator(".filters-unknown").count() == 0
    v.assert_clean()


def test_an_empty_result_says_so_and_offers_to_clear(visit, findcity):
    base, catalogue = findcity
    v = visit(base)
    # Jawa Barat has ties, none of them ended: 'ended' is valid here, and leaves nothing.
    v.open("en/places/id/jawa-barat.html?status=ended")
    assert visible_titles(v.page) == []
    assert v.page.locator("form.filters").is_visible()
    assert v.page.inner_text(".filters-empty") == "No agreement in this list matches these filters. Clear the filters"
    v.page.click("button.filters-clear")
    assert len(visible_titles(v.page)) == len(catalogue.places["id/jawa-barat"].entries)
    assert v.page.url == base + "en/places/id/jawa-barat.html"
    assert v.page.locator(".filters-empty").count() == 0
    v.assert_clean()


def test_in_indonesian_too_an_unknown_value_is_named(visit, findcity):
    base, _ = findcity
    v = visit(base)
    v.open("agreements/index.html?status=actve&sector=pendidikan")
    messages = v.page.locator(".filters-unknown").all_inner_texts()
    assert messages[0].startswith(
        "“actve” bukan status yang dikenal, jadi tidak menyaring apa pun. Pilih salah satu: Aktif, "
    )
    assert messages[1].startswith("“pendidikan” bukan bidang yang dikenal")
    v.assert_clean()


# -- statistics, copy buttons and tables, on a phone and a desktop ---------------------------------------


@pytest.fixture
def phone(browser, findcity):
    """A 390 px wide tab (an ordinary phone) on the findcity site."""
    base, _ = findcity
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    try:
        yield context.new_page(), base
    finally:
        context.close()


def overflows(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth")


@pytest.mark.parametrize("width", [390, 1280])
def test_statistics_labels_are_whole_and_tables_wait_behind_a_disclosure(browser, findcity, width):
    base, _ = findcity
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(base + "en/statistics.html")
        assert not overflows(page)
        for section in page.locator("section.stats-chart").all():
            drawn = section.locator("svg text.chart-label").all_text_contents()
            rows = section.locator("table.stats-table tbody th").all_text_contents()
            assert drawn == rows  # every label drawn whole, none cut to an ellipsis
            box = section.locator("svg").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
            for label in section.locator("svg text.chart-label").all():  # and inside the chart's box
                inner = label.bounding_box()
                assert inner["x"] >= box["x"] - 1 and inner["x"] + inner["width"] <= box["x"] + box["width"] + 1
            assert not section.locator("table.stats-table").is_visible()
        first = page.locator("details.stats-data").first
        first.locator("summary").click()
        assert first.locator("table.stats-table").is_visible()
        if width > 1000:  # on a desktop, charts sit side by side
            tops = [s.bounding_box()["y"] for s in page.locator("section.stats-chart").all()[:2]]
            assert tops[0] == tops[1]
    finally:
        context.close()


def test_the_kinds_list_is_in_the_navigation(visit, findcity):
    base, _ = findcity
    v = visit(base)
    v.open("en/index.html")
    with v.page.expect_navigation():
        v.page.click("header nav a:text('Kinds of tie')")
    assert v.page.url == base + "en/kinds/index.html"
    v.assert_clean()


def test_copy_buttons_are_styled_and_say_so_to_a_screen_reader(browser, findcity):
    base, _ = findcity
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    try:
        page = context.new_page()
        page.goto(base + "en/agreements/surakarta-xian.html")
        button = page.locator("button.copy").first
        style = button.evaluate(
            "b => { const s = getComputedStyle(b); return [s.borderTopLeftRadius, s.cursor, s.fontWeight]; }"
        )
        assert style == ["6.4px", "pointer", "600"]  # not the browser's default grey button
        status = page.locator("#cite-status")
        assert status.get_attribute("role") == "status"  # a live region, polite by its role
        button.click()
        page.wait_for_function("() => document.getElementById('cite-status').textContent === 'Copied.'")
        assert "copied" in button.get_attribute("class")
        assert page.evaluate("() => navigator.clipboard.readText()") == page.inner_text("#cite-text")
    finally:
        context.close()


def test_tables_stay_readable_on_a_phone(phone):
    page, base = phone
    page.goto(base + "en/agreements/surabaya-kochi.html")
    assert not overflows(page)
    note = page.locator("table.progress td").last
    assert note.inner_text().startswith("Teachers from both cities")
    # The note takes the phone's width, not a squeezed column: a few lines, many words to a line.
    box = note.bounding_box()
    assert box["width"] >= 300
    lines = box["height"] / float(note.evaluate("td => parseFloat(getComputedStyle(td).lineHeight)"))
    assert lines <= 4
    page.goto(base + "en/open-data.html")
    assert not overflows(page)
    for cell in page.locator("table.data td:nth-child(2)").all():
        assert cell.bounding_box()["width"] >= 300
