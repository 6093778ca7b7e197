"""Rendered pages, read with selectors: what a reader sees on each kind of page, and that every link works."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from catalogue import vocab
from catalogue.config import Config
from catalogue.exports import DATA_LICENCE
from catalogue.site import Project, build, load_pages
from catalogue import urls
from conftest import REPO, entry_files, html_pages, parse

FIXTURE_SLUGS = ["jawa-barat-penang", "sragen-usaid", "surakarta-xian"]


@pytest.fixture(scope="module")
def site(built) -> Path:
    """The fixture catalogue, built once per run (conftest.built), without tiles."""
    return built


def page(site: Path, path: str):
    """A page of the English site (under en/); the Indonesian one at the root is tested in test_i18n.py."""
    return parse(site / "en" / path)


def text(element) -> str:
    return " ".join(element.get_text().split())


def entry_links(soup) -> list[str]:
    return [a["href"] for a in soup.select("ul.entries > li > a")]


# -- the agreement page -------------------------------------------------------


def test_agreement_page_names_both_parties_and_links_their_places(site):
    soup = page(site, "agreements/surakarta-xian.html")
    assert text(soup.h1) == "Surakarta – Xi'an"
    parties = soup.select("section.parties .party")
    assert [(text(p.h2), p.h2.a["href"]) for p in parties] == [
        ("Surakarta", "../places/id/surakarta.html"),
        ("Xi'an", "../places/cn/xian.html"),
    ]
    assert [text(p.select_one("p")) for p in parties] == ["City, Jawa Tengah, Indonesia", "City, China"]
    assert [p.select_one("p a")["href"] for p in parties] == ["../countries/id.html", "../countries/cn.html"]
    assert [text(p.select_one(".note")) for p in parties] == ["On the map (location from GeoNames)."] * 2


def test_agreement_page_facts(site):
    soup = page(site, "agreements/surakarta-xian.html")
    badge = soup.select_one(".status-line .badge")
    assert text(badge) == "Stalled"
    assert badge["class"] == ["badge", "badge-stalled"]
    assert text(soup.select_one(".status-line .as-of")) == "as of 2017"
    facts = dict(zip((text(dt) for dt in soup.select("dl.facts dt")), soup.select("dl.facts dd")))
    assert list(facts) == ["Kind", "Since", "Sectors"]
    assert text(facts["Kind"]) == "Sister city"
    assert facts["Kind"].a["href"] == "../kinds/sister-city.html"
    assert text(facts["Since"]) == "25 September 2015"
    assert [(text(a), a["href"]) for a in facts["Sectors"].select("a.tag")] == [
        ("Trade", "../sectors/trade.html"),
        ("Culture", "../sectors/culture.html"),
    ]
    assert [a["href"] for a in soup.select(".crumbs a")] == ["../agreements/index.html", "../kinds/sister-city.html"]


def test_agreement_page_documents_and_sources(site):
    soup = page(site, "agreements/surakarta-xian.html")
    assert [text(li) for li in soup.select("ul.documents li")] == ["Letter of Intent (LoI) · signed 25 September 2015"]
    assert [text(li) for li in soup.select("ol.sources li")] == [
        "“Kerjasama luar negeri pemerintah daerah di wilayah Karesidenan Surakarta 2012-2017”, journal article, 2017.",
    ]
    assert (
        text(soup.select_one("section.body p"))
        == "A Letter of Intent was signed on 25 September 2015; by 2017 no follow-up was visible."
    )
    assert text(soup.select_one(".permalink code")) == "content/agreements/surakarta-xian.md"


def test_source_with_a_link_and_access_date(site):
    soup = page(site, "agreements/jawa-barat-penang.html")
    (source,) = soup.select("ol.sources li")
    assert text(source) == "“Peran Pemerintah Daerah dalam Kerjasama Internasional”. Accessed 31 January 2025."
    assert source.a["href"] == "https://example.org/paper.pdf"
    assert source.a["rel"] == ["nofollow", "noopener", "noreferrer"]


def test_progress_table(site):
    soup = page(site, "agreements/jawa-barat-penang.html")
    table = soup.select_one("table.progress")
    assert [text(th) for th in table.select("thead th")] == ["Sector", "State", "Note"]
    rows = [[text(cell) for cell in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]
    assert rows == [["Investment", "Under way", "Investment cooperation set out in an MoU."]]
    assert table.select_one("tbody span")["class"] == ["progress-under-way"]


def test_unknown_dates_are_said_to_be_unknown(site):
    soup = page(site, "agreements/jawa-barat-penang.html")
    facts = dict(zip((text(dt) for dt in soup.select("dl.facts dt")), (text(dd) for dd in soup.select("dl.facts dd"))))
    assert facts["Since"] == "not stated in the sources"
    assert text(soup.select_one(".status-line .as-of")) == "the source does not say when this was observed"
    assert soup.select_one("table.progress") is not None
    assert soup.select("ul.documents") == []  # none given, so no empty heading
    listing = page(site, "agreements/index.html")
    # A row's two lines after its badge are plain text, split by <br> (catalogue/rows.py).
    (row,) = listing.select('ul.entries > li[data-f^="active|"]')
    lines = [str(t).strip() for t in row.find("span").next_siblings if isinstance(t, str)]
    assert lines == [
        "Sister province · start date not stated",
        "Indonesia – Malaysia · Investment",
    ]


def test_ended_tie_shows_its_end(site):
    soup = page(site, "agreements/sragen-usaid.html")
    facts = dict(zip((text(dt) for dt in soup.select("dl.facts dt")), (text(dd) for dd in soup.select("dl.facts dd"))))
    assert facts == {"Kind": "Cooperation", "Since": "2013", "Ended": "2017", "Sectors": "Education"}
    assert text(soup.select_one(".status-line .badge")) == "Ended"


def test_organisation_party_says_it_is_not_on_the_map_and_why(site):
    soup = page(site, "agreements/sragen-usaid.html")
    usaid = soup.select("section.parties .party")[1]
    assert text(usaid.h2) == "USAID"
    assert text(usaid.select_one(".note")) == "Not on the map: organisation, not a place."
    place = page(site, "places/us/usaid.html")
    assert text(place.select_one("p .note")) == "Not on the map: organisation, not a place."


def test_agreement_page_map_is_there_only_when_something_is_located(site, project):
    assert len(page(site, "agreements/surakarta-xian.html").select("figure.map div.map-canvas")) == 1
    assert len(page(site, "agreements/sragen-usaid.html").select("figure.map div.map-canvas")) == 1  # Sragen is located
    entry = project.agreements / "sragen-usaid.md"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace("level: regency", "level: organisation"), encoding="utf-8"
    )
    build(project, project.root / "site", Config(tiles="none"))
    soup = page(project.root / "site", "agreements/sragen-usaid.html")
    assert soup.select("figure.map") == [] and soup.select(".map-legend") == []
    assert [
        s["src"] for s in soup.find_all("script", src=True) if "leaflet" in s["src"] or "map.js" in s["src"]
    ] == []  # no map, so no Leaflet either
    assert not any("var map_" in (s.string or "") for s in soup.find_all("script"))
    assert [text(n) for n in soup.select(".party .note")] == ["Not on the map: organisation, not a place."] * 2


# -- place pages --------------------------------------------------------------


def test_place_pages_for_both_sides_of_every_tie(site):
    expected = {
        "places/cn/xian.html": ["../../agreements/surakarta-xian.html"],
        "places/id/jawa-barat.html": ["../../agreements/jawa-barat-penang.html"],
        "places/id/sragen.html": ["../../agreements/sragen-usaid.html"],
        "places/id/surakarta.html": ["../../agreements/surakarta-xian.html"],
        "places/my/penang.html": ["../../agreements/jawa-barat-penang.html"],
        "places/us/usaid.html": ["../../agreements/sragen-usaid.html"],
    }
    built = sorted(p.relative_to(site).as_posix() for p in (site / "places").rglob("*.html") if p.name != "index.html")
    assert built == sorted(expected)
    for path, links in expected.items():
        assert entry_links(page(site, path)) == links, path


def test_place_page_facts(site):
    soup = page(site, "places/id/surakarta.html")
    assert text(soup.h1) == "Surakarta"
    assert text(soup.select_one("main > p:not(.crumbs)")) == "City, Jawa Tengah, Indonesia."
    assert [a["href"] for a in soup.select(".crumbs a")] == ["../../places/index.html", "../../countries/id.html"]
    assert text(soup.find("h2")) == "Ties (1)"
    assert len(soup.select("figure.map div.map-canvas")) == 1


def test_every_place_in_the_real_catalogue_has_a_page_listing_its_ties(real_site, real_catalogue):
    pages = {p.relative_to(real_site).as_posix() for p in (real_site / "places").rglob("*.html")} - {
        "places/index.html"
    }
    assert pages == {urls.place(key) for key in real_catalogue.places}
    keys_in_ties = {place.key for entry in real_catalogue.entries for place in entry.places}
    assert keys_in_ties == set(real_catalogue.places)
    for key, group in real_catalogue.places.items():
        soup = page(real_site, urls.place(key))
        assert text(soup.h1) == group.place.name
        own = soup.find("h2", id="ties")
        assert [a["href"] for a in own.find_next("ul", class_="entries").select("ul.entries > li > a")] == [
            "../../" + e.url for e in group.entries
        ], key
        areas = soup.select("section.area-ties")
        assert text(own) == (f"Ties of {group.place.name}" if areas else "Ties") + f" ({len(group.entries)})"
        # then the ties of each area it lies in (test_places_within.py checks which), none of them its own
        listed = [a["href"] for section in areas for a in section.select("ul.entries > li > a")]
        assert not set(listed) & {"../../" + e.url for e in group.entries}, key


def test_places_index_lists_home_places_by_province_and_partners_by_country(site):
    soup = page(site, "places/index.html")

    def headed(section_id):
        groups = []
        for section in soup.find(id=section_id).find_all_next("section", class_="place-group"):
            if section.find_previous("h2")["id"] != section_id:
                break
            rows = [(text(li.a), li.a["href"], text(li.select_one(".meta"))) for li in section.select("li")]
            groups.append((text(section.h3), rows))
        return groups

    assert [text(h2) for h2 in soup.select("main h2")] == [
        "Places in Indonesia, by province",
        "Partner places, by country",
    ]
    # Surakarta gives its province as a region, not a place of the catalogue; Sragen gives none.
    assert headed("home") == [
        ("Jawa Barat", [("Jawa Barat", "../places/id/jawa-barat.html", "Province · 1 tie")]),
        ("Jawa Tengah", [("Surakarta", "../places/id/surakarta.html", "City · 1 tie")]),
        ("Province not recorded", [("Sragen", "../places/id/sragen.html", "Regency · 1 tie")]),
    ]
    assert headed("partners") == [
        ("China", [("Xi'an", "../places/cn/xian.html", "City · 1 tie")]),
        ("Malaysia", [("Penang", "../places/my/penang.html", "State · 1 tie")]),
        ("United States", [("USAID", "../places/us/usaid.html", "Organisation · 1 tie")]),
    ]


# -- lists: countries, sectors, statuses, kinds ---------------------------------


def test_country_pages(site):
    soup = page(site, "countries/id.html")
    assert text(soup.h1) == "Indonesia"
    assert [(text(a), a["href"]) for a in soup.select("ul.groups a")] == [
        ("Jawa Barat", "../places/id/jawa-barat.html"),
        ("Sragen", "../places/id/sragen.html"),
        ("Surakarta", "../places/id/surakarta.html"),
    ]
    assert entry_links(soup) == [f"../agreements/{slug}.html" for slug in FIXTURE_SLUGS]
    assert entry_links(page(site, "countries/cn.html")) == ["../agreements/surakarta-xian.html"]
    assert entry_links(page(site, "countries/us.html")) == ["../agreements/sragen-usaid.html"]
    index = page(site, "countries/index.html")
    assert [(text(li.a), li.a["href"], text(li.select_one(".count"))) for li in index.select("ul.groups li")] == [
        ("China", "../countries/cn.html", "1 agreement"),
        ("Indonesia", "../countries/id.html", "3 agreements"),
        ("Malaysia", "../countries/my.html", "1 agreement"),
        ("United States", "../countries/us.html", "1 agreement"),
    ]


@pytest.mark.parametrize(
    "path, title, links",
    [
        ("sectors/trade.html", "Trade", ["surakarta-xian"]),
        ("sectors/education.html", "Education", ["sragen-usaid"]),
        ("sectors/investment.html", "Investment", ["jawa-barat-penang"]),
        ("statuses/active.html", "Active", ["jawa-barat-penang"]),
        ("statuses/stalled.html", "Stalled", ["surakarta-xian"]),
        ("statuses/ended.html", "Ended", ["sragen-usaid"]),
        ("kinds/sister-city.html", "Sister city", ["surakarta-xian"]),
        ("kinds/sister-province.html", "Sister province", ["jawa-barat-penang"]),
        ("kinds/cooperation.html", "Cooperation", ["sragen-usaid"]),
        ("agreements/index.html", "All agreements", FIXTURE_SLUGS),
    ],
)
def test_list_pages_list_the_right_entries(site, path, title, links):
    soup = page(site, path)
    assert text(soup.h1) == title
    assert entry_links(soup) == [f"../agreements/{slug}.html" for slug in links]
    noun = "agreement" if len(links) == 1 else "agreements"
    assert text(soup.select_one("p.count")) == f"{len(links)} {noun}"


@pytest.mark.parametrize("path", ["sectors/youth.html", "statuses/exploratory.html", "kinds/sister-school.html"])
def test_empty_list_pages_say_so(site, path):
    soup = page(site, path)
    assert entry_links(soup) == []
    assert text(soup.select_one("p.empty")) == "No agreements here yet."
    assert text(soup.select_one("p.count")) == "0 agreements"


def test_status_page_explains_the_status(site):
    assert text(page(site, "statuses/stalled.html").select_one("p.lead")) == vocab.STATUSES["stalled"].notes["en"]


@pytest.mark.parametrize(
    "group, terms, counts",
    [
        ("sectors", vocab.SECTORS, {"culture": 1, "education": 1, "investment": 1, "trade": 1}),
        ("statuses", vocab.STATUSES, {"active": 1, "stalled": 1, "ended": 1}),
        ("kinds", vocab.KINDS, {"sister-city": 1, "sister-province": 1, "cooperation": 1}),
    ],
)
def test_group_index_pages_list_every_term_with_its_count(site, group, terms, counts):
    soup = page(site, f"{group}/index.html")
    rows = [(li.a["href"], text(li.a), text(li.select_one(".count"))) for li in soup.select("ul.groups li")]
    said = {n: f"{n} agreement" if n == 1 else f"{n} agreements" for n in range(10)}  # a count says what it counts
    assert rows == [
        (f"../{group}/{key}.html", term.labels["en"], said[counts.get(key, 0)]) for key, term in terms.items()
    ]
    for key in terms:
        assert (site / group / f"{key}.html").is_file()


# -- home and About -------------------------------------------------------------


def test_home_page(site):
    soup = page(site, "index.html")
    assert text(soup.h1) == "Sister cities of Indonesia"
    stats = [text(p) for p in soup.select("section.stats p")]
    assert stats == [
        "3 agreements",
        "5 places",
        "1 organisations and governments",
        "4 countries",
        "Active 1",
        "Stalled 1",
        "Exploratory 0",
        "Ended 1",
        "Not reported 0",
    ]
    assert [a["href"] for a in soup.select("section.stats a")] == [f"statuses/{s}.html" for s in vocab.STATUSES]
    # Most recently observed first; "unknown" last.
    assert entry_links(soup) == [
        "agreements/surakarta-xian.html",
        "agreements/sragen-usaid.html",
        "agreements/jawa-barat-penang.html",
    ]
    assert len(soup.select("figure.map-tall div.map-canvas")) == 1


def test_about_page(site):
    soup = page(site, "about.html")
    assert text(soup.h1) == "About"
    assert text(soup.select_one("article.page p")) == "What a sister city is."
    for path in ("index.html", "agreements/surakarta-xian.html", "places/cn/xian.html"):
        nav = page(site, path).select("header nav:not(.languages) a")
        assert [text(a) for a in nav] == [
            "Agreements",
            "Places",
            "Countries",
            "Sectors",
            "Status",
            "Kinds of tie",
            "Statistics",
            "About",
        ]
        assert nav[-1]["href"] == "../" * path.count("/") + "about.html"


def test_real_about_page_cites_its_sources(real_site):
    soup = page(real_site, "about.html")
    assert text(soup.h1) == "About this catalogue"
    assert [text(h2) for h2 in soup.select("article.page > h2")][-1] == "Sources"
    assert len(soup.select("article.page ol.sources li")) >= 5


def test_one_page_per_agreement_in_the_real_catalogue(real_site, real_catalogue):
    built = {p.relative_to(real_site).as_posix() for p in (real_site / "agreements").glob("*.html")} - {
        "agreements/index.html"
    }
    assert built == {urls.agreement(e.agreement.slug) for e in real_catalogue.entries}
    assert len(built) == len(entry_files(REPO / "content" / "agreements"))  # a page for every entry file
    for entry in real_catalogue.entries:
        soup = page(real_site, entry.url)
        assert text(soup.h1) == entry.agreement.display_title
        assert [p.h2.a["href"] for p in soup.select("section.parties .party")] == [
            "../" + urls.place(p.key) for p in entry.places
        ]


# -- every page ---------------------------------------------------------------


@pytest.fixture(params=["fixture", "real"])
def any_site(request, site, real_site):
    return {"fixture": site, "real": real_site}[request.param]


@pytest.fixture(scope="module")
def parsed():
    """site → {page: parsed page}, filled as the tests below read each site's pages: the page checks
    and the link checks of a site read the same pages, parsed once for this module."""
    return {}


def test_every_page_has_lang_viewport_and_one_h1(any_site, parsed):
    soups = parsed.setdefault(any_site, {})
    for path in html_pages(any_site):
        soup = soups[path] = soups.get(path) or parse(path)
        in_english = path.relative_to(any_site).parts[0] == "en"
        assert soup.html["lang"] == ("en" if in_english else "id"), path
        viewports = soup.select('head meta[name="viewport"]')
        assert [m["content"] for m in viewports] == ["width=device-width, initial-scale=1"], path
        assert len(soup.find_all("h1")) == 1, path
        assert text(soup.title).endswith(
            " · Sister cities of Indonesia" if in_english else " · Kota kembar Indonesia"
        ), path


def crawl(site: Path, soups: dict[Path, object]):
    """(page, attribute value) for every a href, link href, script src and img src of every page; each
    page parsed once (unless soups holds it already), into soups (path → parsed page), where links to a
    fragment of another page find it."""
    for path in html_pages(site):
        soup = soups[path] = soups.get(path) or parse(path)
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in soup.find_all(tag):
                if element.has_attr(attr):
                    yield path, soup, element[attr]


def check_links(
    site: Path, allowed_external: set[str], soups: dict[Path, object] | None = None
) -> tuple[int, set[str]]:
    """Assert every link resolves inside the site; return how many were checked and the external ones.
    soups: the site's pages already parsed (path → parsed page); the pages it lacks are added to it."""
    checked, external = 0, set()
    soups = {} if soups is None else soups
    fragments: list[tuple[Path, str, Path]] = []  # (page, link, the page it names): checked once all are parsed
    for path, soup, value in crawl(site, soups):
        parts = urlsplit(value)
        if parts.scheme in ("http", "https"):
            assert value in allowed_external, f"{path}: external link {value}"
            external.add(value)
            continue
        assert not parts.scheme and not parts.netloc, f"{path}: {value}"
        assert not value.startswith("/"), f"{path}: {value} is not relative; the site must work from any folder"
        if parts.path:
            folder = path.parent.relative_to(site).as_posix()
            target = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
            assert not target.startswith(".."), f"{path}: {value} leaves the site"
            assert (site / target).is_file(), f"{path}: {value} → {target} does not exist"
            if parts.fragment:
                assert target.endswith(".html"), f"{path}: {value} names a fragment of a file that is not a page"
                fragments.append((path, value, site / target))
        elif parts.fragment:
            assert soup.find(id=parts.fragment) is not None, f"{path}: no #{parts.fragment}"
        checked += 1
    for path, value, target in fragments:
        fragment = urlsplit(value).fragment
        assert soups[target].find(id=fragment) is not None, f"{path}: no #{fragment}"
    return checked, external


def test_every_link_of_the_real_site_resolves(real_site, real_catalogue, parsed):
    pages, _ = load_pages(Project(REPO))
    sources = [s for e in real_catalogue.entries for s in e.agreement.sources] + [s for p in pages for s in p.sources]
    cited = {s.url for s in sources if s.url}
    allowed = cited | {"https://www.openstreetmap.org/copyright", DATA_LICENCE.url}
    checked, external = check_links(real_site, allowed, parsed.setdefault(real_site, {}))
    assert checked >= 10 * len(html_pages(real_site))  # at least the head, skip link, brand and nav of each
    assert external == cited | {
        DATA_LICENCE.url
    }  # every cited link is offered, the licence, and nothing else leads away


def test_every_link_of_the_fixture_site_resolves(site, parsed):
    checked, external = check_links(
        site, {"https://example.org/paper.pdf", DATA_LICENCE.url}, parsed.setdefault(site, {})
    )
    assert checked >= 10 * len(html_pages(site))
    assert external == {"https://example.org/paper.pdf", DATA_LICENCE.url}


def test_a_place_off_the_map_gets_no_map(site):
    usaid = page(site, "places/us/usaid.html")
    assert usaid.select("figure.map") == []
    assert len(page(site, "places/id/sragen.html").select("figure.map div.map-canvas")) == 1
