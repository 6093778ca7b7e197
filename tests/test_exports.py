"""exports and feeds: each export of the fixture catalogue read back as data."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

import pytest

from catalogue.config import Config
from catalogue.exports import (
    CSV_COLUMNS,
    DATA_LICENCE,
    SCHEMA_VERSION,
    export_pages,
)
from catalogue.sitemap import page_dates, sitemap
from catalogue.feeds import FEED_SIZE, feed_pages
from catalogue.dates import Dates, read_dates
from catalogue.site import check
from test_history import Repo

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
RECORD_KEYS = [
    "slug",
    "title",
    "kind",
    "status",
    "as_of",
    "since",
    "ended",
    "sectors",
    "parties",
    "documents",
    "progress",
    "sources",
    "observations",
    "aliases",
    "published",
    "updated",
    "body_language",
    "body",
]
PARTY_KEYS = [
    "name",
    "level",
    "country",
    "region",
    "body",
    "place",
    "lat",
    "lon",
    "located_by",
    "off_map_reason",
]

HOSTILE_NAME = "<script>alert(1)</script> ]]> & Co"
HOSTILE_TITLE = '=1+2 <b>bold</b> ]]> &amp; "quoted"\tend'
HOSTILE = """---
parties:
  - name: Surakarta
    level: city
    country: ID
  - name: "<script>alert(1)</script> ]]> & Co"
    level: organisation
    country: US
    body: "=HYPERLINK(\\"http://evil\\",\\"x\\")"
kind: cooperation
status: active
as_of: 2020
title: "=1+2 <b>bold</b> ]]> &amp; \\"quoted\\"\\tend"
sources:
  - title: "+SUM(A1) ]]> <![CDATA[x]]>"
    note: "@cmd -2"
    url: "https://example.org/?a=1&b=<2>"
---
Body with <script>alert(2)</script> and ]]>.
"""


def by_path(pages) -> dict[str, bytes]:
    paths = [p.path for p in pages]
    assert len(paths) == len(set(paths)), "two pages at one path"
    return {p.path: p.content for p in pages}


def all_exports(catalogue, dates: Dates | None = None, config: Config | None = None) -> dict[str, bytes]:
    dates, config = dates or Dates(), config or Config()
    return by_path([*export_pages(catalogue, dates, config), *feed_pages(catalogue, dates, config)])


@pytest.fixture
def catalogue(project):
    return check(project).catalogue


@pytest.fixture
def hostile(project):
    (project.agreements / "surakarta-hostile.md").write_text(HOSTILE, encoding="utf-8")
    return check(project).catalogue


@pytest.fixture
def files(catalogue):
    return all_exports(catalogue)


# -- JSON --------------------------------------------------------------------------


def test_catalogue_json_has_every_agreement_with_every_field(catalogue, files):
    data = json.loads(files["data/catalogue.json"])
    assert list(data)[:4] == ["schema_version", "licence", "generated_from", "counts"]
    assert data["schema_version"] == SCHEMA_VERSION == 3
    assert data["licence"]["name"] == DATA_LICENCE.name == "CC BY 4.0"
    assert data["counts"]["agreements"] == len(catalogue.entries) == len(data["agreements"])
    assert [r["slug"] for r in data["agreements"]] == [e.agreement.slug for e in catalogue.entries]
    for record in data["agreements"]:
        # In this order; no url, json_url or file (the slug names them, docs/data.md); a field with no value is
        # left out, never null; lists are there when empty.
        assert list(record) == [key for key in RECORD_KEYS if key in record] and None not in record.values()
        assert set(RECORD_KEYS) - set(record) <= {"as_of", "since", "ended", "published", "updated"}
        for party in record["parties"]:
            assert list(party) == [key for key in PARTY_KEYS if key in party]  # no place_url: the key names it
            assert None not in party.values() and {"name", "level", "country", "place"} <= set(party)
    xian = next(r for r in data["agreements"] if r["slug"] == "surakarta-xian")
    assert (xian["status"], xian["as_of"], xian["since"]) == ("stalled", "2017", "2015-09-25")
    assert "ended" not in xian
    assert xian["sectors"] == ["trade", "culture"]
    assert xian["documents"] == [{"type": "loi", "signed": "2015-09-25"}]  # no title, term or renewal known
    assert (xian["body_language"], xian["body"]) == (
        "en",
        "A Letter of Intent was signed on 25 September 2015; by 2017 no follow-up was visible.\n",
    )
    assert xian["parties"][1]["place"] == "cn/xian" and isinstance(xian["parties"][1]["lat"], float)
    assert "published" not in xian and "updated" not in xian  # no git in the fixture
    penang = next(r for r in data["agreements"] if r["slug"] == "jawa-barat-penang")
    assert "as_of" not in penang
    assert penang["progress"] == {
        "investment": {"state": "under-way", "note": "Investment cooperation set out in an MoU."}
    }
    usaid = next(r for r in data["agreements"] if r["slug"] == "sragen-usaid")["parties"][1]
    assert "lat" not in usaid and usaid["off_map_reason"] == "organisation, not a place"


def test_one_json_file_per_agreement_holds_the_same_record(catalogue, files):
    records = {r["slug"]: r for r in json.loads(files["data/catalogue.json"])["agreements"]}
    for entry in catalogue.entries:
        data = json.loads(files[f"agreements/{entry.agreement.slug}.json"])
        assert data["schema_version"] == SCHEMA_VERSION
        assert data["agreement"] == records[entry.agreement.slug]


def test_old_slugs_get_the_json_too(project):
    file = project.agreements / "surakarta-xian.md"
    file.write_text(file.read_text(encoding="utf-8").replace("kind:", "aliases: [solo-xian]\nkind:"), encoding="utf-8")
    files = all_exports(check(project).catalogue)
    assert files["agreements/solo-xian.json"] == files["agreements/surakarta-xian.json"]


# -- CSV ----------------------------------------------------------------------------


def test_csv_round_trips(catalogue, files):
    text = files["data/catalogue.csv"].decode("utf-8")
    assert not text.startswith("\ufeff") and text.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["slug"] for r in rows] == [e.agreement.slug for e in catalogue.entries]
    xian = next(r for r in rows if r["slug"] == "surakarta-xian")
    assert xian["sectors"] == "trade;culture"
    assert (xian["party2_name"], xian["party2_country"], xian["party2_place"]) == ("Xi'an", "CN", "cn/xian")
    assert (xian["documents"], xian["first_signed"], xian["ended"]) == ("loi", "2015-09-25", "")
    penang = next(r for r in rows if r["slug"] == "jawa-barat-penang")
    assert penang["party1_lat"] == "-6.9022"  # numbers are not treated as formulas
    assert penang["progress"] == "investment:under-way"


def test_csv_neutralises_formulas(hostile):
    rows = list(csv.DictReader(io.StringIO(all_exports(hostile)["data/catalogue.csv"].decode(), newline="")))
    row = next(r for r in rows if r["slug"] == "surakarta-hostile")
    assert row["title"] == "'" + HOSTILE_TITLE
    assert row["party2_body"] == '\'=HYPERLINK("http://evil","x")'
    assert row["party2_name"] == HOSTILE_NAME
    for r in rows:
        assert not any(value.startswith(("=", "+", "@")) for value in r.values())


# -- GeoJSON ------------------------------------------------------------------------


def test_geojson_points_are_lon_lat_and_lines_join_located_parties(catalogue, files):
    data = json.loads(files["data/catalogue.geojson"])
    assert data["type"] == "FeatureCollection"
    points = {f["id"]: f for f in data["features"] if f["geometry"]["type"] == "Point"}
    lines = {f["id"]: f for f in data["features"] if f["geometry"]["type"] == "LineString"}
    located = {k: g.place for k, g in catalogue.places.items() if g.place.on_map}
    assert set(points) == set(located)
    for key, place in located.items():
        assert points[key]["geometry"]["coordinates"] == [place.lon, place.lat]
        assert points[key]["properties"]["agreements"] == [e.agreement.slug for e in catalogue.places[key].entries]
    assert points["id/jawa-barat"]["geometry"]["coordinates"] == [107.6187, -6.9022]  # lon east, lat south
    assert set(lines) == {"jawa-barat-penang", "surakarta-xian"}  # USAID is not a place
    penang = lines["jawa-barat-penang"]
    assert penang["geometry"]["coordinates"] == [[107.6187, -6.9022], [100.3288, 5.4141]]
    assert penang["properties"] == {  # the slug is the id, the page agreements/<id>.html: neither repeated
        "title": "Jawa Barat – Penang",
        "status": "active",
        "kind": "sister-province",
        "places": ["id/jawa-barat", "my/penang"],
        # its source gives no date: no as_of, no evidence year, and never stale; no observations
        "stale": False,
    }
    for feature in data["features"]:
        for lon, lat in (
            [feature["geometry"]["coordinates"]]
            if feature["geometry"]["type"] == "Point"
            else feature["geometry"]["coordinates"]
        ):
            assert -180 <= lon <= 180 and -90 <= lat <= 90


# -- Atom ----------------------------------------------------------------------------


def atom(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{ATOM}entry")


def test_feeds_are_valid_atom(catalogue, files):
    for path in ("feed.xml", "en/feed.xml"):
        root = atom(files[path])
        assert root.findtext(f"{ATOM}id").startswith("tag:sister-cities-catalogue,2026:")
        assert RFC3339.match(root.findtext(f"{ATOM}updated"))
        assert root.findtext(f"{ATOM}title") and root.find(f"{ATOM}author/{ATOM}name").text
        items = entries(root)
        assert len(items) == len(catalogue.entries) - 1  # jawa-barat-penang has no date and no history
        ids = [item.findtext(f"{ATOM}id") for item in items]
        assert len(set(ids)) == len(ids) and all(i.startswith("tag:") for i in ids)
        for item in items:
            assert RFC3339.match(item.findtext(f"{ATOM}updated"))
            assert item.findtext(f"{ATOM}title")
            assert item.find(f"{ATOM}link[@rel='alternate']").get("href").endswith(".html")
    en = atom(files["en/feed.xml"])
    assert en.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert (
        entries(en)[0].find(f"{ATOM}link").get("href") == "agreements/sragen-usaid.html"
    )  # beside en/feed.xml: en/agreements/


def test_without_git_the_feed_is_ordered_by_as_of(files):
    items = entries(atom(files["en/feed.xml"]))
    # both as of 2017, so by slug; jawa-barat-penang has no date at all, so nothing says when it was new.
    assert [i.findtext(f"{ATOM}id").rsplit("/", 1)[1] for i in items] == ["sragen-usaid", "surakarta-xian"]
    assert items[0].findtext(f"{ATOM}updated") == "2017-01-01T00:00:00Z"
    assert "Status: Ended, as of 2017." in items[0].findtext(f"{ATOM}content")


def test_every_place_has_a_feed_in_both_languages(catalogue, files):
    for key, group in catalogue.places.items():
        for path in (f"places/{key}.xml", f"en/places/{key}.xml"):
            root = atom(files[path])
            assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == key.split("/")[1] + ".html"
            dated = [e for e in group.entries if e.agreement.slug != "jawa-barat-penang"]
            assert sorted(i.findtext(f"{ATOM}title") for i in entries(root)) == sorted(
                e.agreement.display_title for e in dated
            )
    xian = atom(files["places/cn/xian.xml"])
    assert entries(xian)[0].find(f"{ATOM}link").get("href") == "../../agreements/surakarta-xian.html"


def test_feeds_with_a_base_url_link_absolutely(catalogue):
    files = all_exports(catalogue, config=Config(base_url="https://example.org/catalogue/"))
    root = atom(files["places/cn/xian.xml"])
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/catalogue/places/cn/xian.xml"
    assert (
        entries(root)[0].find(f"{ATOM}link").get("href")
        == "https://example.org/catalogue/agreements/surakarta-xian.html"
    )
    # ids do not depend on where the site is served
    assert root.findtext(f"{ATOM}id") == atom(all_exports(catalogue)["places/cn/xian.xml"]).findtext(f"{ATOM}id")
    assert json.loads(files["data/catalogue.json"])["licence"]["attribution_url"] == "https://example.org/catalogue/"


def test_feed_says_what_changed_from_git_history(project):
    repo = Repo(project.root)
    repo.commit("2020-01-01T00:00:00Z")
    file = project.agreements / "surakarta-xian.md"
    file.write_text(file.read_text(encoding="utf-8").replace("status: stalled", "status: active"), encoding="utf-8")
    repo.commit("2021-03-04T05:06:07Z")
    catalogue = check(project).catalogue
    history = read_dates(project.root, catalogue)
    files = all_exports(catalogue, history)

    first = entries(atom(files["en/feed.xml"]))[0]
    assert first.findtext(f"{ATOM}id").endswith("en/agreements/surakarta-xian")
    assert first.findtext(f"{ATOM}updated") == "2021-03-04T05:06:07Z"
    assert first.findtext(f"{ATOM}published") == "2020-01-01T00:00:00Z"
    text = first.findtext(f"{ATOM}content")
    assert text.startswith("Status changed from Stalled to Active.")
    assert "2021-03-04: Stalled → Active" in text
    other = entries(atom(files["en/places/us/usaid.xml"]))[0]
    assert other.findtext(f"{ATOM}summary").startswith("Added to the catalogue.")
    assert other.find(f"{ATOM}published") is None  # added in its last commit: <updated> says when
    # A place's feed carries a summary: what changed and the state now, not the status history (its page has it).
    xian = entries(atom(files["en/places/cn/xian.xml"]))[0]
    assert xian.find(f"{ATOM}content") is None
    assert xian.find(f"{ATOM}summary").get("type") is None  # Atom's default, plain text
    assert xian.findtext(f"{ATOM}summary") == "Status changed from Stalled to Active.\n" + text.splitlines()[1]
    assert xian.findtext(f"{ATOM}published") == "2020-01-01T00:00:00Z"
    assert not xian.findall(f"{ATOM}category")  # its summary names the status and kind
    assert [c.get("label") for c in first.findall(f"{ATOM}category")] == ["Active", "Sister city"]
    record = json.loads(files["agreements/surakarta-xian.json"])["agreement"]
    assert (record["published"], record["updated"]) == ("2020-01-01T00:00:00Z", "2021-03-04T05:06:07Z")
    assert json.loads(files["data/catalogue.json"])["generated_from"]["date"] == "2021-03-04T05:06:07Z"


def test_a_feed_holds_the_newest_feed_size_items(project):
    template = (project.agreements / "sragen-usaid.md").read_text(encoding="utf-8")
    for n in range(FEED_SIZE + 5):
        text = (
            template.replace("USAID", f"Organisation {n:02d}")
            .replace("as_of: 2017", f"as_of: {2000 + n}")  # the newest after 2017, the fixture's newest
            .replace("since: 2013\nended: 2017\n", "")
        )
        (project.agreements / f"sragen-org-{n:02d}.md").write_text(text, encoding="utf-8")
    files = all_exports(check(project).catalogue)
    items = entries(atom(files["feed.xml"]))
    assert len(items) == FEED_SIZE
    times = [i.findtext(f"{ATOM}updated") for i in items]
    assert times == sorted(times, reverse=True)
    assert items[0].findtext(f"{ATOM}id").endswith(f"sragen-org-{FEED_SIZE + 4}")
    assert len(entries(atom(files["places/id/sragen.xml"]))) == FEED_SIZE


# -- hostile text and determinism ----------------------------------------------------


def test_hostile_text_stays_text(hostile):
    files = all_exports(hostile)
    for path in ("feed.xml", "en/feed.xml", "places/us/script-alert-1-script-co.xml"):
        assert b"<script" not in files[path] and b"<b>" not in files[path]
        root = atom(files[path])
        item = next(i for i in entries(root) if i.findtext(f"{ATOM}id").endswith("surakarta-hostile"))
        assert item.findtext(f"{ATOM}title") == HOSTILE_TITLE.replace("\u000b", "")  # not allowed in XML 1.0
    assert atom(files["places/us/script-alert-1-script-co.xml"]).findtext(f"{ATOM}title").startswith(HOSTILE_NAME)
    record = json.loads(files["agreements/surakarta-hostile.json"])["agreement"]
    assert record["title"] == HOSTILE_TITLE and record["parties"][1]["name"] == HOSTILE_NAME
    assert record["sources"][0]["url"] == "https://example.org/?a=1&b=<2>"
    assert json.loads(files["data/catalogue.geojson"])  # parses; the organisation itself is off the map


def test_two_runs_give_the_same_bytes(project):
    def run():
        catalogue = check(project).catalogue
        config = Config(base_url="https://example.org/")
        pages = [*export_pages(catalogue, Dates(), config), *feed_pages(catalogue, Dates(), config)]
        pages += sitemap(["index.html", "en/index.html", *(e.url for e in catalogue.entries)], config.base_url)
        return [(p.path, p.content) for p in pages]

    assert run() == run()


def test_two_runs_from_git_give_the_same_bytes(project):
    Repo(project.root).commit("2020-01-01T00:00:00Z")

    def run():
        catalogue = check(project).catalogue
        history = read_dates(project.root, catalogue)
        return all_exports(catalogue, history)

    assert run() == run()


# -- sitemap -------------------------------------------------------------------------


def test_no_base_url_no_sitemap():
    assert sitemap(["index.html", "en/index.html"], "") == []


def test_sitemap_lists_pages_in_every_language_leaving_hreflang_to_the_pages():
    pages = sitemap(
        ["index.html", "en/index.html", "agreements/a&b.html", "en/only-english.html", "data/catalogue.json"],
        "https://example.org/c",
        {"index.html": datetime(2020, 1, 2, tzinfo=timezone.utc)},
    )
    assert [p.path for p in pages] == ["sitemap.xml"]
    root = ET.fromstring(pages[0].content)
    urls = {u.findtext(f"{SM}loc"): u for u in root.findall(f"{SM}url")}
    assert sorted(urls) == [
        "https://example.org/c/agreements/a%26b.html",
        "https://example.org/c/en/index.html",
        "https://example.org/c/en/only-english.html",
        "https://example.org/c/index.html",
    ]
    home = urls["https://example.org/c/index.html"]
    assert home.findtext(f"{SM}lastmod") == "2020-01-02T00:00:00Z"
    assert urls["https://example.org/c/en/index.html"].find(f"{SM}lastmod") is None
    # Each page names its versions in its head (test_i18n); the sitemap does not repeat them.
    assert not root.findall(f".//{XHTML}link") and b"xhtml" not in pages[0].content


def test_a_large_sitemap_becomes_an_index(monkeypatch):
    import catalogue.sitemap

    monkeypatch.setattr(catalogue.sitemap, "SITEMAP_URLS", 2)
    pages = sitemap([f"p{n}.html" for n in range(5)], "https://example.org/")
    assert [p.path for p in pages] == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    index = ET.fromstring(pages[0].content)
    assert [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap")] == [
        f"https://example.org/sitemap-{n}.xml" for n in (1, 2, 3)
    ]
    assert len(ET.fromstring(pages[3].content).findall(f"{SM}url")) == 1


def test_page_dates_give_both_languages(project):
    Repo(project.root).commit("2020-01-01T00:00:00Z")
    catalogue = check(project).catalogue
    dates = page_dates(catalogue, read_dates(project.root, catalogue))
    assert set(dates) == {
        f"{lang}agreements/{e.agreement.slug}.html" for e in catalogue.entries for lang in ("", "en/")
    }


@pytest.mark.parametrize(
    "path, folder, link",
    [
        ("agreements/x.html", "", "agreements/x.html"),
        ("agreements/x.html", "places/jp", "../../agreements/x.html"),
        ("en/agreements/x.html", "en/places/jp", "../../agreements/x.html"),
        ("places/jp/kochi.html", "places/jp", "kochi.html"),
        ("places/jp/kochi.html", "places/jpx", "../jp/kochi.html"),
    ],
)
def test_feed_links_are_relative_to_the_feed(path, folder, link):
    from catalogue.feeds import relative

    assert relative(path, folder) == link
