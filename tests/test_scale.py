"""Pages a reader can open at any catalogue size: every page that would grow with the catalogue is bounded.

One generated catalogue (a few hundred ties: a hub city with more ties than a page holds,
countries with more places than the places index shows, every freshness section long), built once
with small page sizes, so each bound is crossed. The tests assert relations: no page holds more
rows than its bounds allow, every tie and place is still reachable through the pages that replaced
the long lists, and the links between a list's pages agree both ways.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from bs4 import BeautifulSoup, SoupStrainer

from catalogue import paging, urls
from catalogue.config import Config
from catalogue.dates import read_dates
from catalogue.freshness import sections
from catalogue.site import Project, build, check
from conftest import REPO

PAGE_SIZE, INLINE, PLACES_INLINE, PLACES_PAGE_SIZE = 10, 4, 3, 7
ENTRIES = 150
PARTNER_COUNTRIES = ("JP", "DE", "FR", "US", "KR", "NL")


def entry_text(i: int) -> str:
    """Tie i: every other one is the hub's; partners spread over a few countries; freshness varied by i."""
    hub = "Kota Hub" if i % 2 == 0 else f"Kota {i % 7}"
    country = PARTNER_COUNTRIES[i % len(PARTNER_COUNTRIES)]
    as_of = {0: "as_of: unknown\n", 1: "as_of: 2010\n", 2: "as_of: 2024\n"}[i % 3]  # unconfirmed, stale, fresh
    documents = (
        "documents:\n  - type: loi\n    title: Letter of Intent\n    signed: 2012\n    term_years: 5\n"
        if i % 4 == 0
        else ""
    )
    return (
        "---\nparties:\n"
        f"  - name: {hub}\n    level: city\n    country: ID\n    coordinates: [-6.{i % 9 + 1}, 106.{i % 7 + 1}]\n"
        f"  - name: Partner {i}\n    level: city\n    country: {country}\n"
        f"    coordinates: [{10 + i % 40}.5, {i % 90}.25]\n"
        f"kind: sister-city\nstatus: active\n{as_of}since: {1990 + i % 30}\nsectors: [education]\n{documents}"
        "sources:\n  - title: A generated source for the scale tests\n"
        f"---\nTie {i}.\n"
    )


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    """(site folder, checked catalogue, reference date) of the generated catalogue, built with small pages."""
    root = tmp_path_factory.mktemp("scale") / "catalogue"
    (root / "content" / "agreements").mkdir(parents=True)
    for i in range(ENTRIES):
        (root / "content" / "agreements" / f"tie-{i:03d}.md").write_text(entry_text(i), encoding="utf-8")
    (root / "catalogue.toml").write_text('tiles = "none"\n', encoding="utf-8")
    (root / "templates").symlink_to(REPO / "templates")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(paging, "PAGE_SIZE", PAGE_SIZE)
    monkeypatch.setattr(paging, "INLINE", INLINE)
    monkeypatch.setattr(paging, "PLACES_INLINE", PLACES_INLINE)
    monkeypatch.setattr(paging, "PLACES_PAGE_SIZE", PLACES_PAGE_SIZE)
    try:
        out = root / "site"
        project = Project(root)
        build(project, out, Config(tiles="none"), search=False)
        checked = check(project)
    finally:
        monkeypatch.undo()
    return out, checked.catalogue, read_dates(root, checked.catalogue).reference


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def target(page: Path, href: str) -> Path:
    return (page.parent / urldefrag(href)[0]).resolve()


def ties_on(page: Path) -> list[Path]:
    return [target(page, a["href"]) for a in parse(page).select("ul.entries > li > a")]


def through_pages(first: Path) -> list[Path]:
    """A list's pages, from its first along rel=next."""
    found = [first.resolve()]
    while (link := parse(found[-1]).select_one('link[rel="next"]')) is not None:
        found.append(target(found[-1], link["href"]))
        assert len(found) < 1000, "rel=next goes round in a circle"
    return found


def test_the_generated_catalogue_crosses_every_bound(scaled):
    """So the tests below test something: each long list really is longer than its page."""
    _, catalogue, reference = scaled
    assert max(len(g.entries) for g in catalogue.places.values()) > PAGE_SIZE
    assert all(len(entries) > INLINE for entries in sections(catalogue, reference).values())
    partner_places = [g for g in catalogue.places.values() if g.place.country == "JP"]
    assert len(partner_places) > PLACES_PAGE_SIZE > PLACES_INLINE


def test_no_page_lists_more_than_its_bounds(scaled):
    """A page holds at most a page of ties and a few sections' inline ties; its size follows.

    The indexes have a row per term, per country, or (places) per home place and a few per partner
    country: bounded by the vocabularies and the world, not by the catalogue. The bound in bytes:
    the largest page that never grows (an agreement page, the statistics) plus, for every row a page may hold, the
    largest row any page has. A list of every tie (the freshness page as it was, a hub's page) is far above it.
    """
    site, catalogue, _ = scaled
    most_rows = max(PAGE_SIZE + 3 * INLINE, PLACES_PAGE_SIZE)  # a list page, the freshness page's sections
    countries = {g.place.country for g in catalogue.places.values()}
    home_places = sum(g.place.country == "ID" for g in catalogue.places.values())
    index_rows = home_places + len(countries) * (PLACES_INLINE + 1)
    pages = sorted(site.rglob("*.html"))
    # Only the lists are built into trees (every <ul> and <li>, each with all it holds): the rows are
    # the same elements, whole, as in the page parsed entire, at half the cost over a thousand pages.
    lists = SoupStrainer(["ul", "li"])
    rows = {
        page: BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser", parse_only=lists).select(
            "ul.entries > li, ul.places > li, ul.groups > li"
        )
        for page in pages
    }
    widest = max(len(str(row).encode("utf-8")) for found in rows.values() for row in found)
    # Pages that never grow with the catalogue: agreement pages, and the statistics page (its charts are bounded
    # by the vocabularies and the years, not by the number of ties).
    fixed = max(page.stat().st_size for page in [*(site / "agreements").glob("*.html"), *site.rglob("statistics.html")])
    for page in pages:
        if page.name == "index.html" and page.parent.name in {"countries", *urls.TERM_GROUPS}:
            continue  # an index of a vocabulary or of the countries: one row per term or country
        bound = index_rows if page.name == "index.html" and page.parent.name == "places" else most_rows
        assert len(rows[page]) <= bound, page
        assert page.stat().st_size <= fixed + bound * widest, page
    assert len(catalogue.entries) > 2 * max(most_rows, index_rows)  # a page listing them all would fail


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_every_tie_of_a_freshness_section_is_reached_from_the_freshness_page(scaled, prefix):
    site, catalogue, reference = scaled
    page = site / prefix / urls.FRESHNESS
    soup = parse(page)
    for section, entries in sections(catalogue, reference).items():
        heading = soup.select_one(f"h2#{section}")
        assert f"({len(entries)})" in heading.text  # the count is the whole section's
        inline = []
        for sibling in heading.find_next_siblings():
            if sibling.name == "h2":
                break
            inline += [target(page, a["href"]) for a in sibling.select("ul.entries > li > a")]
        expected = [(site / prefix / e.url).resolve() for e in entries]
        assert inline == expected[:INLINE]  # its first ties, in the section's order (oldest first)
        more = heading.find_next("p", class_="more").a
        first = target(page, more["href"])
        assert first == (site / prefix / urls.freshness_list(section)).resolve()
        listed = [tie for list_page in through_pages(first) for tie in ties_on(list_page)]
        assert listed == expected  # the whole section, each once, in order, over its pages


def test_a_short_freshness_section_stays_whole_on_the_page(tmp_path):
    """The shipped catalogue's sections are short: the page lists them wholly and links to no list."""
    from conftest import SHIPPED, make_project

    project = make_project(tmp_path, SHIPPED)
    out = tmp_path / "site"
    build(project, out, Config(tiles="none"), search=False)
    checked = check(project)
    found = sections(checked.catalogue, read_dates(project.root, checked.catalogue).reference)
    assert all(len(entries) <= paging.INLINE for entries in found.values())
    page = parse(out / urls.FRESHNESS)
    assert len(page.select("ul.entries > li")) == sum(len(entries) for entries in found.values())
    assert page.select("p.more") == []


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_every_place_is_reached_from_the_places_index(scaled, prefix):
    """Directly when its country has few places; else through the country's pages of places,
    which the country's own list page links to as well."""
    site, catalogue, _ = scaled
    index = site / prefix / urls.PLACES
    reached = set()
    for a in parse(index).select("a[href]"):
        linked = target(index, a["href"])
        reached.add(linked)
        if linked.parent.name != "countries" and linked.name == "places.html":
            for page in through_pages(linked):
                reached |= {target(page, a["href"]) for a in parse(page).select("ul.places a[href]")}
    for key in catalogue.places:
        assert (site / prefix / urls.place(key)).resolve() in reached, key
    by_country: dict[str, int] = {}
    for group in catalogue.places.values():
        by_country[group.place.country] = by_country.get(group.place.country, 0) + 1
    for code, count in by_country.items():
        if code == "ID":
            continue
        country_page = site / prefix / urls.country(code)
        places_link = (site / prefix / urls.country_places(code)).resolve()
        links = {target(country_page, a["href"]) for a in parse(country_page).select("main a[href]")}
        assert (places_link in links) == (count > PLACES_INLINE), code
        assert (places_link in reached) == (count > PLACES_INLINE), code


def test_a_hub_s_page_shows_a_page_of_ties_and_links_to_all_of_them(scaled):
    site, catalogue, _ = scaled
    key, hub = max(catalogue.places.items(), key=lambda kv: len(kv[1].entries))
    page = site / urls.place(key)
    soup = parse(page)
    own = [target(page, a["href"]) for a in soup.select("h2#ties ~ ul.entries")[0].select("ul.entries > li > a")]
    assert len(own) == PAGE_SIZE
    assert f"({len(hub.entries)})" in soup.select_one("h2#ties").text
    first = target(page, soup.select_one("h2#ties ~ p.more a")["href"])
    listed = [tie for list_page in through_pages(first) for tie in ties_on(list_page)]
    assert sorted(listed) == sorted((site / e.url).resolve() for e in hub.entries)
    assert listed[:PAGE_SIZE] == own


def test_prev_and_next_links_agree_both_ways(scaled):
    """Every rel=next has a rel=prev back, and each page's pager marks itself as current."""
    site, _, _ = scaled
    checked = 0
    parsed: dict[Path, BeautifulSoup] = {}  # a page is read as a list's page and as the next one's previous

    def soup_of(page: Path) -> BeautifulSoup:
        if page not in parsed:
            parsed[page] = parse(page)
        return parsed[page]

    for page in sorted(site.rglob("*.html")):
        if b"next" not in page.read_bytes().lower():
            continue  # no rel=next in any case (HTML matches rel case-blind): spare parsing the page
        soup = soup_of(page.resolve())
        following = soup.select_one('link[rel="next"]')
        if following is None:
            continue
        then = target(page, following["href"])
        assert then.is_file(), (page, following["href"])
        back = soup_of(then).select_one('link[rel="prev"]')
        assert back is not None and target(then, back["href"]) == page.resolve(), page
        nav_next = soup.select_one("nav.pager a[rel=next]")
        assert nav_next is not None and target(page, nav_next["href"]) == then
        checked += 1
    assert checked > 10


def test_new_list_addresses_never_take_a_page_s_or_a_place_s():
    assert urls.country_places("JP") == "countries/jp/places.html"
    assert urls.page(urls.country_places("JP"), 2) == "countries/jp/places/2.html"
    # A country's own list pages are numbered: none is named places.html.
    assert all(urls.page(urls.country("JP"), n) != urls.country_places("JP") for n in range(1, 50))
    # A place key is <country>/<slug>: its ties' list sits one folder deeper than any place page.
    assert urls.place_ties("jp/kochi") == "places/jp/kochi/ties.html"
    assert urls.place_ties("jp/kochi").count("/") > urls.place("jp/anything").count("/")
    assert urls.page(urls.freshness_list("stale"), 3) == "freshness/stale/3.html"


def test_filter_data_of_a_paged_section_covers_the_whole_section(scaled):
    site, catalogue, reference = scaled
    stale = sections(catalogue, reference)["stale"]
    data = json.loads((site / urls.list_data(urls.freshness_list("stale"))).read_text(encoding="utf-8"))
    # Positions in the rows of all agreements (paging.list_index), in the section's order: oldest first.
    everything = json.loads((site / urls.list_data(urls.AGREEMENTS)).read_text(encoding="utf-8"))["rows"]
    assert data["in"] == urls.list_data(urls.AGREEMENTS) and data["total"] == len(stale)
    assert [everything[i][0] for i in data["of"]] == [e.url for e in stale]


def test_the_split_pages_are_the_same_bytes_from_a_second_build(scaled, tmp_path):
    """Output stays deterministic with the new pages: a second build of the same catalogue in another
    folder writes the same bytes for every page of the freshness sections, countries' places and hubs' ties."""
    site, _, _ = scaled
    source = site.parent
    root = tmp_path / "again"
    shutil.copytree(source / "content", root / "content")
    shutil.copy(source / "catalogue.toml", root / "catalogue.toml")
    (root / "templates").symlink_to(REPO / "templates")
    monkeypatch = pytest.MonkeyPatch()
    for name, value in (
        ("PAGE_SIZE", PAGE_SIZE),
        ("INLINE", INLINE),
        ("PLACES_INLINE", PLACES_INLINE),
        ("PLACES_PAGE_SIZE", PLACES_PAGE_SIZE),
    ):
        monkeypatch.setattr(paging, name, value)
    try:
        build(Project(root), root / "site", Config(tiles="none"), search=False)
    finally:
        monkeypatch.undo()
    split = [
        p.relative_to(site)
        for p in sorted(site.rglob("*.html"))
        if "freshness/" in p.as_posix()
        or p.name == "places.html"
        or "/ties" in p.as_posix()
        or p.parent.name == "places"
        and p.parent.parent.name != "site"
    ]
    assert len(split) > 10
    for path in split + [Path(urls.FRESHNESS), Path(urls.PLACES)]:
        assert (root / "site" / path).read_bytes() == (site / path).read_bytes(), path
