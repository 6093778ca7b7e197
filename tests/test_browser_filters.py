"""Filters above a list: the partial rendered as the lead's pages will render it, driven in the real browser."""

from __future__ import annotations

import shutil

import pytest
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, StrictUndefined

from catalogue.words import words_script
from conftest import REPO
from test_browser import serve, visit  # noqa: F401 (fixtures)

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Agreements</title><link rel="icon" href="data:,"></head>
<body>
<main>
<h1>All agreements</h1>
{% include "partials/filters.html" %}
<ul class="entries">
{% for e in entries %}
  <li data-f="{{ e.status }}|{{ e.kind }}|{{ e.sectors|join(' ') }}|{{ e.countries|join(' ') }}"><a href="{{ e.slug }}.html">{{ e.slug }}</a></li>
{% endfor %}
</ul>
</main>
<script src="../assets/words.en.js" defer></script>
<script src="../assets/filters.js" defer></script>
</body>
</html>
"""

ENTRIES = [
    {
        "slug": "yogyakarta-kyoto",
        "status": "active",
        "kind": "sister-city",
        "sectors": ["education", "culture"],
        "countries": ["ID", "JP"],
    },
    {
        "slug": "surakarta-xian",
        "status": "stalled",
        "kind": "sister-city",
        "sectors": ["education"],
        "countries": ["ID", "CN"],
    },
    {
        "slug": "bandung-suwon",
        "status": "active",
        "kind": "friendship-city",
        "sectors": ["trade"],
        "countries": ["ID", "KR"],
    },
    {
        "slug": "jawa-tengah-hyogo",
        "status": "ended",
        "kind": "sister-province",
        "sectors": [],
        "countries": ["ID", "JP"],
    },
]
LABELS = {
    "active": "Active",
    "stalled": "Stalled",
    "ended": "Ended",
    "sister-city": "Sister city",
    "friendship-city": "Friendship city",
    "sister-province": "Sister province",
    "education": "Education",
    "culture": "Culture",
    "trade": "Trade",
    "ID": "Indonesia",
    "JP": "Japan",
    "CN": "China",
    "KR": "South Korea",
}
ALL = [e["slug"] for e in ENTRIES]


def facets(entries) -> dict[str, list[tuple[str, str, int]]]:
    """What the lead's views.facets() gives the partial: each facet's keys in the list, labelled, counted."""
    out = {}
    for name, field in (("status", "status"), ("kind", "kind"), ("sector", "sectors"), ("country", "countries")):
        counts: dict[str, int] = {}
        for e in entries:
            for key in e[field] if isinstance(e[field], list) else [e[field]]:
                counts[key] = counts.get(key, 0) + 1
        out[name] = [(key, LABELS[key], counts[key]) for key in sorted(counts, key=LABELS.get)]
    return out


def render(entries=ENTRIES, facet_values=None) -> str:
    env = Environment(
        loader=ChoiceLoader([DictLoader({"page.html": PAGE}), FileSystemLoader(REPO / "templates")]),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)
    return env.get_template("page.html").render(
        entries=entries, facets=facet_values if facet_values is not None else facets(entries)
    )


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    site = tmp_path_factory.mktemp("filters")
    (site / "agreements").mkdir()
    (site / "agreements" / "index.html").write_text(render(), encoding="utf-8")
    (site / "agreements" / "two.html").write_text(render(ENTRIES[:2]), encoding="utf-8")
    (site / "agreements" / "one.html").write_text(render(ENTRIES[:1]), encoding="utf-8")
    same = [ENTRIES[0], {**ENTRIES[0], "slug": "yogyakarta-kyoto-2"}]
    (site / "agreements" / "same.html").write_text(render(same), encoding="utf-8")
    (site / "assets").mkdir()
    shutil.copy(REPO / "templates" / "assets" / "filters.js", site / "assets" / "filters.js")
    # The script's words, as a build writes them (catalogue/words.py): English, these countries.
    (site / "assets" / "words.en.js").write_bytes(words_script("en", ["CN", "ID", "JP", "KR"]))
    with serve(site) as url:
        yield url


def shown(page) -> list[str]:
    return [a.inner_text() for a in page.locator("ul.entries > li > a").all() if a.is_visible()]


def selected(page) -> dict[str, str]:
    return page.eval_on_selector_all("form.filters select", "ss => Object.fromEntries(ss.map(s => [s.name, s.value]))")


# -- the partial alone ----------------------------------------------------------------


def test_the_page_carries_no_select_the_script_makes_them():
    from bs4 import BeautifulSoup

    form = BeautifulSoup(render(ENTRIES), "html.parser").select_one("form.filters")
    assert form.has_attr("hidden") and form["data-pagefind-ignore"] == "all"
    assert form.select("select") == []  # hidden without JavaScript anyway: filters.js makes them from the rows


@pytest.mark.browser
def test_a_facet_that_would_leave_nothing_out_gets_no_select(visit, base):
    v = visit(base)
    v.open("agreements/two.html")  # both sister cities; education is in both, culture in one
    assert v.page.eval_on_selector_all("form.filters select", "ss => ss.map(s => s.name)") == [
        "status",
        "sector",
        "country",
    ]
    assert v.page.eval_on_selector_all("select[name=country] option", "os => os.map(o => o.textContent)") == [
        "all",
        "China (1)",
        "Indonesia (2)",
        "Japan (1)",
    ]
    assert v.page.get_attribute("select[name=country] option", "value") == ""
    v.assert_clean()


@pytest.mark.browser
def test_no_select_when_nothing_can_be_filtered(visit, base):
    # The form is still there, hidden, to speak of a filter given in the address (test_findcity_browser.py).
    v = visit(base)
    for name in ("one", "same"):
        v.open(f"agreements/{name}.html")
        assert v.page.locator("form.filters select").count() == 0
        assert not v.page.locator("form.filters").is_visible()


# -- in the browser -----------------------------------------------------------------------


@pytest.mark.browser
def test_choosing_a_status_hides_the_others_and_goes_into_the_url(visit, base):
    v = visit(base)
    v.open("agreements/index.html")
    form = v.page.locator("form.filters")
    assert form.is_visible()
    assert v.page.inner_text(".filters-count") == "Agreements shown: 4 of 4"
    v.page.select_option("select[name=status]", "active")
    assert shown(v.page) == ["yogyakarta-kyoto", "bandung-suwon"]
    assert v.page.url == base + "agreements/index.html?status=active"
    assert v.page.inner_text(".filters-count") == "Agreements shown: 2 of 4"
    v.page.select_option("select[name=sector]", "education")
    assert shown(v.page) == ["yogyakarta-kyoto"]
    assert v.page.url == base + "agreements/index.html?status=active&sector=education"
    v.page.reload()
    assert selected(v.page) == {"status": "active", "kind": "", "sector": "education", "country": ""}
    assert shown(v.page) == ["yogyakarta-kyoto"]
    assert v.page.inner_text(".filters-count") == "Agreements shown: 1 of 4"
    v.page.click(".filters-reset")
    assert shown(v.page) == ALL
    assert v.page.url == base + "agreements/index.html"
    assert selected(v.page) == {"status": "", "kind": "", "sector": "", "country": ""}
    v.assert_clean()


@pytest.mark.browser
def test_a_shared_url_opens_filtered(visit, base):
    v = visit(base)
    v.open("agreements/index.html?country=JP&kind=sister-city")
    assert selected(v.page) == {"status": "", "kind": "sister-city", "sector": "", "country": "JP"}
    assert shown(v.page) == ["yogyakarta-kyoto"]
    v.page.select_option("select[name=kind]", "")
    assert shown(v.page) == ["yogyakarta-kyoto", "jawa-tengah-hyogo"]
    assert v.page.url == base + "agreements/index.html?country=JP"
    v.assert_clean()


@pytest.mark.browser
def test_an_unknown_value_in_the_url_filters_nothing(visit, base):
    v = visit(base)
    v.open("agreements/index.html?status=actve&colour=red")
    assert selected(v.page)["status"] == ""
    assert shown(v.page) == ALL
    v.page.select_option("select[name=country]", "KR")
    # The URL says what is shown: the misspelt status goes, a parameter that is not a filter's stays.
    assert v.page.url == base + "agreements/index.html?colour=red&country=KR"
    assert shown(v.page) == ["bandung-suwon"]
    v.assert_clean()


@pytest.mark.browser
def test_the_filters_work_from_the_keyboard(visit, base):
    v = visit(base)
    v.open("agreements/index.html")
    v.page.focus("select[name=status]")
    v.page.keyboard.press("ArrowDown")  # a closed select steps to its next option: Active
    assert shown(v.page) == ["yogyakarta-kyoto", "bandung-suwon"]
    assert v.page.url.endswith("?status=active")
    v.page.focus(".filters-reset")
    v.page.keyboard.press("Enter")
    assert shown(v.page) == ALL
    v.assert_clean()


@pytest.mark.browser
def test_without_javascript_the_whole_list_shows_and_the_form_stays_hidden(browser, base):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "agreements/index.html?status=active")
        assert shown(page) == ALL
        assert page.locator("form.filters").is_hidden()
    finally:
        context.close()
